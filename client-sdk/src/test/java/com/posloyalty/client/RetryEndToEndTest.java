package com.posloyalty.client;

import static com.posloyalty.client.LaneFixtures.assertLedgerMatchesBalances;
import static com.posloyalty.client.LaneFixtures.earnedSales;
import static com.posloyalty.client.LaneFixtures.ledgerSum;
import static com.posloyalty.client.LaneFixtures.sale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.client.FaultyProxy.Attempt;
import com.posloyalty.client.FaultyProxy.Fault;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointsTender;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VoidTransactionRequest;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's automatic retries against the real server behind a proxy that fails the first
 * attempt of every call with {@code UNAVAILABLE}: either before the server sees it, or after the
 * server applied it (the answer is lost). Either way the sale has one effect and one receipt.
 * A commit whose answer the proxy holds past the deadline is reported as of unknown outcome.
 */
class RetryEndToEndTest {
  private static final String COMMIT = "posloyalty.v1.CheckoutService/CommitTransaction";
  private static final AtomicInteger ids = new AtomicInteger();
  private static TestServer server;
  private static FaultyProxy proxy;
  private static LoyaltyClient lane;

  private String member;

  @BeforeAll
  static void start() {
    server = TestServer.start("sdk_retry", Clock.systemUTC(), LaneFixtures.SERVER_SETTINGS);
    proxy = FaultyProxy.start(server.app().grpcPort());
    lane = LaneFixtures.lane(proxy.target(), LaneFixtures.laneKey(server)).build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    lane.close();
    proxy.close();
    server.close();
  }

  @BeforeEach
  void enrol() {
    proxy.reset();
    member = enrol(phone()).getMember().getMemberId();
  }

  @AfterEach
  void ledgerStillMatchesBalances() {
    assertLedgerMatchesBalances(server);
  }

  @Test
  void aCommitWhoseFirstAttemptIsRefusedIsAppliedOnceByTheRetry() {
    proxy.onFirstAttempt(method -> Fault.REFUSE);
    String saleId = "pos-" + ids.incrementAndGet();

    CommitResult result = lane.checkout().commitTransaction(sale(saleId, member, 30));

    assertThat(result.isPending()).isFalse();
    assertThat(result.replayed()).isFalse();
    assertThat(result.receipt().map(Receipt::getAvailablePoints)).hasValue(30L);
    assertThat(attemptsOf(COMMIT)).containsExactly(
        new Attempt(COMMIT, false, Fault.REFUSE), new Attempt(COMMIT, true, Fault.NONE));
    assertOneEffect(saleId, 30);
  }

