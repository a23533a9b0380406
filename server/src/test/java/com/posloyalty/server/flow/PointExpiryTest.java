package com.posloyalty.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.posloyalty.server.domain.Balance;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.SalePosting;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.Lane;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VerifyLedgerRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Points expire 12 months after they were earned, oldest lots first (DESIGN §3). The expiry
 * job is global, so each test lives in its own years on the {@link MutableClock} and first
 * expires whatever earlier tests left due.
 */
class PointExpiryTest {

  private static final PointOfSale LANE = TestServer.lane("store-1", "lane-1");

  private static final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private static TestServer server;
  private static Lane lane;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("point_expiry", clock,
        Map.of("LOYALTY_SWEEP_INTERVAL_SECONDS", "3600"),
        "UPDATE program SET points_expiry_months = 12, allow_negative_balance = TRUE,"
            + " tender_points_per_unit = 100, tender_unit_minor = 100, tender_min_points = 0,"
            + " tender_max_share_bp = 10000");
    lane = new Lane(server, LANE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void expiryJobExpiresOnlyTheUnspentRestOfAHalfRedeemedLotAndOnlyOnce() {
    startAt("2030-01-15T10:00:00Z");
    String member = lane.enrol();
    lane.earn(member, 100);
    at("2030-03-15T10:00:00Z");
    lane.earn(member, 60);
    at("2030-04-01T10:00:00Z");
    commit(member, 50, reserve(member, 50));

    at("2031-01-15T09:59:59Z");
    assertThat(expirePoints()).isZero();
    at("2031-01-15T10:00:00Z");
    assertThat(expirePoints()).isEqualTo(50);
    assertThat(expirePoints()).isZero();
    assertThat(available(member)).isEqualTo(60);
    assertThat(server.queryLong("SELECT count(*) FROM ledger_entries WHERE entry_type = 'EXPIRE'"
        + " AND points = -50 AND member_id = '" + member + "'")).isEqualTo(1);

    at("2031-03-15T10:00:00Z");
    assertThat(expirePoints()).isEqualTo(60);
    assertThat(expirePoints()).isZero();
    assertThat(available(member)).isZero();
    assertThat(sumOf(member, "EXPIRE")).isEqualTo(-110);
    assertLedgerBalanced(member);
  }

  @Test
  void expiryNeverTouchesHeldPointsAndTheSaleStillCapturesThem() {
    startAt("2035-01-15T10:00:00Z");
    String member = lane.enrol();
    lane.earn(member, 100);
    at("2036-01-15T09:58:00Z");
    String held = reserve(member, 70);

    at("2036-01-15T10:00:00Z");
    assertThat(expirePoints()).isEqualTo(30);
    MemberSummary shown = lane.identify(member);
    assertThat(shown.getAvailablePoints()).isZero();
    assertThat(shown.getHeldPoints()).isEqualTo(70);

    at("2036-01-15T10:01:00Z");
    // The 0.70 tendered fits the cap share of the 10.00 sale; the sale earns 10 points.
    CommitTransactionResponse sale = commit(member, 1000, held);
    assertThat(sale.getReceipt().getPointsRedeemed()).isEqualTo(70);
    assertThat(sale.getReceipt().getAvailablePoints()).isEqualTo(10);
    assertThat(sale.getReceipt().getHeldPoints()).isZero();
    assertThat(sumOf(member, "EXPIRE")).isEqualTo(-30);
    assertThat(sumOf(member, "REDEEM")).isEqualTo(-70);
    assertLedgerBalanced(member);
  }

  @Test
  void heldPointsReleasedAfterTheirExpiryDateExpireAtTheNextRun() {
    startAt("2045-01-15T10:00:00Z");
    String member = lane.enrol();
    lane.earn(member, 100);
    at("2046-01-15T09:58:00Z");
    String held = reserve(member, 70);
    at("2046-01-15T10:00:00Z");
    assertThat(expirePoints()).isEqualTo(30);

    at("2046-01-15T10:05:00Z");
    assertThat(server.checkout().releaseRedemption(ReleaseRedemptionRequest.newBuilder()
        .setPointOfSale(LANE).setReservationId(held).build()).getAvailablePoints()).isEqualTo(70);
    assertThat(expirePoints()).isEqualTo(70);

    assertThat(available(member)).isZero();
    assertThat(sumOf(member, "EXPIRE")).isEqualTo(-100);
    assertLedgerBalanced(member);
  }

  @Test
  void identifyMemberShowsTheAvailablePointsExpiringWithinThirtyDays() {
    startAt("2040-01-15T10:00:00Z");
    String member = lane.enrol();
    lane.earn(member, 40);

    at("2040-12-10T10:00:00Z");
    lane.earn(member, 25);
    MemberSummary early = lane.identify(member);
    assertThat(early.getAvailablePoints()).isEqualTo(65);
    assertThat(early.getPointsExpiringSoon()).isZero();
    assertThat(early.hasNextExpiryTime()).isFalse();

    at("2040-12-20T10:00:00Z");
    reserve(member, 15);
    MemberSummary soon = lane.identify(member);
    assertThat(soon.getAvailablePoints()).isEqualTo(50);
    assertThat(soon.getHeldPoints()).isEqualTo(15);
    assertThat(soon.getPointsExpiringSoon()).isEqualTo(25);
    assertThat(soon.getNextExpiryTime()).isEqualTo(timestamp("2041-01-15T10:00:00Z"));
  }

  @Test
  void aSaleShowsTheLaneThePointsAboutToExpireAndItsOwnSpend() {
    startAt("2055-01-15T10:00:00Z");
    String member = lane.enrol();
    lane.earn(member, 40);

    at("2055-12-20T10:00:00Z");
    CommitTransactionResponse sale = commit(member, 2500);
    assertThat(sale.getReceipt().getAvailablePoints()).isEqualTo(65);
    assertThat(sale.getReceipt().getQualifyingSpend().getAmountMinor()).isEqualTo(6500);
    // The summary the commit published: the first lot expires within 30 days, the sale's
    // own lot (a year away) does not.
    MemberSummary seen = lane.identify(member);
    assertThat(seen.getAvailablePoints()).isEqualTo(65);
    assertThat(seen.getPointsExpiringSoon()).isEqualTo(40);
    assertThat(seen.getNextExpiryTime()).isEqualTo(timestamp("2056-01-15T10:00:00Z"));
    assertThat(seen.getQualifyingSpend().getAmountMinor()).isEqualTo(6500);
    server.flushCache();
    assertThat(lane.identify(member)).isEqualTo(seen);
  }

  @Test
  void theSalePostingCountsTheLotAndTheSpendItWritesItself() throws Exception {
    startAt("2060-01-15T10:00:00Z");
    String member = lane.enrol();
    lane.earn(member, 10);
    Instant now = Instant.parse("2060-03-01T10:00:00Z");
    Instant soon = Instant.parse("2060-03-11T10:00:00Z");
    PointsAccount.Entry credit = new PointsAccount.Entry(member, "EARN", 30, now, null,
        "posting-1", "Purchase posting-1", "test");
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
      c.setAutoCommit(false);
      SalePosting.Posted posted = new SalePosting().post(c, member, Optional.of(credit),
          Optional.of(soon), new SalePosting.Spend(3000, now, "posting-1",
              now.minus(Duration.ofDays(365)), now), now, now.plus(Duration.ofDays(30)));
      assertThat(posted.balance().available()).isEqualTo(40);
      assertThat(posted.qualifyingSpendMinor()).isEqualTo(4000);
      assertThat(posted.expiring().points()).isEqualTo(30);
      assertThat(posted.expiring().first()).contains(soon);

      SalePosting.Posted nothingEarned = new SalePosting().post(c, member, Optional.empty(),
          Optional.empty(), new SalePosting.Spend(500, now, "posting-2",
              now.minus(Duration.ofDays(365)), now), now, now.plus(Duration.ofDays(30)));
      // No point moves, but the spend does: a new version, so the view replaces the cached one.
      assertThat(nothingEarned.balance()).isEqualTo(new Balance(posted.balance().available(),
          posted.balance().held(), posted.balance().version() + 1));
      assertThat(nothingEarned.qualifyingSpendMinor()).isEqualTo(4500);
      assertThat(nothingEarned.expiring()).isEqualTo(posted.expiring());
      c.rollback();
    }
    assertThat(available(member)).isEqualTo(10);
  }

