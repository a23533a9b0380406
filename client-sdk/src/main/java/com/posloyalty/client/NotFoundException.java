package com.posloyalty.client;

/**
 * Something the request names does not exist ({@code NOT_FOUND}), for example
 * {@code TRANSACTION_NOT_FOUND} or {@code RESERVATION_NOT_FOUND}.
 */
public class NotFoundException extends LoyaltyException {
  private static final long serialVersionUID = 1L;

  NotFoundException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
