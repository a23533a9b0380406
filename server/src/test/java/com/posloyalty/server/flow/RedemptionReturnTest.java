package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.Lane;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsTender;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnItemsResponse;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.ReturnReceipt;
import com.posloyalty.v1.ReturnedLinePoints;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VerifyLedgerRequest;
import com.posloyalty.v1.VoidTransactionRequest;
import com.posloyalty.v1.VoidTransactionResponse;
import io.grpc.Status;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Returns and voids of sales paid partly with points: points paid as tender or for an
 * amount-off reward come back pro rata to the returned spend (rounded down, the rest with
 * the last return), a free-item reward's points come back with its item, and earned points
 * are reversed as usual.
 */
class RedemptionReturnTest {

  private static final PointOfSale LANE = TestServer.lane("store-1", "lane-1");

  private static final AtomicInteger ids = new AtomicInteger();
  private static TestServer server;
  private static Lane lane;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("redemption_return", Clock.systemUTC(), Map.of(),
        "UPDATE program SET tender_points_per_unit = 100, tender_unit_minor = 100,"
            + " tender_min_points = 0, tender_max_share_bp = 10000",
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

  @Test
  void returnsRefundPointsPaidAsTenderProRataToTheReturnedLines() {
    String member = lane.enrolWith(2000);
    String tender = reserve(lane.tender(member, 777, 2000));
    CommitTransactionResponse sale = commit(member,
        eur(line("A", "SKU-A", "grocery", 3, 333), line("B", "SKU-B", "grocery", 1, 1001)), tender);
    assertThat(sale.getReceipt().getEarning().getTotalPoints()).isEqualTo(19);
    assertThat(sale.getReceipt().getAvailablePoints()).isEqualTo(1242);
    String pos = sale.getReceipt().getPosTransactionId();

    ReturnItemsResponse first = returnLine(pos, "r1-" + pos, "A", 1);
    assertReceipt(first.getReceipt(), 3, 129, 1368);
    assertThat(first.getReceipt().getLinesList()).containsExactly(ReturnedLinePoints.newBuilder()
        .setLineId("A").setQuantity(1).setPointsReversed(3).build());
    assertReceipt(returnLine(pos, "r2-" + pos, "A", 2).getReceipt(), 6, 259, 1621);
    assertReceipt(returnLine(pos, "r3-" + pos, "B", 1).getReceipt(), 10, 389, 2000);

    assertThat(returnLine(pos, "r1-" + pos, "A", 1))
        .isEqualTo(first.toBuilder().setReplayed(true).build());
    assertThat(reason(expect(Status.Code.FAILED_PRECONDITION,
        () -> returnLine(pos, "r4-" + pos, "A", 1)))).isEqualTo("RETURN_EXCEEDS_PURCHASE");
    assertThat(server.queryLong("SELECT refunded_points FROM reservations WHERE reservation_id = '"
        + tender + "'")).isEqualTo(777);
    assertThat(sumOf(member, "REDEEM_REFUND")).isEqualTo(777);
    assertPoints(member, 2000);
  }

  @Test
  void returningTheFreeItemOfARewardRestoresTheRewardsPoints() {
    String member = lane.enrolWith(1000);
    String coffee = reserve(lane.reward(member, "free-coffee"));
    CommitTransactionResponse sale = commit(member, eur(
        line("1", "COFFEE", "drinks", 1, 250).toBuilder().setDiscountMinor(250).build(),
        line("2", "BREAD", "bakery", 1, 300)), coffee);
    assertThat(sale.getReceipt().getPointsRedeemed()).isEqualTo(150);
    assertThat(sale.getReceipt().getAvailablePoints()).isEqualTo(853);
    String pos = sale.getReceipt().getPosTransactionId();

    assertReceipt(returnLine(pos, "c1-" + pos, "1", 1).getReceipt(), 0, 150, 1003);
    assertReceipt(returnLine(pos, "c2-" + pos, "2", 1).getReceipt(), 3, 0, 1000);

    assertThat(sumOf(member, "REDEEM_REFUND")).isEqualTo(150);
    assertPoints(member, 1000);
  }

  @Test
  void voidRefundsTheRedeemedPointsThatEarlierReturnsHadNotAndOnlyOnce() {
    String member = lane.enrolWith(2000);
    String fiveOff = reserve(lane.reward(member, "five-off"));
    String tender = reserve(lane.tender(member, 300, 3500));
    CommitTransactionResponse sale = commit(member, eur(
        line("1", "SKU-X", "grocery", 1, 3000).toBuilder().setDiscountMinor(500).build(),
        line("2", "SKU-Y", "grocery", 1, 1000)), fiveOff, tender);
    assertThat(sale.getReceipt().getPointsRedeemed()).isEqualTo(800);
    assertThat(sale.getReceipt().getAvailablePoints()).isEqualTo(1235);
    String pos = sale.getReceipt().getPosTransactionId();

    assertReceipt(returnLine(pos, "v1-" + pos, "2", 1).getReceipt(), 10, 142 + 85, 1452);
    VoidTransactionRequest voidIt = VoidTransactionRequest.newBuilder().setPointOfSale(LANE)
        .setOriginal(key(pos)).setReason("customer changed their mind").build();
    VoidTransactionResponse voided = server.checkout().voidTransaction(voidIt);
    assertReceipt(voided.getReceipt(), 25, 358 + 215, 2000);

    VoidTransactionResponse again = server.checkout().voidTransaction(voidIt);
    assertThat(again.getReplayed()).isTrue();
    assertThat(again.getReceipt()).isEqualTo(voided.getReceipt());
    assertThat(reason(expect(Status.Code.FAILED_PRECONDITION,
        () -> returnLine(pos, "v2-" + pos, "1", 1)))).isEqualTo("TRANSACTION_VOIDED");
    assertThat(server.queryLong("SELECT SUM(refunded_points) FROM reservations"
        + " WHERE reservation_id IN ('" + fiveOff + "', '" + tender + "')")).isEqualTo(800);
    assertThat(sumOf(member, "REDEEM_REFUND")).isEqualTo(800);
    assertPoints(member, 2000);
  }

  private static void assertReceipt(ReturnReceipt receipt, long reversed, long refunded,
      long available) {
    assertThat(receipt.getPointsReversed()).as("reversed").isEqualTo(reversed);
    assertThat(receipt.getPointsRefunded()).as("refunded").isEqualTo(refunded);
    assertThat(receipt.getShortfallPoints()).as("shortfall").isZero();
    assertThat(receipt.getAvailablePoints()).as("available").isEqualTo(available);
    assertThat(receipt.getHeldPoints()).as("held").isZero();
  }

  /** Balance, lots and ledger all agree on {@code available}, with nothing held. */
  private static void assertPoints(String member, long available) {
    assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '" + member
        + "'")).isEqualTo(available);
    assertThat(server.queryLong("SELECT held FROM balances WHERE member_id = '" + member + "'"))
        .isZero();
    assertThat(server.queryLong("SELECT SUM(remaining) FROM point_lots WHERE member_id = '"
        + member + "'")).isEqualTo(available);
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.newBuilder()
        .addMemberIds(member).build()).getMismatchCount()).isZero();
  }

  private static long sumOf(String member, String entryType) {
    return server.queryLong("SELECT COALESCE(SUM(points), 0) FROM ledger_entries"
        + " WHERE member_id = '" + member + "' AND entry_type = '" + entryType + "'");
  }

  private static ReturnItemsResponse returnLine(String pos, String returnId, String lineId,
      long quantity) {
    return server.checkout().returnItems(ReturnItemsRequest.newBuilder().setPointOfSale(LANE)
        .setReturnId(returnId).setOriginal(key(pos))
        .addLines(ReturnLine.newBuilder().setLineId(lineId).setQuantity(quantity)).build());
  }

  private static TransactionKey key(String pos) {
    return TransactionKey.newBuilder().setStoreId(LANE.getStoreId())
        .setTerminalId(LANE.getTerminalId()).setPosTransactionId(pos).build();
  }

  private static String reserve(ReserveRedemptionRequest request) {
    return server.checkout().reserveRedemption(request).getReservation().getReservationId();
  }



  private static CommitTransactionResponse commit(String member, Basket basket,
      String... reservations) {
    return server.checkout().commitTransaction(CommitTransactionRequest.newBuilder()
        .setPointOfSale(LANE).setPosTransactionId("pos-" + ids.incrementAndGet())
        .setMemberId(member).setBasket(basket).addAllReservationIds(List.of(reservations)).build());
  }

}
