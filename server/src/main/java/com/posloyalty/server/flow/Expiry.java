package com.posloyalty.server.flow;

import com.posloyalty.server.domain.ProgramRules;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** When points earned at a given moment expire under the program's rules. */
final class Expiry {

  private Expiry() {}

  static Optional<Instant> of(ProgramRules rules, Instant earnedAt, ZoneId zone) {
    if (rules.pointsExpiryMonths() <= 0) {
      return Optional.empty();
    }
    return Optional.of(earnedAt.atZone(zone).plusMonths(rules.pointsExpiryMonths()).toInstant());
  }
}
