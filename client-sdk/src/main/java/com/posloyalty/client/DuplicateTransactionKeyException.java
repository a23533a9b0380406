package com.posloyalty.client;

/**
 * An idempotency key was used again with a different payload ({@code ALREADY_EXISTS} reason
 * {@code TRANSACTION_KEY_REUSED}, {@code RETURN_ID_REUSED} or {@code REQUEST_ID_REUSED}). A
 * replay of the same payload never fails this way: it returns the first result. At the lane this
 * means the POS reused a transaction id for a different sale.
 */
public class DuplicateTransactionKeyException extends AlreadyExistsException {
  private static final long serialVersionUID = 1L;

  DuplicateTransactionKeyException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
