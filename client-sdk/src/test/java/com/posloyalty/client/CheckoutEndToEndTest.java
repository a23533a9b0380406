package com.posloyalty.client;

import static com.posloyalty.client.LaneFixtures.assertLedgerMatchesBalances;
import static com.posloyalty.client.LaneFixtures.ledgerSum;
import static com.posloyalty.client.LaneFixtures.sale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsTender;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.QuoteBasketResponse;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReservationState;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.ReturnReceipt;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VoidTransactionRequest;
import io.grpc.Status;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every CheckoutService call of the SDK, blocking and asynchronous, against the real server
 * (real PostgreSQL and Redis) with a checkout key bound to store-1, exact values.
 */
class CheckoutEndToEndTest {
  private static final AtomicInteger ids = new AtomicInteger();
  private static TestServer server;
  private static LoyaltyClient lane;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("sdk_checkout", Clock.systemUTC(),
        LaneFixtures.SERVER_SETTINGS,
        "UPDATE program SET welcome_bonus_points = 100",
        "INSERT INTO rewards (reward_id, display_name, points_cost, kind, amount_off_minor,"
            + " free_sku, state, created_at, updated_at) VALUES ('five-off', '5.00 off', 500,"
            + " 'AMOUNT_OFF', 500, NULL, 'ACTIVE', now(), now())");
    lane = LaneFixtures.lane(LaneFixtures.target(server), LaneFixtures.laneKey(server)).build();
  }

  @AfterAll
  static void stop() {
    lane.close();
    server.close();
  }

  @AfterEach
  void ledgerStillMatchesBalances() {
    assertLedgerMatchesBalances(server);
  }

  @Test
  void aSaleWithAReturnAVoidAndARedemptionRunsThroughTheBlockingClient() {
    CheckoutClient checkout = lane.checkout();
    String phone = phone();
    EnrollMemberResponse enrolled = checkout.enrollMember(EnrollMemberRequest.newBuilder()
        .setGivenName("Ada").setFamilyName("Lovelace").setPhone(phone).build());
    String member = enrolled.getMember().getMemberId();
    assertThat(enrolled.getWelcomeBonusPoints()).isEqualTo(100);

    MemberSummary byCard = checkout.identifyMember(IdentifyMemberRequest.newBuilder()
        .setCardNumber(enrolled.getCardNumber()).build()).getMember();
    MemberSummary byPhone = checkout.identifyMember(IdentifyMemberRequest.newBuilder()
        .setPhone(phone).build()).getMember();
    assertThat(byCard.getMemberId()).isEqualTo(member);
    assertThat(byPhone).isEqualTo(byCard);
    assertThat(byCard.getDisplayName()).isEqualTo("Ada");
    assertThat(byCard.getAvailablePoints()).isEqualTo(100);

    Basket basket = twoLines();
    QuoteBasketResponse quote = checkout.quoteBasket(QuoteBasketRequest.newBuilder()
        .setMemberId(member).setBasket(basket).build());
    assertThat(quote.getEarning().getTotalPoints()).isEqualTo(25);
    assertThat(quote.getAvailablePoints()).isEqualTo(100);

    String saleId = "pos-" + ids.incrementAndGet();
    CommitTransactionRequest sale = CommitTransactionRequest.newBuilder()
        .setPosTransactionId(saleId).setMemberId(member).setBasket(basket).build();
    CommitResult committed = checkout.commitTransaction(sale);
    Receipt receipt = committed.receipt().orElseThrow();
    assertThat(committed.isPending()).isFalse();
    assertThat(committed.replayed()).isFalse();
    assertThat(receipt.getPosTransactionId()).isEqualTo(saleId);
    assertThat(receipt.getEarning().getTotalPoints()).isEqualTo(25);
    assertThat(receipt.getAvailablePoints()).isEqualTo(125);
    // The SDK stamps a new sale time on each call; the service does not compare it.
    CommitResult again = checkout.commitTransaction(sale);
    assertThat(again.replayed()).isTrue();
    assertThat(again.receipt()).hasValue(receipt);

    checkout.commitTransaction(sale("pos-" + ids.incrementAndGet(), member, 500));
    ReserveRedemptionResponse released = checkout.reserveRedemption(
        ReserveRedemptionRequest.newBuilder().setMemberId(member).setRewardId("five-off").build());
    assertThat(released.getAvailablePoints()).isEqualTo(125);
    assertThat(released.getReservation().getStoreId()).isEqualTo(LaneFixtures.STORE);
    assertThat(checkout.releaseRedemption(ReleaseRedemptionRequest.newBuilder()
        .setReservationId(released.getReservation().getReservationId()).build())
        .getAvailablePoints()).isEqualTo(625);
    String held = checkout.reserveRedemption(ReserveRedemptionRequest.newBuilder()
        .setMemberId(member).setRewardId("five-off").build()).getReservation().getReservationId();
    Receipt redeemed = checkout.commitTransaction(sale("pos-" + ids.incrementAndGet(), member, 20)
        .toBuilder().addReservationIds(held).build()).receipt().orElseThrow();
    assertThat(redeemed.getPointsRedeemed()).isEqualTo(500);
    assertThat(redeemed.getRedemptions(0).getState())
        .isEqualTo(ReservationState.RESERVATION_STATE_CAPTURED);
    assertThat(redeemed.getAvailablePoints()).isEqualTo(145);

    ReturnResult returned = checkout.returnItems(ReturnItemsRequest.newBuilder()
        .setOriginal(key(saleId)).addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1))
        .build());
    assertThat(returned.isPending()).isFalse();
    assertThat(returned.receipt().map(ReturnReceipt::getPointsReversed)).hasValue(10L);
    assertThat(returned.receipt().map(ReturnReceipt::getAvailablePoints)).hasValue(135L);
    ReturnResult voided = checkout.voidTransaction(VoidTransactionRequest.newBuilder()
        .setOriginal(key(saleId)).setReason("customer changed their mind").build());
    assertThat(voided.receipt().map(ReturnReceipt::getPointsReversed)).hasValue(15L);
    assertThat(voided.receipt().map(ReturnReceipt::getAvailablePoints)).hasValue(120L);
    assertThat(ledgerSum(server, member)).isEqualTo(120);
  }

  @Test
  void theAsyncClientRunsTheSameCallsWithoutBlocking() throws Exception {
    CheckoutAsyncClient checkout = lane.checkoutAsync();
    String member = checkout.enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Grace")
        .setPhone(phone()).build()).get(30, TimeUnit.SECONDS).getMember().getMemberId();
    assertThat(checkout.identifyMember(IdentifyMemberRequest.newBuilder().setMemberId(member)
        .build()).get(30, TimeUnit.SECONDS).getMember().getAvailablePoints()).isEqualTo(100);
    assertThat(checkout.quoteBasket(QuoteBasketRequest.newBuilder().setMemberId(member)
        .setBasket(twoLines()).build()).get(30, TimeUnit.SECONDS).getEarning().getTotalPoints())
        .isEqualTo(25);

    PointsTender tender = PointsTender.newBuilder().setPoints(100).setBasketTotal(Money.newBuilder()
        .setCurrencyCode("EUR").setAmountMinor(2500)).build();
    String first = checkout.reserveRedemption(ReserveRedemptionRequest.newBuilder()
        .setMemberId(member).setPointsTender(tender).build()).get(30, TimeUnit.SECONDS)
        .getReservation().getReservationId();
    assertThat(checkout.releaseRedemption(ReleaseRedemptionRequest.newBuilder()
        .setReservationId(first).build()).get(30, TimeUnit.SECONDS).getAvailablePoints())
        .isEqualTo(100);
    String held = checkout.reserveRedemption(ReserveRedemptionRequest.newBuilder()
        .setMemberId(member).setPointsTender(tender).build()).get(30, TimeUnit.SECONDS)
        .getReservation().getReservationId();

    String saleId = "pos-" + ids.incrementAndGet();
    CommitResult committed = checkout.commitTransaction(CommitTransactionRequest.newBuilder()
        .setPosTransactionId(saleId).setMemberId(member).setBasket(twoLines())
        .addReservationIds(held).build()).get(30, TimeUnit.SECONDS);
    assertThat(committed.receipt().map(Receipt::getPointsRedeemed)).hasValue(100L);
    assertThat(committed.receipt().map(Receipt::getAvailablePoints)).hasValue(25L);
    ReturnResult returned = checkout.returnItems(ReturnItemsRequest.newBuilder()
        .setOriginal(key(saleId)).addLines(ReturnLine.newBuilder().setLineId("2").setQuantity(1))
        .build()).get(30, TimeUnit.SECONDS);
    ReturnResult voided = checkout.voidTransaction(VoidTransactionRequest.newBuilder()
        .setOriginal(key(saleId)).setReason("test").build()).get(30, TimeUnit.SECONDS);

    // Returning the 5-point line of a 25-point sale takes back its 5 points and refunds a
    // fifth of the 100 points paid; the void settles the remaining four fifths.
    assertThat(returned.receipt().orElseThrow()).satisfies(r -> {
      assertThat(r.getPointsReversed()).isEqualTo(5);
      assertThat(r.getPointsRefunded()).isEqualTo(20);
      assertThat(r.getAvailablePoints()).isEqualTo(40);
    });
    assertThat(voided.receipt().orElseThrow()).satisfies(r -> {
      assertThat(r.getPointsReversed()).isEqualTo(20);
      assertThat(r.getPointsRefunded()).isEqualTo(80);
      assertThat(r.getAvailablePoints()).isEqualTo(100);
    });
    assertThat(ledgerSum(server, member)).isEqualTo(100);
  }

  @Test
  void refusalsArriveAsTypedExceptionsWithTheServicesReason() {
    CheckoutClient checkout = lane.checkout();
    String phone = phone();
    String member = checkout.enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Alan")
        .setPhone(phone).build()).getMember().getMemberId();

    assertThatThrownBy(() -> checkout.identifyMember(IdentifyMemberRequest.newBuilder()
        .setPhone(phone()).build()))
        .isInstanceOfSatisfying(MemberNotFoundException.class,
            e -> assertThat(e.reason()).isEqualTo("MEMBER_NOT_FOUND"));
    assertThatThrownBy(() -> checkout.identifyMember(IdentifyMemberRequest.newBuilder()
        .setCardNumber("1234567890123").build()))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.reason()).isEqualTo("CARD_CHECK_DIGIT_INVALID");
          assertThat(e.fieldViolations()).extracting(v -> v.getField())
              .containsExactly("card_number");
        });
    assertThatThrownBy(() -> checkout.enrollMember(EnrollMemberRequest.newBuilder()
        .setGivenName("Other").setPhone(phone).build()))
        .isInstanceOfSatisfying(DuplicateMemberException.class, e -> {
          assertThat(e.reason()).isEqualTo("DUPLICATE_PHONE");
          assertThat(e.existingMemberId()).hasValue(member);
        });
    assertThatThrownBy(() -> checkout.reserveRedemption(ReserveRedemptionRequest.newBuilder()
        .setMemberId(member).setRewardId("five-off").build()))
        .isInstanceOfSatisfying(InsufficientPointsException.class,
            e -> assertThat(e.availablePoints()).hasValue(100));

    String saleId = "pos-" + ids.incrementAndGet();
    checkout.commitTransaction(sale(saleId, member, 10));
    assertThatThrownBy(() -> checkout.commitTransaction(sale(saleId, member, 11)))
        .isInstanceOfSatisfying(DuplicateTransactionKeyException.class,
            e -> assertThat(e.reason()).isEqualTo("TRANSACTION_KEY_REUSED"));
    assertThatThrownBy(() -> checkout.returnItems(ReturnItemsRequest.newBuilder()
        .setOriginal(key("pos-never-sold")).addLines(ReturnLine.newBuilder().setLineId("1")
            .setQuantity(1)).build()))
        .isInstanceOfSatisfying(NotFoundException.class,
            e -> assertThat(e.reason()).isEqualTo("TRANSACTION_NOT_FOUND"));
    PointOfSale otherStore = PointOfSale.newBuilder().setStoreId("store-2").build();
    assertThatThrownBy(() -> checkout.identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(otherStore).setMemberId(member).build()))
        .isInstanceOfSatisfying(AccessDeniedException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.reason()).isEqualTo("STORE_MISMATCH");
        });
    try (LoyaltyClient stranger = LaneFixtures.lane(LaneFixtures.target(server), "not-a-key")
        .build()) {
      assertThatThrownBy(() -> stranger.checkout().identifyMember(IdentifyMemberRequest
          .newBuilder().setMemberId(member).build()))
          .isInstanceOfSatisfying(AccessDeniedException.class,
              e -> assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }
    assertThat(ledgerSum(server, member)).isEqualTo(110);
  }

  /** Line 1: 2 × 10.00 (20 points), line 2: 1 × 5.00 (5 points). */
  private static Basket twoLines() {
    return Basket.newBuilder().setCurrencyCode("EUR")
        .addLines(BasketLine.newBuilder().setLineId("1").setSku("MILK").setCategory("dairy")
            .setQuantity(2).setUnitPriceMinor(1000))
        .addLines(BasketLine.newBuilder().setLineId("2").setSku("BREAD").setCategory("bakery")
            .setQuantity(1).setUnitPriceMinor(500))
        .build();
  }

  private static TransactionKey key(String posTransactionId) {
    return TransactionKey.newBuilder().setStoreId(LaneFixtures.STORE)
        .setTerminalId(LaneFixtures.TERMINAL).setPosTransactionId(posTransactionId).build();
  }

  private static String phone() {
    return String.format("+49151%08d", 7000 + ids.incrementAndGet());
  }
}
