package com.posloyalty.client;

import java.util.Optional;

/**
 * The phone number or e-mail address already belongs to another member
 * ({@code ALREADY_EXISTS} reason {@code DUPLICATE_PHONE} or {@code DUPLICATE_EMAIL}). At the lane:
 * identify the existing member instead of enrolling a new one.
 */
public class DuplicateMemberException extends AlreadyExistsException {
  private static final long serialVersionUID = 1L;

  DuplicateMemberException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  /**
   * The member who already has the phone number or e-mail address.
   *
   * @return the existing member's id, from the error's {@code member_id} metadata, or empty
   *     when the service did not say
   */
  public Optional<String> existingMemberId() {
    return Optional.ofNullable(metadata().get("member_id"));
  }
}
