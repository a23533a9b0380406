package com.posloyalty.client;

/**
 * The request would create something that already exists ({@code ALREADY_EXISTS}).
 */
public class AlreadyExistsException extends LoyaltyException {
  private static final long serialVersionUID = 1L;

  AlreadyExistsException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
