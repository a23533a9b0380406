package com.posloyalty.server.domain;

/** Formats basis-point multipliers for receipts: 15000 → "×1.5". */
final class Multiplier {

  private Multiplier() {}

  static String format(long bp) {
    long whole = bp / PointsMath.ONE_BP;
    long fraction = bp % PointsMath.ONE_BP;
    if (fraction == 0) {
      return "×" + whole;
    }
    String digits = String.format("%04d", fraction).replaceAll("0+$", "");
    return "×" + whole + "." + digits;
  }
}
