package com.posloyalty.server.api;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.StatusRuntimeException;

/**
 * A listener that checks each request message before the service sees it and, on a
 * refusal, closes the call and forwards nothing further.
 */
abstract class CallGuard<Q, R> extends SimpleForwardingServerCallListener<Q> {

  private final ServerCall<Q, R> call;
  private boolean closed;

  CallGuard(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call) {
    super(delegate);
    this.call = call;
  }

  /** Closes {@code call} with the status and details {@code e} maps to. */
  static void close(ServerCall<?, ?> call, RuntimeException e) {
    StatusRuntimeException status = ErrorMapper.toStatus(e);
    call.close(status.getStatus(),
        status.getTrailers() == null ? new Metadata() : status.getTrailers());
  }

  /** Throws to refuse the message. */
  abstract void check(Q message);

  @Override
  public void onMessage(Q message) {
    if (closed) {
      return;
    }
    try {
      check(message);
    } catch (RuntimeException e) {
      closed = true;
      close(call, e);
      return;
    }
    super.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    if (!closed) {
      super.onHalfClose();
    }
  }

  @Override
  public void onReady() {
    if (!closed) {
      super.onReady();
    }
  }
}
