package com.posloyalty.server.api;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
   * Runs one unary call whose answer comes later: the stage's answer, or the mapped error
   * (thrown at once, or completing the stage). A call the client has cancelled meanwhile
   * is left alone.
   */
  static <T> void runAsync(StreamObserver<T> observer, Supplier<CompletionStage<T>> call) {
    CompletionStage<T> answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      observer.onError(ErrorMapper.toStatus(e));
      return;
    }
    answer.whenComplete((response, error) -> complete(observer, response, error));
  }

  private static <T> void complete(StreamObserver<T> observer, T response, Throwable error) {
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
