package com.posloyalty.client;

/**
 * The member may not earn or redeem because their account is blocked, erased or merged
 * ({@code FAILED_PRECONDITION} reason {@code MEMBER_NOT_ACTIVE}). At the lane: ask the customer
 * to contact the service desk.
 */
public class MemberNotActiveException extends RefusedException {
  private static final long serialVersionUID = 1L;

  MemberNotActiveException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
