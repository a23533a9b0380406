package com.posloyalty.server.store;

/** An insert hit a unique constraint; {@link #constraint()} names it. */
public final class DuplicateKeyException extends RuntimeException {
  private final String constraint;

  public DuplicateKeyException(String constraint, Throwable cause) {
    super("duplicate key: " + constraint, cause);
    this.constraint = constraint;
  }

  public String constraint() {
    return constraint;
  }
}
