package com.posloyalty.server.flow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.posloyalty.server.domain.Ids;
import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.MemberView;
import com.posloyalty.server.domain.Origin;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.RedemptionPolicy;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.IdempotencyStore;
import com.posloyalty.server.store.Outbox;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.server.store.ReservationStore;
import com.posloyalty.server.store.RewardStore;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReleaseRedemptionResponse;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Two-phase redemption: reserve (available → held), then capture by CommitTransaction,
 * release, or expiry. The hold is one conditional UPDATE, so concurrent reservations on
 * one member never spend the same points and never fail for mere concurrency; no lock is
 * held across a network call.
 */
@Singleton
public final class RedemptionFlow {

  private static final String SCOPE = "reserve";

  private final Database db;
  private final ProgramStore program;
  private final ReservationStore reservations;
  private final RewardStore rewards;
  private final PointsAccount points;
  private final IdempotencyStore idempotency;
  private final Redemptions redemptions;
  private final Outbox outbox;
  private final MemberViews views;
  private final Clock clock;

  @Inject
  RedemptionFlow(Database db, ProgramStore program, ReservationStore reservations,
      RewardStore rewards, PointsAccount points, IdempotencyStore idempotency,
      Redemptions redemptions, Outbox outbox, MemberViews views, Clock clock) {
    this.db = db;
    this.program = program;
    this.reservations = reservations;
    this.rewards = rewards;
    this.points = points;
    this.idempotency = idempotency;
    this.redemptions = redemptions;
    this.outbox = outbox;
    this.views = views;
    this.clock = clock;
  }

  private record Result<T>(T response, Optional<MemberView> view) {}

  public ReserveRedemptionResponse reserve(ReserveRedemptionRequest request, Origin origin) {
    ProgramRules rules = program.current();
    byte[] hash = Protos.hash(request);
    Result<ReserveRedemptionResponse> result =
        db.inTransaction(c -> reserveIn(c, request, origin, rules, hash));
    result.view().ifPresent(views::publish);
    return result.response();
  }

