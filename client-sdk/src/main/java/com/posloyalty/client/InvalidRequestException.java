package com.posloyalty.client;

/**
 * The service refused the request as malformed ({@code INVALID_ARGUMENT} or
 * {@code OUT_OF_RANGE}), for example {@code CARD_CHECK_DIGIT_INVALID} or {@code EMPTY_BASKET}.
 * {@link #fieldViolations()} names the offending fields. Retrying the same request cannot help.
 */
public class InvalidRequestException extends LoyaltyException {
  private static final long serialVersionUID = 1L;

  InvalidRequestException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
