package com.posloyalty.server.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/** Normalises phones to E.164 and e-mails to lower case, refusing what cannot be either. */
public final class ContactDetails {

  private static final Pattern EMAIL =
      Pattern.compile("^[^@\\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$");

  private ContactDetails() {}

  /**
   * "+49 151 1234-5678" → "+4915112345678"; a national number ("0151 …") gets the
   * program's country calling code in place of its leading zero.
   */
  public static String normalizePhone(String raw, String field, String defaultCallingCode) {
    String s = raw == null ? "" : raw.strip();
    StringBuilder digits = new StringBuilder();
    boolean international = s.startsWith("+") || s.startsWith("00");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isDigit(c)) {
        digits.append(c);
      } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && !(c == '+' && i == 0)) {
        throw Refusal.invalid("INVALID_PHONE", field, "contains characters a phone number cannot");
      }
    }
    String national = digits.toString();
    String e164;
    if (international) {
      e164 = "+" + (s.startsWith("00") ? national.substring(2) : national);
    } else if (national.startsWith("0")) {
      e164 = "+" + defaultCallingCode + national.substring(1);
    } else {
      throw Refusal.invalid("INVALID_PHONE", field,
          "must be in international form (+…) or a national number starting with 0");
    }
    int length = e164.length() - 1;
    if (length < 8 || length > 15 || e164.charAt(1) == '0') {
      throw Refusal.invalid("INVALID_PHONE", field, "is not a valid E.164 number");
    }
    return e164;
  }

  /** Trims and lower-cases; refuses what is not shaped like an address. */
  public static String normalizeEmail(String raw, String field) {
    String s = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
    if (s.length() > 254 || !EMAIL.matcher(s).matches()) {
      throw Refusal.invalid("INVALID_EMAIL", field, "is not a valid e-mail address");
    }
    return s;
  }
}
