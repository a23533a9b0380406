package com.posloyalty.server.domain;

/** One explained part of a points line. */
public record PointsComponent(Kind kind, long points, String description, String sourceId) {

  /** What the points are for. */
  public enum Kind {
    BASE,
    MULTIPLIER,
    TIER_BONUS,
    OFFER_BONUS,
    BIRTHDAY_BONUS
  }
}
