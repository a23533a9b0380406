package com.posloyalty.server.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a basket earns. QuoteBasket and CommitTransaction both call this, so a
 * quote and the commit of the same basket agree to the point.
 *
 * <p>Rounding, defined here once: every component is computed per line from the line's
 * eligible spend and rounded down to a whole point; a line's points are the sum of its
 * components; the basket's points are the sum of its lines plus basket bonuses.
 */
public final class EarningCalculator {

  private EarningCalculator() {}

  /**
   * @param birthday the member's birthday (month and day), if known
   * @param lastBirthdayBonusYear the last year a birthday bonus was paid, or 0
   * @param saleDate the date of the sale in the program's time zone
   */
  public static Earning earn(
      ProgramRules rules, TierRule tier, List<SaleLine> lines, Optional<MonthDay> birthday,
      int lastBirthdayBonusYear, LocalDate saleDate) {
    try {
      return earnExact(rules, tier, lines, birthday, lastBirthdayBonusYear, saleDate);
    } catch (ArithmeticException overflow) {
      throw Refusal.invalid("AMOUNT_OUT_OF_RANGE", "basket.lines",
          "the basket's amounts or points exceed the supported range");
    }
  }

  private static Earning earnExact(
      ProgramRules rules, TierRule tier, List<SaleLine> lines, Optional<MonthDay> birthday,
      int lastBirthdayBonusYear, LocalDate saleDate) {
    List<LineEarning> earned = new ArrayList<>(lines.size());
    long total = 0;
    long eligibleTotal = 0;
    for (SaleLine line : lines) {
      LineEarning e = earnLine(rules, tier, line);
      earned.add(e);
      total = Math.addExact(total, e.points());
      eligibleTotal = Math.addExact(eligibleTotal, e.eligibleMinor());
    }
    List<PointsComponent> bonuses = new ArrayList<>();
    int bonusYear = 0;
    boolean birthdayMonth =
        birthday.isPresent() && birthday.get().month() == saleDate.getMonthValue();
    if (rules.birthdayBonusPoints() > 0 && birthdayMonth
        && lastBirthdayBonusYear < saleDate.getYear() && eligibleTotal > 0) {
      bonusYear = saleDate.getYear();
      bonuses.add(new PointsComponent(
          PointsComponent.Kind.BIRTHDAY_BONUS, rules.birthdayBonusPoints(),
          "Birthday bonus " + bonusYear, ""));
      total = Math.addExact(total, rules.birthdayBonusPoints());
    }
    return new Earning(total, eligibleTotal, List.copyOf(earned), List.copyOf(bonuses), bonusYear);
  }

  static LineEarning earnLine(ProgramRules rules, TierRule tier, SaleLine line) {
    for (EarningRule rule : rules.earningRules()) {
      if (rule.excludes() && rule.matches(line)) {
        return new LineEarning(line.lineId(), 0, 0, List.of(
            new PointsComponent(PointsComponent.Kind.BASE, 0,
                "Excluded: " + rule.displayName(), rule.ruleId())), true);
      }
    }
    long eligible = line.netMinor();
    long base = PointsMath.mulDivFloor(eligible, rules.pointsPerUnit(), rules.unitMinor());
    List<PointsComponent> parts = new ArrayList<>(3);
    parts.add(new PointsComponent(PointsComponent.Kind.BASE, base,
        rules.pointsPerUnit() + " pt per " + Money.format(rules.unitMinor(), rules.currencyCode())
            + " on " + Money.format(eligible, rules.currencyCode()), ""));
    long points = base;
    Optional<EarningRule> multiplier = bestMultiplier(rules, line);
    if (multiplier.isPresent()) {
      EarningRule rule = multiplier.get();
      long extra = PointsMath.mulDivFloor(base, rule.multiplierBp() - PointsMath.ONE_BP,
          PointsMath.ONE_BP);
      parts.add(new PointsComponent(PointsComponent.Kind.MULTIPLIER, extra,
          rule.displayName() + " " + Multiplier.format(rule.multiplierBp()), rule.ruleId()));
      points = Math.addExact(points, extra);
    }
    if (tier.multiplierBp() > PointsMath.ONE_BP) {
      long extra = PointsMath.mulDivFloor(base, tier.multiplierBp() - PointsMath.ONE_BP,
          PointsMath.ONE_BP);
      parts.add(new PointsComponent(PointsComponent.Kind.TIER_BONUS, extra,
          tier.displayName() + " tier " + Multiplier.format(tier.multiplierBp()), tier.tierId()));
      points = Math.addExact(points, extra);
    }
    return new LineEarning(line.lineId(), eligible, points, List.copyOf(parts), false);
  }

  /** SKU rules beat category rules; among equals the highest multiplier wins. */
  private static Optional<EarningRule> bestMultiplier(ProgramRules rules, SaleLine line) {
    EarningRule best = null;
    for (EarningRule rule : rules.earningRules()) {
      if (rule.excludes() || !rule.matches(line) || rule.multiplierBp() <= PointsMath.ONE_BP) {
        continue;
      }
      if (best == null || specificity(rule) > specificity(best)
          || (specificity(rule) == specificity(best) && rule.multiplierBp() > best.multiplierBp())) {
        best = rule;
      }
    }
    return Optional.ofNullable(best);
  }

  private static int specificity(EarningRule rule) {
    return rule.kind() == EarningRule.Kind.SKU_MULTIPLIER ? 2 : 1;
  }
}
