package com.posloyalty.server.flow;

/**
 * A call that waited too long to be run and was not run: nothing of it was written, and the
 * caller may retry it under the same idempotency key.
 */
public final class Overloaded extends RuntimeException {

  /** A call that waited {@code waitedMillis} for {@code what} (a worker, a commit group). */
  public Overloaded(long waitedMillis, String what) {
    super("the server is overloaded (the call waited " + waitedMillis + " ms for " + what
        + ") and did not run it; retry with the same idempotency key", null, false, false);
  }
}
