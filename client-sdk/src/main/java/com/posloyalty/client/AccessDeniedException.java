package com.posloyalty.client;

/**
 * The API key is missing, invalid or not allowed to do this ({@code UNAUTHENTICATED} or
 * {@code PERMISSION_DENIED}, for example {@code STORE_MISMATCH} when a terminal key acts for
 * another store). A configuration problem, not something the cashier can fix.
 */
public class AccessDeniedException extends LoyaltyException {
  private static final long serialVersionUID = 1L;

  AccessDeniedException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
