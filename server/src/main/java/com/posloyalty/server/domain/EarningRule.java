package com.posloyalty.server.domain;

/**
 * A rule that changes what a basket line earns.
 *
 * @param matchValue the category or SKU the rule applies to
 * @param multiplierBp for multipliers, the multiplier in basis points (20000 = ×2)
 */
public record EarningRule(
    String ruleId, Kind kind, String matchValue, int multiplierBp, String displayName) {

  /** What the rule does. */
  public enum Kind {
    CATEGORY_MULTIPLIER,
    SKU_MULTIPLIER,
    EXCLUDED_CATEGORY,
    EXCLUDED_SKU
  }

  boolean matches(SaleLine line) {
    return switch (kind) {
      case CATEGORY_MULTIPLIER, EXCLUDED_CATEGORY -> matchValue.equalsIgnoreCase(line.category());
      case SKU_MULTIPLIER, EXCLUDED_SKU -> matchValue.equals(line.sku());
    };
  }

  boolean excludes() {
    return kind == Kind.EXCLUDED_CATEGORY || kind == Kind.EXCLUDED_SKU;
  }
}
