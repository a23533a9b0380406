package com.posloyalty.server.flow;

/**
 * A call that waited too long to be run and was not run: nothing of it was written, and the
 * caller may retry it under the same idempotency key.
 */
public final class Overloaded extends RuntimeException {

  private final long waitedMillis;

  public Overloaded(long waitedMillis) {
    super("the server is overloaded (the call waited " + waitedMillis + " ms) and did not run"
        + " it; retry with the same idempotency key", null, false, false);
    this.waitedMillis = waitedMillis;
  }

  public long waitedMillis() {
    return waitedMillis;
  }
}
