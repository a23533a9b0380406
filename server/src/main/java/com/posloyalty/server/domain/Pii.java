package com.posloyalty.server.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks card numbers, phones and e-mails for logs and error messages. Raw values never
 * leave the service in either.
 */
public final class Pii {

  private static final Pattern EMAIL =
      Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
  private static final Pattern PHONE = Pattern.compile("\\+\\d{7,15}\\b");
  private static final Pattern CARD = Pattern.compile("\\b\\d{8,19}\\b");

  private Pii() {}

  /**
   * Masks anything in free text that looks like an e-mail, an E.164 phone or a card
   * number — the last line of defence for log lines and messages built from input.
   */
  public static String scrub(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = EMAIL.matcher(text).replaceAll("$1***$2");
    out = PHONE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(phone(m.group())));
    return CARD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(card(m.group())));
  }

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
