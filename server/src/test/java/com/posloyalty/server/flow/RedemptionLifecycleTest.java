package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.GrpcErrors.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.rpc.ErrorInfo;
import com.posloyalty.server.testing.Baskets;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.Lane;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReleaseRedemptionResponse;
import com.posloyalty.v1.Reservation;
import com.posloyalty.v1.ReservationState;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.VerifyLedgerRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A reservation's life: held, then captured by a sale, released by the lane, or expired
 * when the lane never comes back (DESIGN §2, two-phase redemption). Time is a
 * {@link MutableClock}; holds last 120 s in this program.
 */
class RedemptionLifecycleTest {

  private static final PointOfSale LANE = TestServer.lane("store-1", "lane-1");
  private static final Duration TTL = Duration.ofSeconds(120);

  private static final AtomicInteger ids = new AtomicInteger();
  private static final MutableClock clock = new MutableClock(Instant.parse("2030-03-01T09:00:00Z"));
  private static TestServer server;
  private static Lane lane;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("redemption_lifecycle", clock,
        Map.of("LOYALTY_SWEEP_INTERVAL_SECONDS", "3600"),
        "UPDATE program SET reservation_ttl_seconds = 120",
        "INSERT INTO rewards (reward_id, display_name, points_cost, kind, amount_off_minor,"
            + " free_sku, state, created_at, updated_at) VALUES"
            + " ('five-off', '5 € off', 500, 'AMOUNT_OFF', 500, NULL, 'ACTIVE', now(), now()),"
            + " ('free-coffee', 'Free coffee', 150, 'FREE_ITEM', 0, 'COFFEE', 'ACTIVE', now(), now())");
    lane = new Lane(server, LANE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Each test starts a day later, with every hold left by earlier tests swept away. */
  @BeforeEach
  void nextDay() {
    clock.advance(Duration.ofDays(1));
    server.app().component().redemptions().expireOverdue(500);
  }

  @Test
  void commitCapturesTheHeldPointsOnceHoweverOftenItIsReplayed() {
    String member = lane.enrol();
    lane.earn(member, 800);
    Instant reservedAt = clock.instant();

    ReserveRedemptionResponse reserved = reserve(member, "five-off", LANE, "");
    Reservation held = reserved.getReservation();
    assertThat(reserved.getAvailablePoints()).isEqualTo(300);
    assertThat(held.getState()).isEqualTo(ReservationState.RESERVATION_STATE_HELD);
    assertThat(held.getPoints()).isEqualTo(500);
    assertThat(held.getRewardId()).isEqualTo("five-off");
    assertThat(held.getValue()).isEqualTo(Lane.eur(500));
    assertThat(held.getStoreId()).isEqualTo("store-1");
    assertThat(held.getExpireTime()).isEqualTo(timestamp(reservedAt.plus(TTL)));
    assertThat(lane.identify(member).getHeldPoints()).isEqualTo(500);

    CommitTransactionRequest sale = lane.sale(member, 2000, held.getReservationId());
    CommitTransactionResponse first = server.checkout().commitTransaction(sale);
    assertThat(first.getReplayed()).isFalse();
    assertThat(first.getReceipt().getPointsRedeemed()).isEqualTo(500);
    assertThat(first.getReceipt().getRedemptions(0).getState())
        .isEqualTo(ReservationState.RESERVATION_STATE_CAPTURED);
    assertThat(first.getReceipt().getRedemptions(0).getPosTransactionId())
        .isEqualTo(sale.getPosTransactionId());
    assertThat(first.getReceipt().getAvailablePoints()).isEqualTo(320);
    assertThat(first.getReceipt().getHeldPoints()).isZero();

    CommitTransactionResponse replay = server.checkout().commitTransaction(sale);
    assertThat(replay.getReplayed()).isTrue();
    assertThat(replay.getReceipt()).isEqualTo(first.getReceipt());
    assertThat(server.queryLong("SELECT count(*) FROM ledger_entries WHERE entry_type = 'REDEEM'"
        + " AND points = -500 AND reference_id = '" + held.getReservationId() + "'")).isEqualTo(1);
    assertThat(lane.identify(member).getAvailablePoints()).isEqualTo(320);
    assertThat(lane.identify(member).getHeldPoints()).isZero();
    assertLedgerBalanced(member);
  }

  @Test
  void pointsComeBackWhenTheLaneNeverReturnsAndTheHoldExpiresOnce() {
    String member = lane.enrol();
    lane.earn(member, 800);
    String held = reserve(member, "free-coffee", LANE, "").getReservation().getReservationId();
    assertThat(lane.identify(member).getAvailablePoints()).isEqualTo(650);

    clock.advance(TTL.minusSeconds(1));
    assertThat(server.app().component().redemptions().expireOverdue(500)).isZero();
    assertState(held, "HELD");

    clock.advance(Duration.ofSeconds(1));
    assertThat(server.app().component().redemptions().expireOverdue(500)).isEqualTo(1);
    assertThat(server.app().component().redemptions().expireOverdue(500)).isZero();
    assertState(held, "EXPIRED");
    assertThat(lane.identify(member).getAvailablePoints()).isEqualTo(800);
    assertThat(lane.identify(member).getHeldPoints()).isZero();
    assertThat(lotsRemaining(member)).isEqualTo(800);
    assertThat(server.queryLong("SELECT count(*) FROM ledger_entries WHERE member_id = '"
        + member + "'")).isEqualTo(1);

    ReleaseRedemptionResponse late = release(held, LANE);
    assertThat(late.getReservation().getState()).isEqualTo(ReservationState.RESERVATION_STATE_EXPIRED);
    assertThat(late.getAvailablePoints()).isEqualTo(800);
    assertLedgerBalanced(member);
  }

  @Test
  void aLapsedHoldFreesItsPointsForTheNextReservationBeforeTheSweeperRuns() {
    String member = lane.enrol();
    lane.earn(member, 500);
    String first = reserve(member, "five-off", LANE, "").getReservation().getReservationId();
    ErrorInfo refused = GrpcErrors.info(expect(Status.Code.FAILED_PRECONDITION,
        () -> reserve(member, "five-off", LANE, "")));
    assertThat(refused.getReason()).isEqualTo("INSUFFICIENT_POINTS");
    assertThat(refused.getMetadataMap()).containsEntry("available_points", "0");

    clock.advance(TTL);
    ReserveRedemptionResponse second = reserve(member, "five-off", LANE, "");

    assertThat(second.getAvailablePoints()).isZero();
    assertState(first, "EXPIRED");
    assertThat(lane.identify(member).getHeldPoints()).isEqualTo(500);
    assertThat(events(member, "REDEMPTION_EXPIRED")).isEqualTo(1);
    assertLedgerBalanced(member);
  }

  @Test
  void aHoldReleasedAfterItsTimeIsAnnouncedAsExpired() {
    String member = lane.enrol();
    lane.earn(member, 500);
    String held = reserve(member, "five-off", LANE, "").getReservation().getReservationId();
    clock.advance(TTL);

    assertThat(release(held, LANE).getReservation().getState())
        .isEqualTo(ReservationState.RESERVATION_STATE_EXPIRED);
    assertThat(events(member, "REDEMPTION_EXPIRED")).isEqualTo(1);
    assertThat(events(member, "REDEMPTION_RELEASED")).isZero();
  }

  private static long events(String member, String type) {
    return server.queryLong("SELECT count(*) FROM outbox_events WHERE member_id = '" + member
        + "' AND event_type = '" + type + "'");
  }

  @Test
  void capturingAnExpiredReservationIsRefusedAndTheSaleIsNotRecorded() {
    String member = lane.enrol();
    lane.earn(member, 800);
    String held = reserve(member, "five-off", LANE, "").getReservation().getReservationId();
    clock.advance(TTL);
    CommitTransactionRequest sale = lane.sale(member, 2000, held);

    StatusRuntimeException beforeSweep = expect(Status.Code.FAILED_PRECONDITION,
        () -> server.checkout().commitTransaction(sale));
    assertThat(GrpcErrors.reason(beforeSweep)).isEqualTo("RESERVATION_EXPIRED");
    assertThat(GrpcErrors.info(beforeSweep).getMetadataMap()).containsEntry("reservation_id", held);
    server.app().component().redemptions().expireOverdue(500);
    assertThat(GrpcErrors.reason(expect(Status.Code.FAILED_PRECONDITION,
        () -> server.checkout().commitTransaction(sale)))).isEqualTo("RESERVATION_EXPIRED");

    assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE pos_transaction_id = '"
        + sale.getPosTransactionId() + "'")).isZero();
    assertThat(lane.identify(member).getAvailablePoints()).isEqualTo(800);
    CommitTransactionResponse withoutRedemption = server.checkout().commitTransaction(
        sale.toBuilder().clearReservationIds().build());
    assertThat(withoutRedemption.getReplayed()).isFalse();
    assertThat(withoutRedemption.getReceipt().getAvailablePoints()).isEqualTo(820);
    assertLedgerBalanced(member);
  }

  @Test
  void capturingAReleasedReservationIsRefused() {
    String member = lane.enrol();
    lane.earn(member, 800);
    String held = reserve(member, "five-off", LANE, "").getReservation().getReservationId();
    release(held, LANE);

    StatusRuntimeException e = expect(Status.Code.FAILED_PRECONDITION,
        () -> server.checkout().commitTransaction(lane.sale(member, 2000, held)));

    assertThat(GrpcErrors.reason(e)).isEqualTo("RESERVATION_RELEASED");
    assertThat(GrpcErrors.info(e).getMetadataMap()).containsEntry("reservation_id", held);
    assertThat(lane.identify(member).getAvailablePoints()).isEqualTo(800);
    assertLedgerBalanced(member);
  }

  @Test
  void releaseIsIdempotentAndOnlyTheReservingStoreMayReleaseAnUncapturedHold() {
    String member = lane.enrol();
    lane.earn(member, 800);
    String held = reserve(member, "five-off", LANE, "").getReservation().getReservationId();

    StatusRuntimeException otherStore = expect(Status.Code.PERMISSION_DENIED,
        () -> release(held, TestServer.lane("store-2", "lane-1")));
    assertThat(GrpcErrors.reason(otherStore)).isEqualTo("STORE_MISMATCH");
    assertState(held, "HELD");

    ReleaseRedemptionResponse first = release(held, LANE);
    ReleaseRedemptionResponse again = release(held, LANE.toBuilder().setTerminalId("lane-2").build());
    assertThat(first.getReservation().getState()).isEqualTo(ReservationState.RESERVATION_STATE_RELEASED);
    assertThat(first.getAvailablePoints()).isEqualTo(800);
    assertThat(again).isEqualTo(first);
    assertThat(lane.identify(member).getHeldPoints()).isZero();
    assertThat(lotsRemaining(member)).isEqualTo(800);

    String captured = reserve(member, "free-coffee", LANE, "").getReservation().getReservationId();
    server.checkout().commitTransaction(lane.sale(member, 250, captured));
    assertThat(GrpcErrors.reason(expect(Status.Code.FAILED_PRECONDITION,
        () -> release(captured, LANE)))).isEqualTo("RESERVATION_CAPTURED");
    assertThat(GrpcErrors.reason(expect(Status.Code.NOT_FOUND,
        () -> release("rsv_no_such_hold", LANE)))).isEqualTo("RESERVATION_NOT_FOUND");
    assertThat(lane.identify(member).getAvailablePoints()).isEqualTo(652);
    assertLedgerBalanced(member);
  }

  @Test
  void aRetriedReservationHoldsOnceAndARequestIdCannotBeReusedForAnotherRedemption() {
    String member = lane.enrol();
    lane.earn(member, 800);
    ReserveRedemptionRequest request = ReserveRedemptionRequest.newBuilder()
        .setRequestId("retry-" + ids.incrementAndGet()).setPointOfSale(LANE).setMemberId(member)
        .setRewardId("free-coffee").build();

    ReserveRedemptionResponse first = server.checkout().reserveRedemption(request);
    ReserveRedemptionResponse retry = server.checkout().reserveRedemption(request);
    StatusRuntimeException reused = expect(Status.Code.ALREADY_EXISTS,
        () -> server.checkout().reserveRedemption(request.toBuilder().setRewardId("five-off").build()));

    assertThat(retry).isEqualTo(first);
    assertThat(GrpcErrors.reason(reused)).isEqualTo("REQUEST_ID_REUSED");
    assertThat(lane.identify(member).getAvailablePoints()).isEqualTo(650);
    assertThat(lane.identify(member).getHeldPoints()).isEqualTo(150);
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE member_id = '" + member
        + "'")).isEqualTo(1);
  }

  private static void assertState(String reservation, String state) {
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE reservation_id = '"
        + reservation + "' AND state = '" + state + "'")).as(reservation).isEqualTo(1);
  }

  private static long lotsRemaining(String member) {
    return server.queryLong("SELECT COALESCE(SUM(remaining), 0) FROM point_lots WHERE member_id = '"
        + member + "'");
  }

  private static void assertLedgerBalanced(String member) {
    var check = server.memberAdmin().verifyLedger(
        VerifyLedgerRequest.newBuilder().addMemberIds(member).build());
    assertThat(check.getMembersChecked()).isEqualTo(1);
    assertThat(check.getMismatchCount()).isZero();
  }

  private static ReserveRedemptionResponse reserve(String member, String reward, PointOfSale pos,
      String approvalCode) {
    return server.checkout().reserveRedemption(ReserveRedemptionRequest.newBuilder()
        .setRequestId("rsv-" + ids.incrementAndGet()).setPointOfSale(pos).setMemberId(member)
        .setRewardId(reward).setApprovalCode(approvalCode).build());
  }

  private static ReleaseRedemptionResponse release(String reservation, PointOfSale pos) {
    return server.checkout().releaseRedemption(ReleaseRedemptionRequest.newBuilder()
        .setPointOfSale(pos).setReservationId(reservation).build());
  }






  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano())
        .build();
  }
}
