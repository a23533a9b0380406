package com.posloyalty.server.domain;

import java.time.Instant;
import java.util.Optional;

/** Everything the lane shows about a member after identification. */
public record MemberView(
    Member member, TierRule tier, Balance balance, long pointsExpiringSoon,
    Optional<Instant> nextExpiry, long qualifyingSpendMinor, String currencyCode) {}
