package com.posloyalty.server.domain;

/** One basket line, validated: quantity ≥ 1, prices and discounts in range. */
public record SaleLine(
    String lineId, String sku, String category, long quantity, long unitPriceMinor,
    long discountMinor) {

  /** Gross minus the POS's own discount, in minor units; never negative. */
  public long netMinor() {
    return Math.max(0, Math.multiplyExact(quantity, unitPriceMinor) - discountMinor);
  }
}
