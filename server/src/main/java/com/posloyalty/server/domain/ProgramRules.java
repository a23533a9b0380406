package com.posloyalty.server.domain;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules of the loyalty program as the domain sees them: earning rate, bonuses, tiers,
 * earning rules, expiry, redemption limits. Loaded by the store, decided on here.
 *
 * @param pointsPerUnit points earned per {@code unitMinor} minor units of eligible spend
 * @param tiers the tiers, in any order; the one with rank 0 is where members start
 */
public record ProgramRules(
    String programId,
    String displayName,
    String currencyCode,
    long pointsPerUnit,
    long unitMinor,
    long welcomeBonusPoints,
    long birthdayBonusPoints,
    long referralBonusPoints,
    int pointsExpiryMonths,
    boolean allowNegativeBalance,
    Duration reservationTtl,
    int maxBasketLines,
    long kioskApprovalThreshold,
    long tenderPointsPerUnit,
    long tenderUnitMinor,
    long tenderMinPoints,
    int tenderMaxShareBp,
    Duration backdateWindow,
    List<TierRule> tiers,
    List<EarningRule> earningRules) {

  public ProgramRules {
    tiers = tiers.stream().sorted(Comparator.comparingInt(TierRule::rank)).toList();
    earningRules = List.copyOf(earningRules);
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("a program needs at least one tier");
    }
  }

  /** The tier new members start in. */
  public TierRule entryTier() {
    return tiers.get(0);
  }

  public Optional<TierRule> tier(String tierId) {
    return tiers.stream().filter(t -> t.tierId().equals(tierId)).findFirst();
  }

  /** The best tier whose qualifying-spend threshold {@code spendMinor} reaches. */
  public TierRule tierForSpend(long spendMinor) {
    TierRule best = tiers.get(0);
    for (TierRule t : tiers) {
      if (spendMinor >= t.qualifyingSpendMinor()) {
        best = t;
      }
    }
    return best;
  }
}
