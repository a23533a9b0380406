package com.posloyalty.server.domain;

import java.util.Currency;

/** Formatting of minor-unit amounts for receipts; amounts themselves stay long. */
public final class Money {

  private Money() {}

  /** 1250, "EUR" → "12.50". */
  public static String format(long minor, String currencyCode) {
    int digits = fractionDigits(currencyCode);
    if (digits == 0) {
      return Long.toString(minor);
    }
    long scale = 1;
    for (int i = 0; i < digits; i++) {
      scale *= 10;
    }
    String sign = minor < 0 ? "-" : "";
    long abs = Math.abs(minor);
    String fraction = Long.toString(abs % scale);
    return sign + (abs / scale) + "." + "0".repeat(digits - fraction.length()) + fraction;
  }

  private static int fractionDigits(String currencyCode) {
    try {
      return Math.max(0, Currency.getInstance(currencyCode).getDefaultFractionDigits());
    } catch (IllegalArgumentException unknown) {
      return 2;
    }
  }
}
