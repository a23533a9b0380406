package com.posloyalty.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsTender;
import com.posloyalty.v1.ReserveRedemptionRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lane of a test server: enrols members, earns them points with one-line sales, and
 * builds reservations, with fresh ids and phone numbers every time. Expects the default
 * earning rate of 1 point per 1.00 for {@link #earn}.
 */
public final class Lane {

  private static final AtomicInteger ids = new AtomicInteger();

  private final TestServer server;
  private final PointOfSale pos;

  public Lane(TestServer server, PointOfSale pos) {
    this.server = server;
    this.pos = pos;
  }

  public String enrol() {
    int n = ids.incrementAndGet();
    return server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
        .setRequestId("lane-enrol-" + n).setPointOfSale(pos)
        .setPhone(String.format("+49159%08d", n)).setGivenName("Ada").build())
        .getMember().getMemberId();
  }

  /** A new member who has earned {@code points}. */
  public String enrolWith(long points) {
    String member = enrol();
    earn(member, points);
    return member;
  }

  /** Commits a one-line sale worth exactly {@code points} points. */
  public void earn(String member, long points) {
    assertThat(server.checkout().commitTransaction(sale(member, points * 100)).getReceipt()
        .getEarning().getTotalPoints()).isEqualTo(points);
  }

  /** A one-line sale of {@code priceMinor} at this lane, capturing the reservations. */
  public CommitTransactionRequest sale(String member, long priceMinor, String... reservations) {
    return CommitTransactionRequest.newBuilder().setPointOfSale(pos)
        .setPosTransactionId("lane-pos-" + ids.incrementAndGet()).setMemberId(member)
        .setBasket(Baskets.eur(Baskets.line("1", "SKU-1", "grocery", 1, priceMinor)))
        .addAllReservationIds(List.of(reservations)).build();
  }

  public MemberSummary identify(String member) {
    return server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(pos).setMemberId(member).build()).getMember();
  }

  public ReserveRedemptionRequest reward(String member, String rewardId) {
    return ReserveRedemptionRequest.newBuilder().setRequestId("lane-rsv-" + ids.incrementAndGet())
        .setPointOfSale(pos).setMemberId(member).setRewardId(rewardId).build();
  }

  public ReserveRedemptionRequest tender(String member, long points, long basketMinor) {
    return ReserveRedemptionRequest.newBuilder().setRequestId("lane-rsv-" + ids.incrementAndGet())
        .setPointOfSale(pos).setMemberId(member).setPointsTender(PointsTender.newBuilder()
            .setPoints(points).setBasketTotal(eur(basketMinor))).build();
  }

  public static Money eur(long minor) {
    return Money.newBuilder().setCurrencyCode("EUR").setAmountMinor(minor).build();
  }
}
