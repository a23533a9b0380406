package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.LockWaits;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduled tier evaluation against a sale of the same member in flight. */
class TierEvaluationRaceTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static final MutableClock clock = new MutableClock(Instant.parse("2026-05-04T10:00:00Z"));
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("tier_race", clock, Map.of(),
        "INSERT INTO tiers VALUES ('silver', 'Silver', 1, 10000, 10000)");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theEvaluationWaitsForASaleInFlightAndKeepsTheTierItsSpendHolds() throws Exception {
    String member = server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
        .setRequestId("race").setPointOfSale(LANE).setGivenName("T").setPhone("+4915100000901")
        .build()).getMember().getMemberId();
    assertThat(server.checkout().commitTransaction(CommitTransactionRequest.newBuilder()
        .setPointOfSale(LANE).setPosTransactionId("first").setMemberId(member)
        .setBasket(eur(line("1", "X", "", 1, 10_000))).build()).getReceipt().getTierUpgraded())
        .isTrue();
    // A year on, that spend has left the window; a new sale is in flight: it holds the
    // member row, as every sale does from its claim on, and has recorded spend that keeps
    // the tier, but has not committed yet.
    clock.advance(Duration.ofDays(366));
    try (Connection sale = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
      sale.setAutoCommit(false);
      try (PreparedStatement lock = sale.prepareStatement(
              "SELECT 1 FROM members WHERE member_id = ? FOR NO KEY UPDATE");
          PreparedStatement spend = sale.prepareStatement("INSERT INTO spend_events"
              + " (member_id, occurred_at, amount_minor, reference_id) VALUES (?, ?, 10000, 'sale')")) {
        lock.setString(1, member);
        lock.executeQuery().close();
        spend.setString(1, member);
        spend.setTimestamp(2, Timestamp.from(clock.instant()));
        spend.executeUpdate();
      }
      CompletableFuture<Integer> evaluation =
          CompletableFuture.supplyAsync(() -> server.app().component().jobs().evaluateTiers());
      LockWaits.awaitOne(server.jdbcUrl());
      sale.commit();

      assertThat(evaluation.get(10, TimeUnit.SECONDS)).isZero();
    }
    assertThat(server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(LANE).setMemberId(member).build()).getMember().getTier().getTierId())
        .isEqualTo("silver");
    assertThat(server.queryLong("SELECT count(*) FROM audit_log WHERE action = 'TIER_DOWNGRADED'"))
        .isZero();
  }
}