  @Test
  void releaseAfterAReturnOverdrewTheBalanceLeavesNoPointsForExpiryToTake() {
    startAt("2050-01-15T10:00:00Z");
    String member = lane.enrol();
    String pos = commit(member, 10_000).getReceipt().getPosTransactionId();
    String held = reserve(member, 60);
    assertThat(server.checkout().returnItems(ReturnItemsRequest.newBuilder().setPointOfSale(LANE)
        .setReturnId("ret-" + pos).setOriginal(TransactionKey.newBuilder()
            .setStoreId(LANE.getStoreId()).setTerminalId(LANE.getTerminalId())
            .setPosTransactionId(pos))
        .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1)).build())
        .getReceipt().getAvailablePoints()).isEqualTo(-60);

    server.checkout().releaseRedemption(ReleaseRedemptionRequest.newBuilder()
        .setPointOfSale(LANE).setReservationId(held).build());
    assertThat(available(member)).isZero();
    assertThat(server.queryLong("SELECT SUM(remaining) FROM point_lots WHERE member_id = '"
        + member + "'")).isZero();

    at("2051-01-15T10:00:00Z");
    assertThat(expirePoints()).isZero();
    assertThat(available(member)).isZero();
    assertLedgerBalanced(member);
  }

  /** Moves to this test's own years and expires what earlier tests left due. */
  private static void startAt(String instant) {
    at(instant);
    expirePoints();
  }

  private static void at(String instant) {
    clock.setTo(Instant.parse(instant));
  }

  private static long expirePoints() {
    return server.app().component().jobs().expirePoints();
  }

  private static long available(String member) {
    return server.queryLong("SELECT available FROM balances WHERE member_id = '" + member + "'");
  }

  private static long sumOf(String member, String entryType) {
    return server.queryLong("SELECT COALESCE(SUM(points), 0) FROM ledger_entries"
        + " WHERE member_id = '" + member + "' AND entry_type = '" + entryType + "'");
  }

  private static void assertLedgerBalanced(String member) {
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.newBuilder()
        .addMemberIds(member).build()).getMismatchCount()).isZero();
    assertThat(server.queryLong("SELECT COALESCE(SUM(remaining), 0) FROM point_lots"
        + " WHERE member_id = '" + member + "'")).isEqualTo(Math.max(0, available(member)));
  }

  /** Holds {@code points} as tender towards a 10.00 basket; returns the reservation id. */
  private static String reserve(String member, long points) {
    return server.checkout().reserveRedemption(lane.tender(member, points, 1000))
        .getReservation().getReservationId();
  }

  private static CommitTransactionResponse commit(String member, long priceMinor,
      String... reservations) {
    return server.checkout().commitTransaction(lane.sale(member, priceMinor, reservations));
  }

  private static Timestamp timestamp(String instant) {
    Instant i = Instant.parse(instant);
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
