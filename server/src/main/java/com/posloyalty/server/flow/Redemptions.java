package com.posloyalty.server.flow;

import com.posloyalty.server.domain.Origin;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.store.Outbox;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.ReservationStore;
import com.posloyalty.server.store.ReservationStore.Row;
import com.posloyalty.v1.Reservation;
import com.posloyalty.v1.ReservationState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * State changes of one reservation, inside the caller's transaction: capture by a sale,
 * release, expiry. The reservation row is locked first, so a capture and a release (or
 * an expiry) of the same reservation cannot both happen.
 */
@Singleton
final class Redemptions {

  private final ReservationStore reservations;
  private final PointsAccount points;
  private final Outbox outbox;

  @Inject
  Redemptions(ReservationStore reservations, PointsAccount points, Outbox outbox) {
    this.reservations = reservations;
    this.points = points;
    this.outbox = outbox;
  }

  /** Spends a HELD reservation of this member and store for a sale. */
  Reservation capture(Connection c, String reservationId, String memberId, Origin origin,
      String transactionId, String posTransactionId, Instant occurredAt, Instant now,
      String currency) throws SQLException {
    Row r = reservations.lock(c, reservationId).orElseThrow(() -> Refusal.notFound(
        "RESERVATION_NOT_FOUND", "no reservation " + reservationId));
    if (!r.memberId().equals(memberId)) {
      throw Refusal.precondition("RESERVATION_OTHER_MEMBER",
          "reservation " + reservationId + " belongs to another member");
    }
    if (!r.storeId().equals(origin.storeId())) {
      throw Refusal.of(Refusal.Kind.PERMISSION_DENIED, "STORE_MISMATCH",
          "reservation " + reservationId + " was made by another store");
    }
    if (r.held() && !now.isBefore(r.expiresAt())) {
      throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "RESERVATION_EXPIRED",
          "reservation " + reservationId + " expired at " + r.expiresAt(),
          Map.of("reservation_id", reservationId));
    }
    if (!r.held()) {
      throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "RESERVATION_" + r.state(),
          "reservation " + reservationId + " is " + r.state().toLowerCase(),
          Map.of("reservation_id", reservationId));
    }
    points.capture(c, new PointsAccount.Entry(memberId, "REDEEM", -r.points(), occurredAt, origin,
        reservationId, r.rewardId() == null ? "Points as tender" : "Reward " + r.rewardId(),
        origin.actor()), now);
    reservations.capture(c, reservationId, transactionId, posTransactionId);
    return toProto(reservations.lock(c, reservationId).orElseThrow(), currency);
  }

  /**
   * Gives the points of a HELD reservation back; {@code state} is RELEASED or EXPIRED, and
   * the event announcing it (REDEMPTION_RELEASED or REDEMPTION_EXPIRED) is written with it,
   * whichever path finished the hold.
   */
  Row finish(Connection c, Row r, String state, Instant now, String currency)
      throws SQLException {
    if (!r.held()) {
      return r;
    }
    points.release(c, r.memberId(), r.points(), reservations.lots(c, r.reservationId()), now);
    reservations.finish(c, r.reservationId(), state);
    Row after = reservations.lock(c, r.reservationId()).orElseThrow();
    outbox.append(c, "REDEMPTION_" + state, r.memberId(), r.storeId(),
        toProto(after, currency).toByteArray(), now);
    return after;
  }

  /** Expires the member's HELD reservations that are past due (the lazy check on use). */
  void expireOverdue(Connection c, String memberId, Instant now, String currency)
      throws SQLException {
    for (String id : reservations.overdue(c, now, memberId, 100)) {
      Row r = reservations.lock(c, id).orElseThrow();
      if (r.held() && !now.isBefore(r.expiresAt())) {
        finish(c, r, "EXPIRED", now, currency);
      }
    }
  }

  static Reservation toProto(Row r, String currency) {
    Reservation.Builder b = Reservation.newBuilder()
        .setReservationId(r.reservationId())
        .setMemberId(r.memberId())
        .setState(ReservationState.valueOf("RESERVATION_STATE_" + r.state()))
        .setPoints(r.points())
        .setExpireTime(Protos.timestamp(r.expiresAt()))
        .setCreateTime(Protos.timestamp(r.createdAt()))
        .setStoreId(r.storeId());
    if (r.rewardId() != null) {
      b.setRewardId(r.rewardId());
    }
    b.setValue(Protos.money(r.valueMinor(), currency));
    if (r.posTransactionId() != null) {
      b.setPosTransactionId(r.posTransactionId());
    }
    if (r.freeSku() != null) {
      b.setFreeSku(r.freeSku());
    }
    return b.build();
  }
}
