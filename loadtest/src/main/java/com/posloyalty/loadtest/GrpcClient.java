package com.posloyalty.loadtest;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator's side of the wire: a few plaintext HTTP/2 connections used in turn,
 * asynchronous unary calls with a deadline each, and the API key (when given) as an
 * {@code authorization: Bearer} header. Every scenario, ceilings included, calls through
 * the same client, so they share channel settings.
 */
final class GrpcClient implements AutoCloseable {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final List<ManagedChannel> managed;
  private final List<Channel> channels;
  private final long deadlineNanos;
  private final AtomicInteger next = new AtomicInteger();

  private GrpcClient(List<ManagedChannel> managed, List<Channel> channels, Duration deadline) {
    this.managed = managed;
    this.channels = channels;
    this.deadlineNanos = deadline.toNanos();
  }

  static GrpcClient open(String target, int connections, Optional<String> apiKey,
      Duration deadline) {
    List<ManagedChannel> managed = new ArrayList<>();
    List<Channel> channels = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      // Callbacks run on the transport thread: recording a latency and sending the next
      // call of a sale are both non-blocking.
      ManagedChannel channel = NettyChannelBuilder.forTarget(target)
          .usePlaintext()
          .directExecutor()
          .build();
      managed.add(channel);
      channels.add(apiKey.<Channel>map(key -> {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + key);
        return ClientInterceptors.intercept(channel,
            MetadataUtils.newAttachHeadersInterceptor(headers));
      }).orElse(channel));
    }
    return new GrpcClient(managed, channels, deadline);
  }

  /** Starts a unary call on the next connection; the future completes with its answer. */
  <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request) {
    Channel channel = channels.get(Math.floorMod(next.getAndIncrement(), channels.size()));
    CompletableFuture<R> answer = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel.newCall(method,
            CallOptions.DEFAULT.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS)),
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
