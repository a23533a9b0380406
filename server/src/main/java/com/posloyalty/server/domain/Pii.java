package com.posloyalty.server.domain;

/**
 * Masks card numbers, phones and e-mails for logs and error messages. Raw values never
 * leave the service in either.
 */
public final class Pii {

  private Pii() {}

  /** "6299123456789012" → "************9012". */
  public static String card(String card) {
    if (card == null || card.length() <= 4) {
      return "****";
    }
    return "*".repeat(card.length() - 4) + card.substring(card.length() - 4);
  }

  /** "+4915112345678" → "+49*******678". */
  public static String phone(String phone) {
    if (phone == null || phone.length() < 7) {
      return "***";
    }
    return phone.substring(0, 3) + "*".repeat(phone.length() - 6)
        + phone.substring(phone.length() - 3);
  }

  /** "jane.doe@example.com" → "j***@example.com". */
  public static String email(String email) {
    if (email == null) {
      return "***";
    }
    int at = email.indexOf('@');
    if (at <= 0) {
      return "***";
    }
    return email.charAt(0) + "***" + email.substring(at);
  }
}
