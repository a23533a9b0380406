package com.posloyalty.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.domain.ReturnCalculator.CapturedRedemption;
import com.posloyalty.server.domain.ReturnCalculator.Outcome;
import com.posloyalty.server.domain.ReturnCalculator.SaleState;
import com.posloyalty.server.domain.ReturnCalculator.SoldLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReturnCalculatorTest {

  @Test
  void partialReturnsAreCumulativeSoTheyAddUpToExactlyWhatWasEarned() {
    SoldLine line = new SoldLine("1", "A", 3, 1000, 1000, 10, 0, 0);
    Outcome first = ReturnCalculator.compute(new SaleState(List.of(line), 0, 0, List.of()),
        Map.of("1", 1L));
    assertThat(first.pointsReversed()).isEqualTo(3);
    SoldLine after1 = new SoldLine("1", "A", 3, 1000, 1000, 10, 1, 3);
    Outcome second = ReturnCalculator.compute(new SaleState(List.of(after1), 0, 0, List.of()),
        Map.of("1", 1L));
    assertThat(second.pointsReversed()).isEqualTo(3);
    SoldLine after2 = new SoldLine("1", "A", 3, 1000, 1000, 10, 2, 6);
    assertThat(ReturnCalculator.compute(new SaleState(List.of(after2), 0, 0, List.of()),
        Map.of("1", 1L)).pointsReversed()).isEqualTo(4);
  }

  @Test
  void returningMoreThanIsLeftIsRefused() {
    SoldLine line = new SoldLine("1", "A", 2, 1000, 1000, 10, 1, 5);
    assertThatThrownBy(() -> ReturnCalculator.compute(
        new SaleState(List.of(line), 0, 0, List.of()), Map.of("1", 2L)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.reason()).isEqualTo("RETURN_EXCEEDS_PURCHASE");
          assertThat(r.kind()).isEqualTo(Refusal.Kind.FAILED_PRECONDITION);
        });
  }

  @Test
  void basketBonusAndTenderFollowTheReturnedSpendAndComeBackWhole() {
    List<SoldLine> lines = List.of(new SoldLine("1", "A", 1, 3000, 3000, 30, 0, 0),
        new SoldLine("2", "B", 1, 1000, 1000, 10, 0, 0));
    List<CapturedRedemption> tender = List.of(new CapturedRedemption("r1", 400, 0, null));
    Outcome partial = ReturnCalculator.compute(new SaleState(lines, 100, 0, tender), Map.of("2", 1L));
    assertThat(partial.bonusReversed()).isEqualTo(25);
    assertThat(partial.refunds()).containsExactly(new ReturnCalculator.RedemptionRefund("r1", 100));
    List<SoldLine> rest = List.of(new SoldLine("1", "A", 1, 3000, 3000, 30, 0, 0),
        new SoldLine("2", "B", 1, 1000, 1000, 10, 1, 10));
    Outcome remainder = ReturnCalculator.compute(new SaleState(rest, 100, 25,
        List.of(new CapturedRedemption("r1", 400, 100, null))), Map.of("1", 1L));
    assertThat(remainder.bonusReversed()).isEqualTo(75);
    assertThat(remainder.refunds()).containsExactly(new ReturnCalculator.RedemptionRefund("r1", 300));
  }

  @Test
  void aReturnedFreeItemGivesItsRewardPointsBack() {
    List<SoldLine> lines = List.of(new SoldLine("1", "CUP", 1, 0, 0, 0, 0, 0),
        new SoldLine("2", "MILK", 1, 500, 500, 5, 0, 0));
    Outcome out = ReturnCalculator.compute(new SaleState(lines, 0, 0,
        List.of(new CapturedRedemption("r1", 300, 0, "CUP"))), Map.of("1", 1L));
    assertThat(out.refunds()).containsExactly(new ReturnCalculator.RedemptionRefund("r1", 300));
  }

  @Test
  void capKeepsTheBalanceFromGoingNegativeUnlessAllowed() {
    assertThat(ReturnCalculator.capReversal(50, 0, 20, false)).isEqualTo(20);
    assertThat(ReturnCalculator.capReversal(50, 10, 20, false)).isEqualTo(30);
    assertThat(ReturnCalculator.capReversal(50, 0, 20, true)).isEqualTo(50);
    assertThat(ReturnCalculator.capReversal(50, 0, -5, false)).isZero();
  }

  @Test
  void noSequenceOfReturnsEverTakesBackMoreThanWasEarnedOrGivesMoreThanWasPaid() {
    Random random = new Random(7);
    for (int sale = 0; sale < 2000; sale++) {
      List<SoldLine> lines = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        long qty = 1 + random.nextInt(7);
        long net = random.nextInt(100_000);
        lines.add(new SoldLine("l" + i, "S" + i, qty, net, net, random.nextInt(1000), 0, 0));
      }
      long bonus = random.nextInt(300);
      long tenderPoints = random.nextInt(800);
      long bonusReversed = 0;
      long refunded = 0;
      while (true) {
        Map<String, Long> request = new LinkedHashMap<>();
        for (SoldLine l : lines) {
          long left = l.quantity() - l.returnedQuantity();
          if (left > 0 && random.nextBoolean()) {
            request.put(l.lineId(), 1 + (long) random.nextInt((int) left));
          }
        }
        if (request.isEmpty()) {
          if (lines.stream().allMatch(l -> l.returnedQuantity() == l.quantity())) {
            break;
          }
          continue;
        }
        Outcome out = ReturnCalculator.compute(new SaleState(lines, bonus, bonusReversed,
            List.of(new CapturedRedemption("t", tenderPoints, refunded, null))), request);
        for (var lr : out.lines()) {
          assertThat(lr.pointsReversed()).isNotNegative();
          lines.replaceAll(l -> l.lineId().equals(lr.lineId()) ? new SoldLine(l.lineId(), l.sku(),
              l.quantity(), l.netMinor(), l.eligibleMinor(), l.points(),
              l.returnedQuantity() + lr.quantity(), l.reversedPoints() + lr.pointsReversed()) : l);
        }
        bonusReversed += out.bonusReversed();
        refunded += out.pointsRefunded();
        assertThat(bonusReversed).isLessThanOrEqualTo(bonus);
        assertThat(refunded).isLessThanOrEqualTo(tenderPoints);
        lines.forEach(l -> assertThat(l.reversedPoints()).isLessThanOrEqualTo(l.points()));
      }
      assertThat(bonusReversed).isEqualTo(bonus);
      assertThat(refunded).isEqualTo(tenderPoints);
      lines.forEach(l -> assertThat(l.reversedPoints()).isEqualTo(l.points()));
    }
  }
}
