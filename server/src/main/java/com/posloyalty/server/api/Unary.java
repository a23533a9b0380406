package com.posloyalty.server.api;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Runs one unary call: the answer, or the mapped error; never a raw exception. */
final class Unary {

  private Unary() {}

  static <T> void run(StreamObserver<T> observer, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (RuntimeException e) {
      observer.onError(ErrorMapper.toStatus(e));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /**
   * Completes a call whose answer came asynchronously: {@code response}, or the mapped
   * {@code error} (unwrapped from a {@link CompletionException}). A call the client has
   * cancelled meanwhile is left alone.
   */
  static <T> void complete(StreamObserver<T> observer, T response, Throwable error) {
    try {
      if (error == null) {
        observer.onNext(response);
        observer.onCompleted();
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      observer.onError(ErrorMapper.toStatus(cause));
    } catch (StatusRuntimeException cancelled) {
      // The call was cancelled (deadline passed, client gone): nobody is waiting for it.
    }
  }
}
