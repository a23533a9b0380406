package com.posloyalty.server.store;

/** PostgreSQL cannot be reached (or did not answer in time); the call may be retried. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
