package com.posloyalty.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.Lane;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReleaseRedemptionResponse;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.ReservationState;
import com.posloyalty.v1.VerifyLedgerRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Concurrent redemptions on one member (DESIGN §4.1–4.3): holds never spend the same
 * points, a sale is applied once however often it is sent at the same moment, a capture
 * racing a release has exactly one winner, and several sweepers at once (as on several
 * instances: they share nothing but the database's row locks) expire a lapsed hold once.
 */
class RedemptionConcurrencyTest {

  private static final PointOfSale LANE = TestServer.lane("store-1", "lane-1");
  private static final int CALLS = 50;
  private static final long COST = 100;
  private static final long SPARE = 50;

  private static final MutableClock clock = new MutableClock(Instant.parse("2030-06-01T12:00:00Z"));
  private static TestServer server;
  private static Lane lane;
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("redemption_concurrency", clock,
        Map.of("LOYALTY_SWEEP_INTERVAL_SECONDS", "3600"),
        "INSERT INTO rewards (reward_id, display_name, points_cost, kind, amount_off_minor, state,"
            + " created_at, updated_at) VALUES ('voucher-100', '1 € off', 100, 'AMOUNT_OFF', 100,"
            + " 'ACTIVE', now(), now())");
    lane = new Lane(server, LANE);
    pool = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
    server.close();
  }

  @ParameterizedTest(name = "balance covers {0} of 50")
  @ValueSource(ints = {0, 1, 7, 12, 25, 38, 49, 50})
  void fiftyConcurrentReservationsSucceedExactlyAsOftenAsTheBalanceCovers(int covered)
      throws Exception {
    String member = lane.enrol();
    lane.earn(member, covered * COST + SPARE);

    List<Callable<Object>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      ReserveRedemptionRequest request = lane.reward(member, "voucher-100");
      calls.add(() -> server.checkout().reserveRedemption(request));
    }
    List<Object> outcomes = runTogether(calls);

    List<String> reserved = new ArrayList<>();
    for (Object outcome : outcomes) {
      if (outcome instanceof StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        ErrorInfo info = GrpcErrors.info(e);
        assertThat(info.getReason()).isEqualTo("INSUFFICIENT_POINTS");
        assertThat(info.getMetadataMap()).containsEntry("available_points", "50")
            .containsEntry("required_points", "100");
      } else {
        reserved.add(((ReserveRedemptionResponse) outcome).getReservation()
            .getReservationId());
      }
    }
    assertThat(reserved).hasSize(covered).doesNotHaveDuplicates();
    assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '" + member + "'"))
        .isEqualTo(SPARE);
    assertThat(server.queryLong("SELECT held FROM balances WHERE member_id = '" + member + "'"))
        .isEqualTo(covered * COST);
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE state = 'HELD'"
        + " AND member_id = '" + member + "'")).isEqualTo(covered);
    assertThat(server.queryLong("SELECT COALESCE(SUM(remaining), 0) FROM point_lots"
        + " WHERE member_id = '" + member + "'")).isEqualTo(SPARE);
    assertLedgerBalanced(member);
    MemberSummary shown = lane.identify(member);
    assertThat(shown.getAvailablePoints()).isEqualTo(SPARE);
    assertThat(shown.getHeldPoints()).isEqualTo(covered * COST);
  }

  @RepeatedTest(3)
  void identicalCommitsSentTogetherCaptureTheReservationOnce() throws Exception {
    String member = lane.enrol();
    lane.earn(member, 300);
    String reservation = server.checkout().reserveRedemption(lane.reward(member, "voucher-100"))
        .getReservation().getReservationId();
    CommitTransactionRequest sale = lane.sale(member, 1250, reservation);

    List<Callable<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(() -> server.checkout().commitTransaction(sale));
    }
    List<Object> outcomes = runTogether(calls);

    assertThat(outcomes).allMatch(CommitTransactionResponse.class::isInstance);
    List<CommitTransactionResponse> responses =
        outcomes.stream().map(CommitTransactionResponse.class::cast).toList();
    assertThat(responses).filteredOn(r -> !r.getReplayed()).hasSize(1);
    assertThat(responses).extracting(CommitTransactionResponse::getReceipt).containsOnly(
        responses.get(0).getReceipt());
    assertThat(responses.get(0).getReceipt().getPointsRedeemed()).isEqualTo(100);
    assertThat(responses.get(0).getReceipt().getAvailablePoints()).isEqualTo(212);
    assertThat(server.queryLong("SELECT count(*) FROM ledger_entries WHERE entry_type = 'REDEEM'"
        + " AND member_id = '" + member + "'")).isEqualTo(1);
    assertThat(server.queryLong("SELECT available * 1000 + held FROM balances"
        + " WHERE member_id = '" + member + "'")).isEqualTo(212_000);
    assertLedgerBalanced(member);
  }

  @RepeatedTest(5)
  void captureAndReleaseRacingForOneReservationHaveExactlyOneWinner() throws Exception {
    String member = lane.enrol();
    lane.earn(member, 300);
    String reservation = server.checkout().reserveRedemption(lane.reward(member, "voucher-100"))
        .getReservation().getReservationId();
    CommitTransactionRequest sale = lane.sale(member, 100, reservation);
    ReleaseRedemptionRequest release = ReleaseRedemptionRequest.newBuilder()
        .setPointOfSale(LANE).setReservationId(reservation).build();

    List<Object> outcomes = runTogether(List.of(
        () -> server.checkout().commitTransaction(sale),
        () -> server.checkout().releaseRedemption(release)));

    String state = outcomes.get(0) instanceof CommitTransactionResponse ? "CAPTURED" : "RELEASED";
    if (state.equals("CAPTURED")) {
      assertThat(GrpcErrors.reason((StatusRuntimeException) outcomes.get(1)))
          .isEqualTo("RESERVATION_CAPTURED");
      assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '" + member
          + "'")).isEqualTo(201);
    } else {
      assertThat(GrpcErrors.reason((StatusRuntimeException) outcomes.get(0)))
          .isEqualTo("RESERVATION_RELEASED");
      assertThat(((ReleaseRedemptionResponse) outcomes.get(1)).getReservation()
          .getState()).isEqualTo(ReservationState.RESERVATION_STATE_RELEASED);
      assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '" + member
          + "'")).isEqualTo(300);
      assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE pos_transaction_id = '"
          + sale.getPosTransactionId() + "'")).isZero();
    }
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE reservation_id = '"
        + reservation + "' AND state = '" + state + "'")).isEqualTo(1);
    assertThat(server.queryLong("SELECT held FROM balances WHERE member_id = '" + member + "'"))
        .isZero();
    assertLedgerBalanced(member);
  }

  @Test
  void sweepersRunningTogetherExpireEachLapsedHoldOnceAndCountItOnce() throws Exception {
    clock.advance(Duration.ofHours(1));
    server.app().component().redemptions().expireOverdue(500);
    String member = lane.enrol();
    lane.earn(member, 20 * COST);
    for (int i = 0; i < 20; i++) {
      server.checkout().reserveRedemption(lane.reward(member, "voucher-100"));
    }
    clock.advance(Duration.ofMinutes(15));

    List<Callable<Object>> sweepers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sweepers.add(() -> server.app().component().redemptions().expireOverdue(500));
    }
    List<Object> counts = runTogether(sweepers);

    assertThat(counts.stream().mapToInt(Integer.class::cast).sum()).isEqualTo(20);
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE state = 'EXPIRED'"
        + " AND member_id = '" + member + "'")).isEqualTo(20);
    assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '" + member
        + "'")).isEqualTo(20 * COST);
    assertThat(server.queryLong("SELECT count(*) FROM outbox_events WHERE event_type ="
        + " 'REDEMPTION_EXPIRED' AND member_id = '" + member + "'")).isEqualTo(20);
    assertThat(lane.identify(member).getHeldPoints()).isZero();
    assertLedgerBalanced(member);
  }

  /** Starts every call at the same moment; returns each call's response or gRPC error. */
  private static List<Object> runTogether(List<Callable<Object>> calls) throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    for (Callable<Object> call : calls) {
      futures.add(pool.submit(() -> {
        gate.await();
        try {
          return call.call();
        } catch (StatusRuntimeException e) {
          return e;
        }
      }));
    }
    gate.countDown();
    List<Object> outcomes = new ArrayList<>();
    for (Future<Object> f : futures) {
      outcomes.add(f.get(60, TimeUnit.SECONDS));
    }
    return outcomes;
  }

  private static void assertLedgerBalanced(String member) {
    var check = server.memberAdmin().verifyLedger(
        VerifyLedgerRequest.newBuilder().addMemberIds(member).build());
    assertThat(check.getMembersChecked()).isEqualTo(1);
    assertThat(check.getMismatchCount()).isZero();
    assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '" + member
        + "'")).isNotNegative();
  }
}