  @Test
  void aCommitAppliedWhoseAnswerWasLostIsAnsweredWithTheFirstReceipt() {
    proxy.onFirstAttempt(method -> Fault.LOSE_ANSWER);
    String saleId = "pos-" + ids.incrementAndGet();

    CommitResult result = lane.checkout().commitTransaction(sale(saleId, member, 30));

    assertThat(result.isPending()).isFalse();
    assertThat(result.replayed()).as("the retry found the sale already applied").isTrue();
    assertThat(result.receipt().map(Receipt::getEarning).map(e -> e.getTotalPoints()))
        .hasValue(30L);
    assertThat(result.receipt().map(Receipt::getAvailablePoints)).hasValue(30L);
    assertThat(attemptsOf(COMMIT)).containsExactly(
        new Attempt(COMMIT, false, Fault.LOSE_ANSWER), new Attempt(COMMIT, true, Fault.NONE));
    assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE transaction_id = '"
        + result.receipt().orElseThrow().getTransactionId() + "'")).isEqualTo(1);
    assertOneEffect(saleId, 30);
  }

  @Test
  void everyMutatingCheckoutCallWhoseFirstAnswerIsLostHasOneEffect() {
    proxy.onFirstAttempt(method -> Fault.LOSE_ANSWER);
    String phone = phone();
    EnrollMemberResponse enrolled = enrol(phone);
    String newMember = enrolled.getMember().getMemberId();
    lane.checkout().commitTransaction(sale("pos-" + ids.incrementAndGet(), newMember, 200));
    String held = lane.checkout().reserveRedemption(ReserveRedemptionRequest.newBuilder()
        .setMemberId(newMember).setPointsTender(PointsTender.newBuilder().setPoints(100)
            .setBasketTotal(Money.newBuilder().setCurrencyCode("EUR").setAmountMinor(5000)))
        .build()).getReservation().getReservationId();
    String saleId = "pos-" + ids.incrementAndGet();
    Receipt receipt = lane.checkout().commitTransaction(sale(saleId, newMember, 50).toBuilder()
        .addReservationIds(held).build()).receipt().orElseThrow();
    TransactionKey key = TransactionKey.newBuilder().setStoreId(LaneFixtures.STORE)
        .setTerminalId(LaneFixtures.TERMINAL).setPosTransactionId(saleId).build();
    lane.checkout().returnItems(ReturnItemsRequest.newBuilder().setOriginal(key)
        .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1)).build());
    ReturnResult voided = lane.checkout().voidTransaction(VoidTransactionRequest.newBuilder()
        .setOriginal(key).setReason("test").build());

    assertThat(proxy.attempts()).filteredOn(Attempt::retry).hasSize(6);
    assertThat(server.queryLong("SELECT count(*) FROM members WHERE member_id = '" + newMember
        + "'")).isEqualTo(1);
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE member_id = '"
        + newMember + "'")).isEqualTo(1);
    assertThat(receipt.getPointsRedeemed()).isEqualTo(100);
    assertThat(receipt.getAvailablePoints()).isEqualTo(150);
    assertThat(server.queryLong("SELECT count(*) FROM returns r JOIN transactions t"
        + " ON t.transaction_id = r.transaction_id WHERE t.member_id = '" + newMember + "'"))
        .isEqualTo(1);
    assertThat(voided.replayed()).isTrue();
    assertThat(voided.receipt().orElseThrow().getAvailablePoints()).isEqualTo(200);
    assertThat(earnedSales(server, newMember)).hasSize(2);
    assertThat(ledgerSum(server, newMember)).isEqualTo(200);
  }

  @Test
  void aCommitCapturingPointsWhoseAnswerNeverComesIsReportedAsUnknownNotAsRefused() {
    String held = holdHundredOfTwoHundredPoints();
    String saleId = "pos-" + ids.incrementAndGet();
    CommitTransactionRequest redeeming = sale(saleId, member, 50).toBuilder()
        .addReservationIds(held).build();
    proxy.onFirstAttempt(method -> method.equals("CommitTransaction") ? Fault.HOLD : Fault.NONE);

    try (LoyaltyClient impatient = LaneFixtures.lane(proxy.target(), LaneFixtures.laneKey(server))
        .checkoutDeadline(Duration.ofSeconds(2)).build()) {
      assertThatThrownBy(() -> impatient.checkout().commitTransaction(redeeming))
          .isInstanceOfSatisfying(CommitOutcomeUnknownException.class, e -> {
            assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(e.reason()).isEqualTo("COMMIT_OUTCOME_UNKNOWN");
          })
          .isNotInstanceOf(OfflineRedemptionException.class);
      assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE reservation_id = '"
          + held + "' AND state = 'CAPTURED'")).as("the held commit was applied").isEqualTo(1);

      proxy.reset();
      CommitResult again = impatient.checkout().commitTransaction(redeeming);

      assertThat(again.replayed()).isTrue();
      assertThat(again.receipt().map(Receipt::getPointsRedeemed)).hasValue(100L);
      assertThat(again.receipt().map(Receipt::getAvailablePoints)).hasValue(150L);
    }
    assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE pos_transaction_id = '"
        + saleId + "'")).isEqualTo(1);
    assertThat(ledgerSum(server, member)).isEqualTo(150);
  }

  @Test
  void aCommitCapturingPointsAppliedThenCutOffInEveryAttemptIsReportedAsUnknownNotAsRefused() {
    String held = holdHundredOfTwoHundredPoints();
    String saleId = "pos-" + ids.incrementAndGet();
    CommitTransactionRequest redeeming = sale(saleId, member, 50).toBuilder()
        .addReservationIds(held).build();
    // The first attempt is applied and its answer lost; the retries never reach the server.
    // The last status the lane sees is the proxy's UNAVAILABLE, as when the service is down.
    proxy.reset();
    proxy.onFirstAttempt(method -> method.equals("CommitTransaction")
        ? Fault.LOSE_ANSWER : Fault.NONE);
    proxy.onRetry(method -> method.equals("CommitTransaction") ? Fault.REFUSE : Fault.NONE);

    assertThatThrownBy(() -> lane.checkout().commitTransaction(redeeming))
        .isInstanceOfSatisfying(CommitOutcomeUnknownException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.reason()).isEqualTo("COMMIT_OUTCOME_UNKNOWN");
        })
        .isNotInstanceOf(OfflineRedemptionException.class);
    assertThat(attemptsOf(COMMIT)).containsExactly(
        new Attempt(COMMIT, false, Fault.LOSE_ANSWER), new Attempt(COMMIT, true, Fault.REFUSE),
        new Attempt(COMMIT, true, Fault.REFUSE));
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE reservation_id = '"
        + held + "' AND state = 'CAPTURED'")).as("the first attempt was applied").isEqualTo(1);

    proxy.reset();
    CommitResult again = lane.checkout().commitTransaction(redeeming);

    assertThat(again.replayed()).isTrue();
    assertThat(again.receipt().map(Receipt::getPointsRedeemed)).hasValue(100L);
    assertThat(ledgerSum(server, member)).isEqualTo(150);
  }

  @Test
  void aCommitCapturingPointsThatTheServiceRefusedInEveryAttemptIsRefusedOffline() {
    String held = holdHundredOfTwoHundredPoints();
    // Every attempt is answered by the service itself, refusing: nothing was applied, and
    // another tender can be taken.
    proxy.reset();
    proxy.onFirstAttempt(method -> method.equals("CommitTransaction")
        ? Fault.SERVICE_UNAVAILABLE : Fault.NONE);
    proxy.onRetry(method -> method.equals("CommitTransaction")
        ? Fault.SERVICE_UNAVAILABLE : Fault.NONE);

    assertThatThrownBy(() -> lane.checkout().commitTransaction(sale("pos-"
        + ids.incrementAndGet(), member, 50).toBuilder().addReservationIds(held).build()))
        .isInstanceOf(OfflineRedemptionException.class);
    assertThat(attemptsOf(COMMIT)).hasSize(3);
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE reservation_id = '"
        + held + "' AND state = 'HELD'")).isEqualTo(1);
    assertThat(ledgerSum(server, member)).isEqualTo(200);
  }

  @Test
  void aCommitCapturingPointsTheServiceCouldNotConfirmIsReportedAsUnknown() {
    String held = holdHundredOfTwoHundredPoints();
    CommitTransactionRequest redeeming = sale("pos-" + ids.incrementAndGet(), member, 50)
        .toBuilder().addReservationIds(held).build();
    // The first attempt is applied but the service lost its database connection while
    // committing, so its answer says it may have been; the retries find the database down.
    proxy.reset();
    proxy.onFirstAttempt(method -> method.equals("CommitTransaction")
        ? Fault.OUTCOME_UNKNOWN : Fault.NONE);
    proxy.onRetry(method -> method.equals("CommitTransaction")
        ? Fault.SERVICE_UNAVAILABLE : Fault.NONE);

    assertThatThrownBy(() -> lane.checkout().commitTransaction(redeeming))
        .isInstanceOf(CommitOutcomeUnknownException.class);
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE reservation_id = '"
        + held + "' AND state = 'CAPTURED'")).as("the first attempt was applied").isEqualTo(1);

    proxy.reset();
    assertThat(lane.checkout().commitTransaction(redeeming).replayed()).isTrue();
    assertThat(ledgerSum(server, member)).isEqualTo(150);
  }

  /** Earns the member 200 points and holds 100 of them; returns the reservation. */
  private String holdHundredOfTwoHundredPoints() {
    lane.checkout().commitTransaction(sale("pos-" + ids.incrementAndGet(), member, 200));
    return lane.checkout().reserveRedemption(ReserveRedemptionRequest.newBuilder()
        .setMemberId(member).setPointsTender(PointsTender.newBuilder().setPoints(100)
            .setBasketTotal(Money.newBuilder().setCurrencyCode("EUR").setAmountMinor(5000)))
        .build()).getReservation().getReservationId();
  }

  private void assertOneEffect(String saleId, long points) {
    assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE pos_transaction_id = '"
        + saleId + "'")).isEqualTo(1);
    assertThat(earnedSales(server, member)).containsExactly(saleId);
    assertThat(ledgerSum(server, member)).isEqualTo(points);
  }

  private static List<Attempt> attemptsOf(String method) {
    return proxy.attempts().stream().filter(a -> a.method().equals(method)).toList();
  }

  private static EnrollMemberResponse enrol(String phone) {
    return lane.checkout().enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Ada")
        .setPhone(phone).build());
  }

  private static String phone() {
    return String.format("+49151%08d", 9000 + ids.incrementAndGet());
  }
}
