package com.posloyalty.server.domain;

/**
 * One tier of the program.
 *
 * @param qualifyingSpendMinor rolling-365-day spend needed to hold the tier
 * @param multiplierBp earn multiplier in basis points (10000 = ×1, 15000 = ×1.5)
 */
public record TierRule(
    String tierId, String displayName, int rank, long qualifyingSpendMinor, int multiplierBp) {}
