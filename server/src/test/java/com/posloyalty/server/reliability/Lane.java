package com.posloyalty.server.reliability;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CheckoutServiceGrpc.CheckoutServiceBlockingStub;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsTender;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import io.grpc.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What a checkout lane sends, built the way the suite's scenarios need it. */
final class Lane {

  /** The SDK's default deadline for checkout calls: the budget every lane call has. */
  static final long DEADLINE_MS = 800;
  static final String STORE = "s1";
  /** Lines per sale: a returnable line "1" (quantity 3) and line "2". */
  static final int SALE_LINES = 2;

  private static final AtomicLong PHONES = new AtomicLong(15100000000L);

  private Lane() {}

  /** A member as a lane knows it. */
  record Member(String memberId, String cardNumber) {}

  static CheckoutServiceBlockingStub checkout(Channel channel, String key, long deadlineMs) {
    return CheckoutServiceGrpc.newBlockingStub(channel).withCallCredentials(TestServer.bearer(key))
        .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
  }

  static PointOfSale terminal(String terminalId) {
    return TestServer.lane(STORE, terminalId);
  }

  /** A sale of line "1" (3 × {@code unitPrice}) and line "2" (1 × 2.50). */
  static CommitTransactionRequest sale(PointOfSale pos, String posTransactionId, String memberId,
      long unitPrice, List<String> reservationIds) {
    return CommitTransactionRequest.newBuilder().setPointOfSale(pos)
        .setPosTransactionId(posTransactionId).setMemberId(memberId)
        .setBasket(eur(line("1", "COFFEE", "coffee", 3, unitPrice), line("2", "MILK", "", 1, 250)))
        .addAllReservationIds(reservationIds).build();
  }

  static long saleTotal(long unitPrice) {
    return 3 * unitPrice + 250;
  }

  /** Returns one unit of line "1" of the sale. */
  static ReturnItemsRequest returnOne(PointOfSale pos, String returnId, String posTransactionId) {
    return ReturnItemsRequest.newBuilder().setPointOfSale(pos).setReturnId(returnId)
        .setOriginal(TransactionKey.newBuilder().setStoreId(pos.getStoreId())
            .setTerminalId(pos.getTerminalId()).setPosTransactionId(posTransactionId))
        .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1)).build();
  }

  /** Points as tender for a basket of {@code basketTotal} minor units. */
  static ReserveRedemptionRequest tender(PointOfSale pos, String requestId, String memberId,
      long points, long basketTotal) {
    return ReserveRedemptionRequest.newBuilder().setPointOfSale(pos).setRequestId(requestId)
        .setMemberId(memberId).setPointsTender(PointsTender.newBuilder().setPoints(points)
            .setBasketTotal(Money.newBuilder().setCurrencyCode("EUR").setAmountMinor(basketTotal)))
        .build();
  }

  /** Enrols {@code count} members (each with a phone of its own) through the API. */
  static List<Member> enroll(Channel channel, String key, String prefix, int count) {
    List<Member> members = new ArrayList<>();
    PointOfSale pos = terminal("enrol");
    for (int i = 0; i < count; i++) {
      EnrollMemberResponse r = checkout(channel, key, 30_000).enrollMember(
          EnrollMemberRequest.newBuilder().setRequestId(prefix + "-" + i).setPointOfSale(pos)
              .setGivenName("Rel").setPhone("+49" + PHONES.incrementAndGet()).build());
      members.add(new Member(r.getMember().getMemberId(), r.getCardNumber()));
    }
    return members;
  }
}
