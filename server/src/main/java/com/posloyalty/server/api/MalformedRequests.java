package com.posloyalty.server.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets a request that protobuf cannot parse (a string field that is not UTF-8, a truncated
 * field) be refused as {@code INVALID_ARGUMENT} / {@code MALFORMED_REQUEST}.
 *
 * <p>grpc-java parses a request before any interceptor sees it and answers a parse failure
 * with {@code UNKNOWN} ("Application error processing RPC"), which a lane cannot tell from a
 * server fault. Services registered through {@link #tolerant} parse with a marshaller that,
 * on failure, hands on an empty request carrying a marker field instead; the
 * {@link ValidationInterceptor} refuses it before any service code runs.
 */
public final class MalformedRequests {

  /** The highest field number protobuf allows; no loyalty message uses it. */
  static final int MARKER_FIELD = 536_870_911;

  private static final UnknownFieldSet MARKER = UnknownFieldSet.newBuilder()
      .addField(MARKER_FIELD, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
      .build();

  private MalformedRequests() {}

  /** {@code service} with request marshallers that mark, rather than throw on, bad bytes. */
  public static ServerServiceDefinition tolerant(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    Map<String, ServerMethodDefinition<?, ?>> rebuilt = new HashMap<>();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> tolerant = tolerant(method);
      rebuilt.put(method.getMethodDescriptor().getFullMethodName(), tolerant);
      descriptor.addMethod(tolerant.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
    rebuilt.values().forEach(builder::addMethod);
    return builder.build();
  }

  /** Whether {@code message} stands for a request that could not be parsed. */
  static boolean isMalformed(Object message) {
    return message instanceof Message m && m.getUnknownFields().hasField(MARKER_FIELD);
  }

  private static <Q, R> ServerMethodDefinition<Q, R> tolerant(ServerMethodDefinition<Q, R> def) {
    MethodDescriptor<Q, R> method = def.getMethodDescriptor();
    if (!(method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> proto)
        || !(proto.getMessagePrototype() instanceof Message)) {
      return def;
    }
    MethodDescriptor<Q, R> marked =
        method.toBuilder(new Marking<>(proto), method.getResponseMarshaller()).build();
    return ServerMethodDefinition.create(marked, def.getServerCallHandler());
  }

  private record Marking<Q>(MethodDescriptor.PrototypeMarshaller<Q> delegate)
      implements MethodDescriptor.PrototypeMarshaller<Q> {

    @Override
    public InputStream stream(Q value) {
      return delegate.stream(value);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Q parse(InputStream stream) {
      try {
        return delegate.parse(stream);
      } catch (StatusRuntimeException e) {
        if (!(e.getCause() instanceof InvalidProtocolBufferException)) {
          throw e;
        }
        return (Q) ((Message) delegate.getMessagePrototype()).toBuilder()
            .setUnknownFields(MARKER).build();
      }
    }

    @Override
    public Q getMessagePrototype() {
      return delegate.getMessagePrototype();
    }

    @Override
    public Class<Q> getMessageClass() {
      return delegate.getMessageClass();
    }
  }
}
