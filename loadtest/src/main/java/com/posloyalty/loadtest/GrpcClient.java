package com.posloyalty.loadtest;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The load generator's side of the wire: a few HTTP/2 connections (plaintext, or TLS
 * trusting a given CA) used in turn, asynchronous unary calls with a deadline each, and
 * the calling lane's API key as an {@code authorization: Bearer} header. Every scenario,
 * ceilings included, calls through the same client, so they share channel settings.
 */
final class GrpcClient implements AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final CallOptions.Key<String> API_KEY = CallOptions.Key.create("api-key");

  /** Sends the call's API key, when it has one, as the authorization header. */
  private static final ClientInterceptor BEARER = new ClientInterceptor() {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
        CallOptions options, Channel next) {
      String key = options.getOption(API_KEY);
      ClientCall<Q, R> call = next.newCall(method, options);
      if (key == null) {
        return call;
      }
      return new SimpleForwardingClientCall<>(call) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(AUTHORIZATION, "Bearer " + key);
          super.start(listener, headers);
        }
      };
    }
  };

  private final List<ManagedChannel> managed;
  private final List<Channel> channels;
  private final long deadlineNanos;
  private final AtomicInteger next = new AtomicInteger();

  private GrpcClient(List<ManagedChannel> managed, List<Channel> channels, Duration deadline) {
    this.managed = managed;
    this.channels = channels;
    this.deadlineNanos = deadline.toNanos();
  }

  static GrpcClient open(String target, int connections, Optional<Path> tlsCa,
      Duration deadline) throws SSLException {
    List<ManagedChannel> managed = new ArrayList<>();
    List<Channel> channels = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target);
      if (tlsCa.isPresent()) {
        builder.sslContext(GrpcSslContexts.forClient().trustManager(tlsCa.get().toFile()).build());
      } else {
        builder.usePlaintext();
      }
      // Callbacks run on the transport thread: recording a latency and sending the next
      // call of a sale are both non-blocking.
      ManagedChannel channel = builder.directExecutor().build();
      managed.add(channel);
      channels.add(ClientInterceptors.intercept(channel, BEARER));
    }
    return new GrpcClient(managed, channels, deadline);
  }

  /**
   * Starts a unary call on the next connection, sending {@code apiKey} when present; the
   * future completes with its answer.
   */
  <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request,
      Optional<String> apiKey) {
    Channel channel = channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    CallOptions options =
        CallOptions.DEFAULT.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS);
    if (apiKey.isPresent()) {
      options = options.withOption(API_KEY, apiKey.get());
    }
    CompletableFuture<R> answer = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel.newCall(method, options),
        request,
        new StreamObserver<R>() {
          @Override
          public void onNext(R value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            // The unary answer came with onNext.
          }
        });
    return answer;
  }

  @Override
  public void close() throws InterruptedException {
    managed.forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : managed) {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }
}
