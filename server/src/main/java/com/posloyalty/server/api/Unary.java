package com.posloyalty.server.api;

import io.grpc.stub.StreamObserver;
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
}