  private Result<ReserveRedemptionResponse> reserveIn(Connection c,
      ReserveRedemptionRequest request, Origin origin, ProgramRules rules, byte[] hash)
      throws SQLException {
    Instant now = clock.instant();
    String scope = SCOPE + ":" + origin.storeId();
    if (!idempotency.claim(c, scope, request.getRequestId(), hash, now)) {
      IdempotencyStore.Prior prior = idempotency.find(c, scope, request.getRequestId()).orElseThrow();
      if (!prior.samePayload(hash)) {
        throw Refusal.of(Refusal.Kind.ALREADY_EXISTS, "REQUEST_ID_REUSED",
            "request_id " + request.getRequestId() + " was used for a different reservation");
      }
      // Published again: the first may have been applied without its own publish.
      return new Result<>(parse(prior.response()),
          Optional.of(views.load(c, rules, request.getMemberId())));
    }
    Member member = views.member(c, request.getMemberId());
    member.requireActive();
    redemptions.expireOverdue(c, member.memberId(), now, rules.currencyCode());

    long cost;
    long value;
    String rewardId = null;
    String freeSku = null;
    if (request.hasPointsTender()) {
      if (!request.getPointsTender().getBasketTotal().getCurrencyCode().equals(rules.currencyCode())) {
        throw Refusal.invalid("CURRENCY_MISMATCH", "points_tender.basket_total.currency_code",
            "must be the program's currency " + rules.currencyCode());
      }
      cost = request.getPointsTender().getPoints();
      value = RedemptionPolicy.checkTender(rules, cost,
          request.getPointsTender().getBasketTotal().getAmountMinor());
    } else {
      RewardStore.Reward reward = rewards.find(c, request.getRewardId()).orElseThrow(
          () -> Refusal.notFound("REWARD_NOT_FOUND", "no reward " + request.getRewardId()));
      if (!reward.active()) {
        throw Refusal.precondition("REWARD_NOT_AVAILABLE",
            "reward " + reward.rewardId() + " is retired");
      }
      if (!reward.terms(rules.currencyCode()).redeemableAt(origin.storeId(), origin.channel())) {
        throw Refusal.precondition("REWARD_NOT_AVAILABLE", "reward " + reward.rewardId()
            + " cannot be redeemed in store " + origin.storeId() + " on channel "
            + origin.channel());
      }
      cost = reward.pointsCost();
      value = reward.amountOffMinor();
      rewardId = reward.rewardId();
      freeSku = reward.freeSku();
    }
    RedemptionPolicy.checkApproval(rules, cost, origin.unattended(), request.getApprovalCode());

    Optional<List<PointsAccount.LotTake>> lots = points.hold(c, member.memberId(), cost, now);
    if (lots.isEmpty()) {
      long available = points.balance(c, member.memberId()).orElseThrow().available();
      throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "INSUFFICIENT_POINTS",
          "needs " + cost + " points, " + available + " available",
          Map.of("available_points", Long.toString(available), "required_points",
              Long.toString(cost)));
    }
    ReservationStore.Row row = new ReservationStore.Row(Ids.next("rsv", now), member.memberId(),
        origin.storeId(), origin.terminalId(), origin.channel(), "HELD", cost, rewardId, value,
        freeSku, now, now.plus(rules.reservationTtl()), null, null, 0);
    reservations.insert(c, row, lots.get());
    MemberView view = views.load(c, rules, member);
    ReserveRedemptionResponse response = ReserveRedemptionResponse.newBuilder()
        .setReservation(Redemptions.toProto(row, rules.currencyCode()))
        .setAvailablePoints(view.balance().available())
        .build();
    outbox.append(c, "REDEMPTION_RESERVED", member.memberId(), origin.storeId(),
        response.getReservation().toByteArray(), now);
    idempotency.complete(c, scope, request.getRequestId(), response.toByteArray());
    return new Result<>(response, Optional.of(view));
  }

  public ReleaseRedemptionResponse release(ReleaseRedemptionRequest request, Origin origin) {
    ProgramRules rules = program.current();
    Result<ReleaseRedemptionResponse> result = db.inTransaction(c -> {
      Instant now = clock.instant();
      ReservationStore.Row r = reservations.lock(c, request.getReservationId()).orElseThrow(
          () -> Refusal.notFound("RESERVATION_NOT_FOUND", "no reservation " + request.getReservationId()));
      if (!r.storeId().equals(origin.storeId())) {
        throw Refusal.of(Refusal.Kind.PERMISSION_DENIED, "STORE_MISMATCH",
            "reservation " + r.reservationId() + " was made by another store");
      }
      if ("CAPTURED".equals(r.state())) {
        throw Refusal.precondition("RESERVATION_CAPTURED",
            "reservation " + r.reservationId() + " was captured by sale " + r.posTransactionId());
      }
      // A hold released after its time ended has expired, and is announced so.
      ReservationStore.Row after = redemptions.finish(c, r,
          now.isBefore(r.expiresAt()) ? "RELEASED" : "EXPIRED", now, rules.currencyCode());
      // Published even when nothing changed now: a release sent again may follow a first one
      // applied without its own publish.
      MemberView view = views.load(c, rules, r.memberId());
      return new Result<>(ReleaseRedemptionResponse.newBuilder()
          .setReservation(Redemptions.toProto(after, rules.currencyCode()))
          .setAvailablePoints(view.balance().available())
          .build(), Optional.of(view));
    });
    result.view().ifPresent(views::publish);
    return result.response();
  }

  /** The sweeper: expires up to {@code limit} overdue reservations; returns how many. */
  public int expireOverdue(int limit) {
    Instant now = clock.instant();
    List<String> due = db.read(c -> reservations.overdue(c, now, null, limit));
    ProgramRules rules = due.isEmpty() ? null : program.current();
    int expired = 0;
    for (String id : due) {
      Optional<MemberView> view = db.inTransaction(c -> {
        ReservationStore.Row r = reservations.lock(c, id).orElseThrow();
        if (!r.held() || now.isBefore(r.expiresAt())) {
          return Optional.<MemberView>empty();
        }
        redemptions.finish(c, r, "EXPIRED", now, rules.currencyCode());
        return Optional.of(views.load(c, rules, r.memberId()));
      });
      // Count only what this call expired: another sweeper, a release or a capture may
      // have finished the reservation since it was read.
      if (view.isPresent()) {
        views.publish(view.get());
        expired++;
      }
    }
    return expired;
  }

  private static ReserveRedemptionResponse parse(byte[] bytes) {
    try {
      return ReserveRedemptionResponse.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored reservation response is unreadable", e);
    }
  }
}
