package com.posloyalty.client;

/**
 * The service refused the request for a business reason ({@code FAILED_PRECONDITION}), for
 * example {@code RESERVATION_EXPIRED} or {@code APPROVAL_REQUIRED}. The request is well-formed;
 * the member's or the sale's state does not allow it.
 */
public class RefusedException extends LoyaltyException {
  private static final long serialVersionUID = 1L;

  RefusedException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
