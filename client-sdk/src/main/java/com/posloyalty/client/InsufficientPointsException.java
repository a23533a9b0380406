package com.posloyalty.client;

import java.util.OptionalLong;

/**
 * The member does not have enough available points ({@code FAILED_PRECONDITION} reason
 * {@code INSUFFICIENT_POINTS}). {@link #availablePoints()} tells the lane how many they have,
 * so it can offer a smaller redemption.
 */
public class InsufficientPointsException extends RefusedException {
  private static final long serialVersionUID = 1L;

  InsufficientPointsException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }

  /**
   * The member's available points when the request was refused, from the error's
   * {@code available_points} metadata.
   *
   * @return the available points, or empty when the service did not say
   */
  public OptionalLong availablePoints() {
    String value = metadata().get("available_points");
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
