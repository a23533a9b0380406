package com.posloyalty.server.store;

/**
 * PostgreSQL cannot be reached (or did not answer in time); the call may be retried. Nothing
 * was applied, unless {@link #outcomeUnknown()}: the connection was lost while the
 * transaction was being committed, so PostgreSQL may have committed it.
 */
public final class StoreUnavailableException extends RuntimeException {
  private final boolean outcomeUnknown;

  public StoreUnavailableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public StoreUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  /** Whether the change may have been committed although the call failed. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
