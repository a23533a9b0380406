package com.posloyalty.client;

/**
 * No member matches the identifier or member id given ({@code NOT_FOUND} reason
 * {@code MEMBER_NOT_FOUND}). At the lane: carry on with the sale without loyalty, or offer to
 * enrol the customer.
 */
public class MemberNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  MemberNotFoundException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
