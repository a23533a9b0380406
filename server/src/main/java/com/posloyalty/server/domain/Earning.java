package com.posloyalty.server.domain;

import java.util.List;

/**
 * What a basket earns: the sum of its lines plus the basket's bonuses.
 *
 * @param birthdayBonusYear the year whose birthday bonus this basket pays, or 0
 */
public record Earning(
    long totalPoints, long eligibleMinor, List<LineEarning> lines,
    List<PointsComponent> basketBonuses, int birthdayBonusYear) {

  public long basketBonusPoints() {
    return basketBonuses.stream().mapToLong(PointsComponent::points).sum();
  }
}
