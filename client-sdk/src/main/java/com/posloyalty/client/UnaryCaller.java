package com.posloyalty.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Makes unary calls with a deadline each, as {@link CompletableFuture}s that fail with a
 * {@link LoyaltyException}. Blocking methods wait on the same futures, so both forms share one
 * path.
 */
final class UnaryCaller {
  private final Channel channel;
  private final Runnable reconnect;

  /**
   * Calls over {@code channel}; {@code reconnect} runs after each {@code UNAVAILABLE}, so the
   * next call tries to connect at once instead of failing fast for the rest of gRPC's reconnect
   * backoff (up to two minutes) while the service may already be back.
   */
  UnaryCaller(Channel channel, Runnable reconnect) {
    this.channel = channel;
    this.reconnect = reconnect;
  }

  /** Starts {@code method} with {@code request}; the call is abandoned after {@code deadline}. */
  <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request, Duration deadline) {
    return call(method, request, deadline, CallOptions.DEFAULT);
  }

  /** As {@link #call(MethodDescriptor, Object, Duration)}, every attempt watched by {@code tracker}. */
  <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request, Duration deadline,
      DeliveryTracker tracker) {
    return call(method, request, deadline, CallOptions.DEFAULT.withStreamTracerFactory(tracker));
  }

  private <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request,
      Duration deadline, CallOptions base) {
    CallOptions options = base.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
    ClientCall<Q, R> call = channel.newCall(method, options);
    CompletableFuture<R> result = new CompletableFuture<>();
    result.whenComplete((response, failure) -> {
      if (failure instanceof CancellationException) {
        call.cancel("cancelled by the caller", failure);
      }
    });
    ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
      @Override
      public void onNext(R response) {
        result.complete(response);
      }

      @Override
      public void onError(Throwable failure) {
        LoyaltyException error = ErrorMapper.map(failure);
        if (error.code() == Status.Code.UNAVAILABLE) {
          reconnect.run();
        }
        result.completeExceptionally(error);
      }

      @Override
      public void onCompleted() {
        // A unary response has already completed the future in onNext.
      }
    });
    return result;
  }

  /**
   * Waits for {@code future} and returns its value, rethrowing its {@link LoyaltyException}
   * (or other unchecked failure) as it is, not wrapped.
   */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /** The {@link LoyaltyException} a failed future carries, unwrapped from its envelope. */
  static LoyaltyException failureOf(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    return ErrorMapper.map(cause);
  }
}
