package com.posloyalty.server.domain;

import java.util.random.RandomGenerator;

/**
 * Loyalty card numbers: digits only, 8–19 long, the last one a Luhn check digit so a
 * mistyped number is caught at the lane without a lookup.
 */
public final class CardNumber {

  /** Issuer prefix of cards this program issues. */
  static final String PREFIX = "6299";
  private static final int ISSUED_LENGTH = 16;

  private CardNumber() {}

  /** Refuses anything that is not a well-formed card number with a valid check digit. */
  public static String validate(String raw, String field) {
    String digits = raw == null ? "" : raw.replace(" ", "").replace("-", "");
    if (digits.length() < 8 || digits.length() > 19 || !digits.chars().allMatch(Character::isDigit)) {
      throw Refusal.invalid("CARD_NUMBER_MALFORMED", field, "must be 8 to 19 digits");
    }
    if (!luhnValid(digits)) {
      throw Refusal.invalid("CARD_CHECK_DIGIT_INVALID", field, "check digit does not match");
    }
    return digits;
  }

  /** A new random card number with this program's prefix and a valid check digit. */
  public static String issue(RandomGenerator random) {
    StringBuilder sb = new StringBuilder(PREFIX);
    while (sb.length() < ISSUED_LENGTH - 1) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    sb.append(checkDigit(sb));
    return sb.toString();
  }

  static boolean luhnValid(CharSequence digits) {
    return checkDigit(digits.subSequence(0, digits.length() - 1))
        == digits.charAt(digits.length() - 1);
  }

  /** The Luhn check digit to append to {@code payload}. */
  static char checkDigit(CharSequence payload) {
    int sum = 0;
    boolean doubleIt = true;
    for (int i = payload.length() - 1; i >= 0; i--) {
      int d = payload.charAt(i) - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }
}
