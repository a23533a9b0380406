package com.posloyalty.server.domain;

import java.util.List;

/** What one basket line earns, with its parts. */
public record LineEarning(
    String lineId, long eligibleMinor, long points, List<PointsComponent> components,
    boolean excluded) {}
