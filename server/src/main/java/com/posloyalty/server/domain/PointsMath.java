package com.posloyalty.server.domain;

import java.math.BigInteger;

/** Integer arithmetic for points and money: exact, rounding down, never floating point. */
public final class PointsMath {

  /** Basis points of one whole (10000 bp = ×1). */
  public static final long ONE_BP = 10_000L;

  private PointsMath() {}

  /**
   * {@code floor(a × b / c)} for non-negative a, b and positive c, exact even when
   * {@code a × b} does not fit in a long.
   */
  public static long mulDivFloor(long a, long b, long c) {
    if (a < 0 || b < 0 || c <= 0) {
      throw new IllegalArgumentException("mulDivFloor needs a, b >= 0 and c > 0");
    }
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if (high == 0 && low >= 0) {
      return low / c;
    }
    return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
        .divide(BigInteger.valueOf(c)).longValueExact();
  }
}
