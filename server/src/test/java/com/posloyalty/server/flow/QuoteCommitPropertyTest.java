package com.posloyalty.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.BirthDate;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsEarning;
import com.posloyalty.v1.QuoteBasketRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * For many generated programs and baskets, QuoteBasket and CommitTransaction agree to
 * the point and line by line. The seed is fixed so a failure reproduces.
 */
class QuoteCommitPropertyTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  static final List<String> CATEGORIES = List.of("dairy", "organic", "tobacco", "coffee", "bakery", "");
  private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T10:00:00Z"));
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("property", clock, Map.of(),
        "UPDATE program SET birthday_bonus_points = 50",
        "INSERT INTO tiers VALUES ('silver', 'Silver', 1, 20000, 12500), ('gold', 'Gold', 2, 60000, 20000)");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void quoteAlwaysEqualsCommit() {
    Random random = new Random(20261123L);
    for (int round = 0; round < 30; round++) {
      randomProgram(random);
      // The program is re-read once its cached copy is older than five seconds.
      clock.advance(Duration.ofSeconds(10));
      String member = server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
          .setRequestId("p-" + round).setPointOfSale(LANE).setGivenName("P")
          .setPhone("+49151000" + String.format("%05d", round))
          .setBirthDate(BirthDate.newBuilder().setMonth(1 + random.nextInt(12)).setDay(5))
          .build()).getMember().getMemberId();
      for (int sale = 0; sale < 4; sale++) {
        Basket basket = randomBasket(random);
        PointsEarning quoted = server.checkout().quoteBasket(QuoteBasketRequest.newBuilder()
            .setPointOfSale(LANE).setMemberId(member).setBasket(basket).build()).getEarning();
        PointsEarning committed = server.checkout().commitTransaction(
            CommitTransactionRequest.newBuilder().setPointOfSale(LANE)
                .setPosTransactionId("p-" + round + "-" + sale).setMemberId(member)
                .setBasket(basket).build()).getReceipt().getEarning();
        assertThat(committed).as("round %d sale %d basket %s", round, sale, basket)
            .isEqualTo(quoted);
        assertThat(committed.getTotalPoints()).isEqualTo(
            committed.getLinesList().stream().mapToLong(l -> l.getPoints()).sum()
                + committed.getBasketBonusesList().stream().mapToLong(b -> b.getPoints()).sum());
      }
    }
  }

  private static void randomProgram(Random random) {
    server.sql("UPDATE program SET points_per_unit = " + (1 + random.nextInt(5))
            + ", unit_minor = " + (1 + random.nextInt(300)),
        "DELETE FROM earning_rules",
        "INSERT INTO earning_rules (rule_id, kind, match_value, multiplier_bp, display_name) VALUES"
            + " ('ex', 'EXCLUDED_CATEGORY', 'tobacco', 10000, 'Tobacco'),"
            + " ('cat', 'CATEGORY_MULTIPLIER', '" + CATEGORIES.get(random.nextInt(4))
            + "', " + (10000 + random.nextInt(30000)) + ", 'Category'),"
            + " ('sku', 'SKU_MULTIPLIER', 'SKU" + random.nextInt(8) + "', "
            + (10000 + random.nextInt(40000)) + ", 'Sku')");
  }

  private static Basket randomBasket(Random random) {
    Basket.Builder b = Basket.newBuilder().setCurrencyCode("EUR");
    int lines = 1 + random.nextInt(12);
    for (int i = 0; i < lines; i++) {
      long qty = 1 + random.nextInt(random.nextBoolean() ? 3 : 500);
      long price = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 999 : 250_000);
      long discount = random.nextInt(4) == 0 ? random.nextLong(qty * price + 1) : 0;
      b.addLines(BasketLine.newBuilder().setLineId("L" + i).setSku("SKU" + random.nextInt(8))
          .setCategory(CATEGORIES.get(random.nextInt(CATEGORIES.size()))).setQuantity(qty)
          .setUnitPriceMinor(price).setDiscountMinor(discount));
    }
    return b.build();
  }
}
