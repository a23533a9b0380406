package com.posloyalty.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EarningCalculatorTest {

  static final TierRule MEMBER = new TierRule("member", "Member", 0, 0, 10000);
  static final TierRule GOLD = new TierRule("gold", "Gold", 1, 100000, 15000);

  static ProgramRules program(long pointsPerUnit, long unitMinor, long birthdayBonus,
      List<EarningRule> rules) {
    return new ProgramRules("p", "P", "EUR", pointsPerUnit, unitMinor, 0, birthdayBonus, 0, 0,
        false, Duration.ofMinutes(15), 500, 0, 100, 100, 0, 10000, Duration.ofDays(7),
        List.of(MEMBER, GOLD), rules);
  }

  static SaleLine line(String id, String sku, String category, long qty, long price, long discount) {
    return new SaleLine(id, sku, category, qty, price, discount);
  }

  static Earning earn(ProgramRules p, TierRule tier, SaleLine... lines) {
    return EarningCalculator.earn(p, tier, List.of(lines), Optional.empty(), 0,
        LocalDate.of(2026, 3, 1));
  }

  @Test
  void basePointsRoundDownPerLineNotPerBasket() {
    Earning e = earn(program(1, 100, 0, List.of()), MEMBER,
        line("1", "A", "", 1, 199, 0), line("2", "B", "", 1, 199, 0));
    assertThat(e.lines()).extracting(LineEarning::points).containsExactly(1L, 1L);
    assertThat(e.totalPoints()).isEqualTo(2);
    assertThat(e.eligibleMinor()).isEqualTo(398);
  }

  @Test
  void pointsAreEarnedAfterThePosDiscount() {
    Earning e = earn(program(1, 100, 0, List.of()), MEMBER, line("1", "A", "", 3, 1000, 550));
    assertThat(e.lines().get(0).eligibleMinor()).isEqualTo(2450);
    assertThat(e.totalPoints()).isEqualTo(24);
  }

  @Test
  void excludedCategoriesEarnNothingAndSayWhy() {
    ProgramRules p = program(1, 100, 0, List.of(
        new EarningRule("x", EarningRule.Kind.EXCLUDED_CATEGORY, "tobacco", 10000, "Tobacco")));
    Earning e = earn(p, GOLD, line("1", "CIGS", "Tobacco", 1, 5000, 0));
    assertThat(e.totalPoints()).isZero();
    assertThat(e.eligibleMinor()).isZero();
    assertThat(e.lines().get(0).excluded()).isTrue();
    assertThat(e.lines().get(0).components().get(0).description()).isEqualTo("Excluded: Tobacco");
  }

  @Test
  void skuMultiplierBeatsCategoryMultiplierAndTierBonusAddsOnTheBase() {
    ProgramRules p = program(1, 100, 0, List.of(
        new EarningRule("c", EarningRule.Kind.CATEGORY_MULTIPLIER, "coffee", 40000, "Coffee"),
        new EarningRule("s", EarningRule.Kind.SKU_MULTIPLIER, "BEANS", 20000, "Beans")));
    Earning e = earn(p, GOLD, line("1", "BEANS", "coffee", 1, 1099, 0));
    // base 10, SKU ×2 → +10, Gold ×1.5 → +5.
    assertThat(e.lines().get(0).components())
        .extracting(c -> c.kind() + "=" + c.points() + ":" + c.description())
        .containsExactly("BASE=10:1 pt per 1.00 on 10.99", "MULTIPLIER=10:Beans ×2",
            "TIER_BONUS=5:Gold tier ×1.5");
    assertThat(e.totalPoints()).isEqualTo(25);
  }

  @Test
  void eachComponentRoundsDownOnItsOwn() {
    ProgramRules p = program(1, 100, 0, List.of(
        new EarningRule("c", EarningRule.Kind.CATEGORY_MULTIPLIER, "x", 15000, "X")));
    Earning e = earn(p, GOLD, line("1", "A", "x", 1, 700, 0));
    // base 7; ×1.5 rule → floor(3.5) = 3; ×1.5 tier → 3.
    assertThat(e.totalPoints()).isEqualTo(13);
  }

  @Test
  void birthdayBonusOncePerYearInTheBirthdayMonth() {
    ProgramRules p = program(1, 100, 200, List.of());
    Optional<MonthDay> march = Optional.of(new MonthDay(3, 14));
    List<SaleLine> basket = List.of(line("1", "A", "", 1, 1000, 0));
    Earning inMonth = EarningCalculator.earn(p, MEMBER, basket, march, 2025, LocalDate.of(2026, 3, 2));
    assertThat(inMonth.totalPoints()).isEqualTo(210);
    assertThat(inMonth.birthdayBonusYear()).isEqualTo(2026);
    assertThat(EarningCalculator.earn(p, MEMBER, basket, march, 2026, LocalDate.of(2026, 3, 20))
        .totalPoints()).isEqualTo(10);
    assertThat(EarningCalculator.earn(p, MEMBER, basket, march, 2025, LocalDate.of(2026, 4, 1))
        .totalPoints()).isEqualTo(10);
  }

  @Test
  void hugeLinesAreExactBeyondWhatALongProductHolds() {
    ProgramRules p = program(1, 100, 0, List.of(
        new EarningRule("c", EarningRule.Kind.CATEGORY_MULTIPLIER, "x", 100000, "X")));
    Earning e = earn(p, MEMBER, line("1", "A", "x", 100_000, 100_000_000_000L, 0));
    // 1e16 minor: base 1e14, ×10 rule adds 9e14; 1e16 × 9e4 would not fit in a long.
    assertThat(e.totalPoints()).isEqualTo(1_000_000_000_000_000L);
  }

  @Test
  void pointsBeyondTheLongRangeAreRefusedNotWrapped() {
    ProgramRules p = program(1000, 1, 0, List.of());
    assertThatThrownBy(() -> earn(p, MEMBER, line("1", "A", "x", 100_000, 100_000_000_000L, 0)))
        .isInstanceOfSatisfying(Refusal.class,
            r -> assertThat(r.reason()).isEqualTo("AMOUNT_OUT_OF_RANGE"));
  }
}
