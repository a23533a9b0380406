package com.posloyalty.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A new sale's time: within the program's backdate window, at most five minutes ahead. */
class ProgramRulesTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final ProgramRules rules = EarningCalculatorTest.program(1, 100, 0, List.of());

  @Test
  void aSaleInsideTheWindowIsAccepted() {
    assertThatCode(() -> rules.requireSaleTime(NOW, NOW)).doesNotThrowAnyException();
    assertThatCode(() -> rules.requireSaleTime(NOW.minus(rules.backdateWindow()), NOW))
        .doesNotThrowAnyException();
    assertThatCode(() -> rules.requireSaleTime(NOW.plus(ProgramRules.FUTURE_SKEW), NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void aSaleOutsideTheWindowIsRefusedNamingOccurTime() {
    for (Instant outside : List.of(
        NOW.minus(rules.backdateWindow()).minusMillis(1),
        NOW.plus(ProgramRules.FUTURE_SKEW).plus(Duration.ofMillis(1)))) {
      assertThatThrownBy(() -> rules.requireSaleTime(outside, NOW))
          .isInstanceOfSatisfying(Refusal.class, r -> {
            assertThat(r.reason()).isEqualTo("OCCUR_TIME_OUT_OF_WINDOW");
            assertThat(r.violations()).extracting(Refusal.FieldViolation::field).containsExactly("occur_time");
          });
    }
  }
}
