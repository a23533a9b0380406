package com.posloyalty.server.reliability;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.posloyalty.server.testing.RawBytes;
import com.posloyalty.server.testing.TestServer;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Calls any RPC with the request's bytes exactly as given — the only way to send what no
 * protobuf library will build (a string field that is not UTF-8) — and reports how the
 * server answered. A server-streaming RPC is read until it ends or for a few messages.
 */
final class RawCall {

  /** How a call ended: its status code, ErrorInfo reason ("" if none) and description. */
  record Answer(Status.Code code, String reason, String description) {
    String label() {
      return code + "/" + (reason.isEmpty() ? "-" : reason);
    }
  }

  private static final Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;

  private final ServerProcess server;

  RawCall(ServerProcess server) {
    this.server = server;
  }

  Answer call(MethodDescriptor method, byte[] request, String key) {
    boolean streaming = method.isServerStreaming();
    io.grpc.MethodDescriptor<byte[], byte[]> grpcMethod = io.grpc.MethodDescriptor
        .<byte[], byte[]>newBuilder()
        .setType(streaming ? MethodType.SERVER_STREAMING : MethodType.UNARY)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(
            method.getService().getFullName(), method.getName()))
        .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    CallOptions options = CallOptions.DEFAULT.withCallCredentials(TestServer.bearer(key))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
    try {
      if (streaming) {
        Iterator<byte[]> answers = ClientCalls.blockingServerStreamingCall(
            server.channel(), grpcMethod, options, request);
        for (int i = 0; i < 3 && answers.hasNext(); i++) {
          answers.next();
        }
      } else {
        ClientCalls.blockingUnaryCall(server.channel(), grpcMethod, options, request);
      }
      return new Answer(Status.Code.OK, "", "");
    } catch (StatusRuntimeException e) {
      return new Answer(e.getStatus().getCode(), StatusReason.of(e),
          String.valueOf(e.getStatus().getDescription()));
    }
  }
}
