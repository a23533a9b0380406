package com.posloyalty.loadtest;

/**
 * The seeded members, addressed by index 0..n-1. Every identifier is derived from the
 * index, so a scenario can name any seeded member without reading the database, and a
 * re-run finds the same members.
 */
final class Population {

  /**
   * The server's issuer prefix (6299) and a 9. Enrolment draws random numbers under 6299
   * and checks each against the cards table, so a clash is skipped, never reused.
   */
  private static final String CARD_PREFIX = "62999";

  private Population() {}

  static String memberId(long index) {
    return "mbr_lt" + pad(index, 18);
  }

  /** A 16-digit card number with a valid Luhn check digit. */
  static String cardNumber(long index) {
    String payload = CARD_PREFIX + pad(index, 10);
    return payload + checkDigit(payload);
  }

  static String phone(long index) {
    return "+491700" + pad(index, 7);
  }

  static String email(long index) {
    return "lt" + index + "@loadtest.example";
  }

  static char checkDigit(String payload) {
    int sum = 0;
    boolean doubleIt = true;
    for (int i = payload.length() - 1; i >= 0; i--) {
      int d = payload.charAt(i) - '0';
      if (doubleIt) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  private static String pad(long value, int width) {
    String digits = Long.toString(value);
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }
}
