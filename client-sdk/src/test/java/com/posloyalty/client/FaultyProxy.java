package com.posloyalty.client;

import com.posloyalty.server.testing.RawBytes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.HandlerRegistry;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A gRPC proxy on a loopback port in front of a real server: it forwards every unary call, as
 * bytes and with its API key, and lets a test fail chosen attempts the way a network or a
 * restarting server would. It tells a first attempt from the channel's automatic retries by
 * the {@code grpc-previous-rpc-attempts} header gRPC puts on a retry.
 */
final class FaultyProxy implements AutoCloseable {
  /** What the proxy does with one attempt of a call. */
  enum Fault {
    /** Forward it and relay the answer. */
    NONE,
    /** Answer {@code UNAVAILABLE} without forwarding: the server never sees the attempt. */
    REFUSE,
    /** Forward it, then answer {@code UNAVAILABLE} instead: applied, but the answer is lost. */
    LOSE_ANSWER,
    /** Forward it and never answer: applied, and the client waits for its deadline. */
    HOLD,
    /**
     * Answer as the service does when its database is down ({@code UNAVAILABLE}, reason
     * {@code DATABASE_UNAVAILABLE}) without forwarding: the service's own refusal.
     */
    SERVICE_UNAVAILABLE,
    /**
     * Forward it, then answer as the service does when it lost its database connection while
     * committing ({@code UNAVAILABLE}, reason {@code COMMIT_OUTCOME_UNKNOWN}): applied, and
     * the service's own answer says it may have been.
     */
    OUTCOME_UNKNOWN
  }

  /**
   * One attempt as the proxy saw it.
   *
   * @param method the full method name, such as
   *     {@code posloyalty.v1.CheckoutService/CommitTransaction}
   * @param retry whether gRPC sent it as a retry of an earlier attempt
   * @param fault what the proxy did with it
   */
  record Attempt(String method, boolean retry, Fault fault) {}

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> PREVIOUS_ATTEMPTS =
      Metadata.Key.of("grpc-previous-rpc-attempts", Metadata.ASCII_STRING_MARSHALLER);
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;

  private final ManagedChannel upstream;
  private final Server server;
  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
  private volatile Function<String, Fault> firstAttempts = method -> Fault.NONE;
  private volatile Function<String, Fault> retries = method -> Fault.NONE;

  private FaultyProxy(int upstreamPort) throws IOException {
    // No retries of its own: every attempt the client makes reaches the server at most once.
    upstream = Grpc.newChannelBuilderForAddress("127.0.0.1", upstreamPort,
        InsecureChannelCredentials.create()).disableRetry().build();
    server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .fallbackHandlerRegistry(new HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
            MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.newBuilder(BYTES, BYTES)
                .setFullMethodName(method).setType(MethodDescriptor.MethodType.UNARY).build();
            return ServerMethodDefinition.create(descriptor, new Forwarder(descriptor));
          }
        }).build().start();
  }

  /** Starts a proxy in front of the server listening on 127.0.0.1:{@code upstreamPort}. */
  static FaultyProxy start(int upstreamPort) {
    try {
      return new FaultyProxy(upstreamPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code host:port} clients use to reach the server through the proxy. */
  String target() {
    return "127.0.0.1:" + server.getPort();
  }

  /** Decides, per method name, what happens to every first attempt from now on. */
  void onFirstAttempt(Function<String, Fault> fault) {
    this.firstAttempts = fault;
  }

  /** Decides, per method name, what happens to every retry from now on. */
  void onRetry(Function<String, Fault> fault) {
    this.retries = fault;
  }

  /**
   * Waits until the proxy is connected to the server, so that no attempt forwarded from now on
   * fails for want of a connection (after the server was restarted, say).
   */
  void awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    upstream.resetConnectBackoff();
    while (upstream.getState(true) != ConnectivityState.READY) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("proxy not connected to the server within " + timeout);
      }
      upstream.resetConnectBackoff();
      Thread.sleep(5);
    }
  }

  /** Forwards everything again and forgets the attempts seen so far. */
  void reset() {
    firstAttempts = method -> Fault.NONE;
    retries = method -> Fault.NONE;
    attempts.clear();
  }

  /** Every attempt seen so far, in arrival order. */
  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    upstream.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Forwards one unary call, applying the fault chosen for the attempt. */
  private final class Forwarder implements ServerCallHandler<byte[], byte[]> {
    private final MethodDescriptor<byte[], byte[]> method;

    Forwarder(MethodDescriptor<byte[], byte[]> method) {
      this.method = method;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call,
        Metadata headers) {
      boolean retry = headers.containsKey(PREVIOUS_ATTEMPTS);
      Fault fault = (retry ? retries : firstAttempts).apply(method.getBareMethodName());
      attempts.add(new Attempt(method.getFullMethodName(), retry, fault));
      if (fault == Fault.REFUSE) {
        call.close(Status.UNAVAILABLE.withDescription("proxy: attempt refused"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      if (fault == Fault.SERVICE_UNAVAILABLE) {
        StatusRuntimeException refusal = FakeCheckoutService.refusal(com.google.rpc.Code.UNAVAILABLE,
            "DATABASE_UNAVAILABLE", "the loyalty database is unavailable");
        call.close(refusal.getStatus(), refusal.getTrailers());
        return new ServerCall.Listener<>() {};
      }
      Metadata forwarded = new Metadata();
      if (headers.containsKey(AUTHORIZATION)) {
        forwarded.put(AUTHORIZATION, headers.get(AUTHORIZATION));
      }
      call.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] request) {
          forward(call, forwarded, request, fault);
        }
      };
    }

    private void forward(ServerCall<byte[], byte[]> call, Metadata headers, byte[] request,
        Fault fault) {
      // The server may have come back since the last failure: do not wait out gRPC's backoff.
      upstream.resetConnectBackoff();
      Deadline deadline = Context.current().getDeadline();
      CallOptions options = deadline == null ? CallOptions.DEFAULT
          : CallOptions.DEFAULT.withDeadline(deadline);
      ClientCall<byte[], byte[]> upstreamCall = ClientInterceptors.intercept(upstream,
          MetadataUtils.newAttachHeadersInterceptor(headers)).newCall(method, options);
      ClientCalls.asyncUnaryCall(upstreamCall, request, new StreamObserver<>() {
        @Override
        public void onNext(byte[] response) {
          switch (fault) {
            case NONE -> {
              call.sendHeaders(new Metadata());
              call.sendMessage(response);
              call.close(Status.OK, new Metadata());
            }
            case LOSE_ANSWER -> call.close(
                Status.UNAVAILABLE.withDescription("proxy: answer lost"), new Metadata());
            case OUTCOME_UNKNOWN -> {
              StatusRuntimeException unknown = FakeCheckoutService.refusal(
                  com.google.rpc.Code.UNAVAILABLE, "COMMIT_OUTCOME_UNKNOWN",
                  "the connection to the loyalty database was lost while committing");
              call.close(unknown.getStatus(), unknown.getTrailers());
            }
            default -> { } // HOLD: the client hears nothing
          }
        }

        @Override
        public void onError(Throwable failure) {
          // The trailers carry the server's ErrorInfo and BadRequest details.
          Metadata trailers = Status.trailersFromThrowable(failure);
          call.close(Status.fromThrowable(failure), trailers != null ? trailers : new Metadata());
        }

        @Override
        public void onCompleted() {
          // The answer was handled in onNext.
        }
      });
    }
  }
}
