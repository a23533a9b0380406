package com.posloyalty.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.ErrorInfo;
import com.posloyalty.server.testing.Baskets;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.Lane;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsTender;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.VerifyLedgerRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad redemptions are refused with a clear status and reason and write nothing: no hold,
 * no ledger entry, no sale, no idempotency record, no event (so the same request id or
 * sale key works once the problem is fixed).
 */
class RedemptionRefusalTest {

  private static final PointOfSale LANE = TestServer.lane("store-1", "lane-1");
  private static final PointOfSale KIOSK = LANE.toBuilder().setTerminalId("kiosk-1")
      .setChannel(Channel.CHANNEL_SELF_CHECKOUT).build();

  private static final AtomicInteger ids = new AtomicInteger();
  private static TestServer server;
  private static Lane lane;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("redemption_refusal", Clock.systemUTC(), Map.of(),
        "UPDATE program SET tender_points_per_unit = 100, tender_unit_minor = 100,"
            + " tender_min_points = 50, tender_max_share_bp = 5000, kiosk_approval_threshold = 400",
        "INSERT INTO rewards (reward_id, display_name, points_cost, kind, amount_off_minor, state,"
            + " created_at, updated_at) VALUES"
            + " ('five-off', '5 € off', 500, 'AMOUNT_OFF', 500, 'ACTIVE', now(), now()),"
            + " ('old-mug', 'Mug', 200, 'AMOUNT_OFF', 300, 'RETIRED', now(), now())");
    lane = new Lane(server, LANE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void tenderOfZeroOrNegativePointsIsInvalidInput() {
    String member = lane.enrolWith(300);
    for (long points : List.of(0L, -5L)) {
      StatusRuntimeException e = refusedWithoutWrites(Status.Code.INVALID_ARGUMENT,
          lane.tender(member, points, 2000));
      assertThat(GrpcErrors.reason(e)).isEqualTo("FIELD_INVALID");
      assertThat(GrpcErrors.fields(e)).containsExactly("points_tender.points");
    }
  }

  @Test
  void unknownRewardIsNotFound() {
    String member = lane.enrolWith(300);
    StatusRuntimeException e = refusedWithoutWrites(Status.Code.NOT_FOUND,
        lane.reward(member, "no-such-reward"));
    assertThat(GrpcErrors.reason(e)).isEqualTo("REWARD_NOT_FOUND");
  }

  @Test
  void retiredRewardIsNotAvailable() {
    String member = lane.enrolWith(300);
    StatusRuntimeException e = refusedWithoutWrites(Status.Code.FAILED_PRECONDITION,
        lane.reward(member, "old-mug"));
    assertThat(GrpcErrors.reason(e)).isEqualTo("REWARD_NOT_AVAILABLE");
  }

  @Test
  void rewardTheMemberCannotAffordIsRefusedWithTheBalanceAndTheRequestIdStaysFree() {
    String member = lane.enrolWith(300);
    ReserveRedemptionRequest request = lane.reward(member, "five-off");

    ErrorInfo info = GrpcErrors.info(refusedWithoutWrites(Status.Code.FAILED_PRECONDITION, request));

    assertThat(info.getReason()).isEqualTo("INSUFFICIENT_POINTS");
    assertThat(info.getMetadataMap()).containsEntry("available_points", "300")
        .containsEntry("required_points", "500");
    lane.earn(member, 200);
    assertThat(server.checkout().reserveRedemption(request).getAvailablePoints()).isZero();
  }

  @Test
  void tenderAboveTheCapShareOfTheBasketIsRefusedWithTheLargestAllowedTender() {
    String member = lane.enrolWith(2000);

    ErrorInfo info = GrpcErrors.info(refusedWithoutWrites(Status.Code.FAILED_PRECONDITION,
        lane.tender(member, 1001, 2000)));

    assertThat(info.getReason()).isEqualTo("TENDER_ABOVE_CAP");
    assertThat(info.getMetadataMap()).containsEntry("max_points", "1000");
    var atCap = server.checkout().reserveRedemption(lane.tender(member, 1000, 2000));
    assertThat(atCap.getReservation().getValue()).isEqualTo(Lane.eur(1000));
    assertThat(atCap.getAvailablePoints()).isEqualTo(1000);
  }

  @Test
  void aSaleSmallerThanTheAnnouncedBasketCannotCarryTheWholeTender() {
    String member = lane.enrolWith(2000);
    // 5.00 of points against an announced 20.00 basket fits the 50 % cap ...
    String held = server.checkout().reserveRedemption(lane.tender(member, 500, 2000))
        .getReservation().getReservationId();
    // ... but the sale actually committed is 9.00, of which points may pay 4.50 only.
    CommitTransactionRequest small = sale(member, LANE, held).toBuilder()
        .setBasket(Baskets.eur(Baskets.line("1", "SKU-1", "grocery", 1, 900))).build();
    ErrorInfo info = GrpcErrors.info(refusedWithoutWrites(Status.Code.FAILED_PRECONDITION, small));
    assertThat(info.getReason()).isEqualTo("TENDER_ABOVE_CAP");
    assertThat(info.getMetadataMap()).containsEntry("max_value_minor", "450");
    // The refused sale's key is still free: the same sale at its full price commits.
    assertThat(server.checkout().commitTransaction(small.toBuilder()
        .setBasket(Baskets.eur(Baskets.line("1", "SKU-1", "grocery", 1, 1000))).build())
        .getReceipt().getPointsRedeemed()).isEqualTo(500);
  }

  @Test
  void tenderBelowTheMinimumOrInAnotherCurrencyIsRefused() {
    String member = lane.enrolWith(300);
    ErrorInfo below = GrpcErrors.info(refusedWithoutWrites(Status.Code.FAILED_PRECONDITION,
        lane.tender(member, 49, 2000)));
    assertThat(below.getReason()).isEqualTo("TENDER_BELOW_MINIMUM");
    assertThat(below.getMetadataMap()).containsEntry("minimum_points", "50");

    ReserveRedemptionRequest dollars = lane.tender(member, 100, 2000);
    dollars = dollars.toBuilder().setPointsTender(dollars.getPointsTender().toBuilder()
        .setBasketTotal(Lane.eur(2000).toBuilder().setCurrencyCode("USD"))).build();
    StatusRuntimeException e = refusedWithoutWrites(Status.Code.INVALID_ARGUMENT, dollars);
    assertThat(GrpcErrors.reason(e)).isEqualTo("CURRENCY_MISMATCH");
    assertThat(GrpcErrors.fields(e)).containsExactly("points_tender.basket_total.currency_code");
  }

  @Test
  void unknownOrBlockedMemberCannotRedeem() {
    assertThat(GrpcErrors.reason(refusedWithoutWrites(Status.Code.NOT_FOUND,
        lane.reward("mbr_nobody", "five-off")))).isEqualTo("MEMBER_NOT_FOUND");

    String member = lane.enrolWith(800);
    server.sql("UPDATE members SET status = 'BLOCKED' WHERE member_id = '" + member + "'");
    ErrorInfo info = GrpcErrors.info(refusedWithoutWrites(Status.Code.FAILED_PRECONDITION,
        lane.reward(member, "five-off")));
    assertThat(info.getReason()).isEqualTo("MEMBER_NOT_ACTIVE");
    assertThat(info.getMetadataMap()).containsEntry("member_status", "BLOCKED");
  }

  @Test
  void saleCannotCaptureAnotherMembersReservation() {
    String owner = lane.enrolWith(800);
    String buyer = lane.enrolWith(100);
    String held = server.checkout().reserveRedemption(lane.reward(owner, "five-off")).getReservation()
        .getReservationId();
    CommitTransactionRequest sale = sale(buyer, LANE, held);

    StatusRuntimeException e = refusedWithoutWrites(Status.Code.FAILED_PRECONDITION, sale);

    assertThat(GrpcErrors.reason(e)).isEqualTo("RESERVATION_OTHER_MEMBER");
    assertThat(server.queryLong("SELECT held FROM balances WHERE member_id = '" + owner + "'"))
        .isEqualTo(500);
    assertThat(server.checkout().commitTransaction(sale.toBuilder().clearReservationIds().build())
        .getReplayed()).isFalse();
  }

  @Test
  void saleCannotCaptureAnotherStoresReservation() {
    String member = lane.enrolWith(800);
    String held = server.checkout().reserveRedemption(lane.reward(member, "five-off")).getReservation()
        .getReservationId();

    StatusRuntimeException e = refusedWithoutWrites(Status.Code.PERMISSION_DENIED,
        sale(member, TestServer.lane("store-2", "lane-1"), held));

    assertThat(GrpcErrors.reason(e)).isEqualTo("STORE_MISMATCH");
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE reservation_id = '"
        + held + "' AND state = 'HELD'")).isEqualTo(1);
  }

  @Test
  void saleNamingAnUnknownReservationIsRefused() {
    String member = lane.enrolWith(800);
    StatusRuntimeException e = refusedWithoutWrites(Status.Code.NOT_FOUND,
        sale(member, LANE, "rsv_never_made"));
    assertThat(GrpcErrors.reason(e)).isEqualTo("RESERVATION_NOT_FOUND");
  }

  @Test
  void kioskRedemptionAboveTheThresholdNeedsAnAttendantsApprovalCode() {
    String member = lane.enrolWith(2000);
    for (String code : List.of("", "   ")) {
      assertThat(GrpcErrors.reason(refusedWithoutWrites(Status.Code.FAILED_PRECONDITION,
          lane.reward(member, "five-off").toBuilder().setPointOfSale(KIOSK).setApprovalCode(code)
              .build()))).isEqualTo("APPROVAL_REQUIRED");
    }
    assertThat(GrpcErrors.reason(refusedWithoutWrites(Status.Code.FAILED_PRECONDITION,
        lane.tender(member, 401, 2000).toBuilder().setPointOfSale(KIOSK).build())))
        .isEqualTo("APPROVAL_REQUIRED");

    assertThat(server.checkout().reserveRedemption(lane.reward(member, "five-off").toBuilder()
        .setPointOfSale(KIOSK).setApprovalCode("ATT-4711").build()).getAvailablePoints())
        .isEqualTo(1500);
    assertThat(server.checkout().reserveRedemption(lane.reward(member, "five-off"))
        .getAvailablePoints()).isEqualTo(1000);
    assertThat(server.checkout().reserveRedemption(lane.tender(member, 400, 2000).toBuilder()
        .setPointOfSale(KIOSK).build()).getAvailablePoints()).isEqualTo(600);
  }

  /**
   * Sends {@code request} (a reservation or a sale), expects {@code code}, and checks that
   * no table the redemption path writes changed and every ledger still balances.
   */
  private static StatusRuntimeException refusedWithoutWrites(Status.Code code,
      com.google.protobuf.Message request) {
    List<Long> before = footprint();
    StatusRuntimeException e = GrpcErrors.expect(code, () -> {
      if (request instanceof CommitTransactionRequest sale) {
        server.checkout().commitTransaction(sale);
      } else {
        server.checkout().reserveRedemption((ReserveRedemptionRequest) request);
      }
    });
    assertThat(footprint()).isEqualTo(before);
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
    return e;
  }

  private static List<Long> footprint() {
    return List.of(
        server.queryLong("SELECT count(*) FROM ledger_entries"),
        server.queryLong("SELECT count(*) FROM reservations"),
        server.queryLong("SELECT count(*) FROM reservations WHERE state = 'HELD'"),
        server.queryLong("SELECT count(*) FROM transactions"),
        server.queryLong("SELECT count(*) FROM idempotency_records"),
        server.queryLong("SELECT count(*) FROM outbox_events"),
        server.queryLong("SELECT COALESCE(SUM(available * 1000003 + held), 0) FROM balances"),
        server.queryLong("SELECT COALESCE(SUM(remaining), 0) FROM point_lots"));
  }

  private static CommitTransactionRequest sale(String member, PointOfSale pos,
      String... reservations) {
    return CommitTransactionRequest.newBuilder().setPointOfSale(pos)
        .setPosTransactionId("pos-" + ids.incrementAndGet()).setMemberId(member)
        .setBasket(Baskets.eur(Baskets.line("1", "SKU-1", "grocery", 1, 1000)))
        .addAllReservationIds(List.of(reservations)).build();
  }



}
