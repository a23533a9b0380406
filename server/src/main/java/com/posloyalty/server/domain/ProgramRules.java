package com.posloyalty.server.domain;

import java.time.Duration;
import java.time.Instant;
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

  /** How far ahead of the server's clock a sale's time may lie (a lane's clock may run fast). */
  public static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

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

  /**
   * Refuses a new sale (not a replay) whose time lies before the backdate window or more
   * than {@link #FUTURE_SKEW} after {@code now}.
   */
  public void requireSaleTime(Instant occurredAt, Instant now) {
    if (occurredAt.isAfter(now.plus(FUTURE_SKEW))
        || occurredAt.isBefore(now.minus(backdateWindow))) {
      throw Refusal.invalid("OCCUR_TIME_OUT_OF_WINDOW", "occur_time",
          "must lie between " + backdateWindow.toHours() + " hours ago and "
              + FUTURE_SKEW.toMinutes() + " minutes ahead");
    }
  }

  /**
   * Whether a sale earning {@code earning} pays {@code member}'s referrer the referral bonus:
   * the member's first purchase that earns, unless another sale paid it first.
   */
  public boolean referralBonusDue(Member member, Earning earning) {
    return referralBonusPoints > 0 && member.referrerId().isPresent()
        && !member.referralBonusPaid() && earning.eligibleMinor() > 0;
  }
}
