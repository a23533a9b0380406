package com.posloyalty.loadtest;

import com.posloyalty.v1.Basket;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsTender;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lane mix: each arrival is one sale — IdentifyMember (card), QuoteBasket, for a share
 * of sales ReserveRedemption (points as tender), CommitTransaction capturing it, and for a
 * share a ReturnItems of one unit afterwards. Each call is due when the previous one
 * answered; the sale as a whole is due at its arrival.
 */
final class CheckoutScenario implements Scenario {

  static final String NAME = "checkout";
  /** Points offered as tender: 2.00 EUR at the default rate, above the demo minimum. */
  static final long TENDER_POINTS = 200;

  private final GrpcClient client;
  private final HotSet hot;
  private final double redemptionShare;
  private final double returnShare;
  private final Lanes lanes;
  private final List<Basket> baskets = LaneBaskets.generate(256, 42);
  private final String runTag = "lt" + Long.toString(System.currentTimeMillis(), 36);
  private final AtomicLong sales = new AtomicLong();

  CheckoutScenario(GrpcClient client, HotSet hot, Lanes lanes, double redemptionShare,
      double returnShare) {
    this.client = client;
    this.hot = hot;
    this.lanes = lanes;
    this.redemptionShare = redemptionShare;
    this.returnShare = returnShare;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> operations() {
    return List.of("sale", "identify", "quote", "reserve", "commit", "return");
  }

  @Override
  public String headline() {
    return "commit";
  }

  @Override
  public void prepare() throws InterruptedException {
    hot.warm(client, lanes);
  }

  /** What one sale knows as it goes along the lane. */
  private static final class Sale {
    final long member;
    final Basket basket;
    final PointOfSale pos;
    final Optional<String> apiKey;
    final String posTransactionId;
    final boolean redeems;
    final boolean returnsItem;
    String memberId;
    long availablePoints;
    String reservationId;

    Sale(long member, Basket basket, Lanes.Lane lane, String posTransactionId, boolean redeems,
        boolean returnsItem) {
      this.member = member;
      this.basket = basket;
      this.pos = lane.pos();
      this.apiKey = lane.apiKey();
      this.posTransactionId = posTransactionId;
      this.redeems = redeems;
      this.returnsItem = returnsItem;
    }
  }

  @Override
  public CompletableFuture<?> arrive(long dueNanos, Recording recording) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Sale sale = new Sale(hot.pick(), baskets.get(random.nextInt(baskets.size())),
        lanes.pick(), runTag + "-" + sales.incrementAndGet(),
        random.nextDouble() < redemptionShare, random.nextDouble() < returnShare);
    return recording.op("identify").time(dueNanos, () -> client.call(
            CheckoutServiceGrpc.getIdentifyMemberMethod(), hot.identify(sale.member, sale.pos),
            sale.apiKey))
        .thenCompose(found -> {
          MemberSummary member = found.getMember();
          sale.memberId = member.getMemberId();
          sale.availablePoints = member.getAvailablePoints();
          return recording.op("quote").time(System.nanoTime(), () -> client.call(
              CheckoutServiceGrpc.getQuoteBasketMethod(), QuoteBasketRequest.newBuilder()
                  .setPointOfSale(sale.pos).setMemberId(sale.memberId)
                  .setBasket(sale.basket).build(), sale.apiKey));
        })
        .thenCompose(quote -> reserve(sale, recording))
        .thenCompose(reserved -> recording.op("commit").time(System.nanoTime(),
            () -> client.call(CheckoutServiceGrpc.getCommitTransactionMethod(), commit(sale),
                sale.apiKey)))
        .thenCompose(committed -> returnOneUnit(sale, recording))
        .whenComplete((done, failure) -> {
          if (failure == null) {
            recording.op("sale").success(dueNanos, System.nanoTime());
          } else {
            recording.op("sale").error(Failures.reason(failure));
          }
        });
  }

  /** Points as tender, when this sale redeems and the lane saw enough points at identify. */
  private CompletableFuture<?> reserve(Sale sale, Recording recording) {
    if (!sale.redeems || sale.availablePoints < TENDER_POINTS) {
      return CompletableFuture.completedFuture(null);
    }
    ReserveRedemptionRequest request = ReserveRedemptionRequest.newBuilder()
        .setRequestId(sale.posTransactionId + "-tender")
        .setPointOfSale(sale.pos)
        .setMemberId(sale.memberId)
        .setPointsTender(PointsTender.newBuilder().setPoints(TENDER_POINTS)
            .setBasketTotal(Money.newBuilder().setCurrencyCode(LaneBaskets.CURRENCY)
                .setAmountMinor(LaneBaskets.total(sale.basket))))
        .build();
    return recording.op("reserve").time(System.nanoTime(),
            () -> client.call(CheckoutServiceGrpc.getReserveRedemptionMethod(), request,
                sale.apiKey))
        .thenAccept(held -> sale.reservationId = held.getReservation().getReservationId());
  }

  private static CommitTransactionRequest commit(Sale sale) {
    CommitTransactionRequest.Builder request = CommitTransactionRequest.newBuilder()
        .setPointOfSale(sale.pos)
        .setPosTransactionId(sale.posTransactionId)
        .setMemberId(sale.memberId)
        .setBasket(sale.basket);
    if (sale.reservationId != null) {
      request.addReservationIds(sale.reservationId);
    }
    return request.build();
  }

  private CompletableFuture<?> returnOneUnit(Sale sale, Recording recording) {
    if (!sale.returnsItem) {
      return CompletableFuture.completedFuture(null);
    }
    ReturnItemsRequest request = ReturnItemsRequest.newBuilder()
        .setPointOfSale(sale.pos)
        .setReturnId(sale.posTransactionId + "-return")
        .setOriginal(TransactionKey.newBuilder().setStoreId(sale.pos.getStoreId())
            .setTerminalId(sale.pos.getTerminalId()).setPosTransactionId(sale.posTransactionId))
        .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1))
        .build();
    return recording.op("return").time(System.nanoTime(),
        () -> client.call(CheckoutServiceGrpc.getReturnItemsMethod(), request, sale.apiKey));
  }
}
