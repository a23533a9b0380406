package com.posloyalty.server.flow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.posloyalty.server.domain.Ids;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.RewardTerms;
import com.posloyalty.server.store.AuditLog;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.IdempotencyStore;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.server.store.RewardStore;
import com.posloyalty.server.store.SqlWork;
import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CreateRewardRequest;
import com.posloyalty.v1.CreateRewardResponse;
import com.posloyalty.v1.ListRewardsRequest;
import com.posloyalty.v1.ListRewardsResponse;
import com.posloyalty.v1.RetireRewardRequest;
import com.posloyalty.v1.RetireRewardResponse;
import com.posloyalty.v1.Reward;
import com.posloyalty.v1.UpdateRewardRequest;
import com.posloyalty.v1.UpdateRewardResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The rewards catalogue for program administrators: create, edit, read, list and retire.
 * A reward's id never changes; every edit bumps its version and update time and is
 * audited. Mutations are idempotent by request id.
 */
@Singleton
public final class RewardCatalogue {

  private final Database db;
  private final RewardStore rewards;
  private final ProgramStore program;
  private final IdempotencyStore idempotency;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  RewardCatalogue(Database db, RewardStore rewards, ProgramStore program,
      IdempotencyStore idempotency, AuditLog audit, Clock clock) {
    this.db = db;
    this.rewards = rewards;
    this.program = program;
    this.idempotency = idempotency;
    this.audit = audit;
    this.clock = clock;
  }

  public CreateRewardResponse create(CreateRewardRequest request, String actor) {
    String currency = program.current().currencyCode();
    RewardTerms terms = terms(request.getReward());
    terms.checkNew(request.getReward().getRewardId(), currency);
    String requestedId = request.getReward().getRewardId();
    return once("reward:create", request.getRequestId(), request,
        CreateRewardResponse.parser(), (c, now) -> {
          String rewardId = requestedId.isEmpty() ? Ids.next("rwd", now) : requestedId;
          if (!rewards.insert(c, rewardId, terms, now)) {
            throw Refusal.of(Refusal.Kind.ALREADY_EXISTS, "REWARD_ALREADY_EXISTS",
                "reward_id " + rewardId + " is taken (ids are never reused, even when retired)");
          }
          audit.record(c, null, "REWARD_CREATED", actor, "reward " + rewardId + " costing "
              + terms.pointsCost() + " points", now);
          return CreateRewardResponse.newBuilder()
              .setReward(toProto(rewards.find(c, rewardId).orElseThrow(), currency)).build();
        });
  }

  /** Changes the named fields of an ACTIVE reward; a change to nothing writes nothing. */
  public UpdateRewardResponse update(UpdateRewardRequest request, Set<RewardTerms.Field> fields,
      String actor) {
    String currency = program.current().currencyCode();
    String rewardId = request.getReward().getRewardId();
    return once("reward:update", request.getRequestId(), request,
        UpdateRewardResponse.parser(), (c, now) -> {
          RewardStore.Reward current =
              rewards.lock(c, rewardId).orElseThrow(() -> notFound(rewardId));
          if (!current.active()) {
            throw Refusal.precondition("REWARD_RETIRED",
                "reward " + rewardId + " is retired and can no longer be changed");
          }
          RewardTerms before = current.terms(currency);
          RewardTerms after = before.with(fields, terms(request.getReward()));
          after.check(currency);
          if (after.equals(before)) {
            return UpdateRewardResponse.newBuilder().setReward(toProto(current, currency)).build();
          }
          rewards.update(c, rewardId, after, now);
          audit.record(c, null, "REWARD_UPDATED", actor, "reward " + rewardId + " fields "
              + fields + ", points cost " + before.pointsCost() + " -> " + after.pointsCost(),
              now);
          // Re-read for the update time the database set.
          return UpdateRewardResponse.newBuilder()
              .setReward(toProto(rewards.find(c, rewardId).orElseThrow(), currency)).build();
        });
  }

  public Reward get(String rewardId) {
    String currency = program.current().currencyCode();
    return toProto(db.read(c -> rewards.find(c, rewardId)).orElseThrow(() -> notFound(rewardId)),
        currency);
  }

  /** One page, cheapest first; the page token is bound to the request's filters. */
  public ListRewardsResponse list(ListRewardsRequest request, int pageSize) {
    String currency = program.current().currencyCode();
    String state = request.getState() == Reward.State.STATE_UNSPECIFIED ? ""
        : request.getState().name().substring("STATE_".length());
    String store = request.getStoreId();
    Optional<RewardStore.Position> after = request.getPageToken().isEmpty() ? Optional.empty()
        : Optional.of(RewardPageToken.parse(request.getPageToken(), state, store));
    // One row more than the page tells whether another page follows.
    List<RewardStore.Reward> found = db.read(c -> rewards.list(c, nonEmpty(state),
        nonEmpty(store), after, pageSize + 1));
    ListRewardsResponse.Builder b = ListRewardsResponse.newBuilder();
    found.stream().limit(pageSize).forEach(r -> b.addRewards(toProto(r, currency)));
    if (found.size() > pageSize) {
      RewardStore.Reward last = found.get(pageSize - 1);
      b.setNextPageToken(new RewardPageToken(state, store,
          new RewardStore.Position(last.pointsCost(), last.rewardId())).encode());
    }
    return b.build();
  }

  /** Retires a reward; retiring a retired reward returns it unchanged. */
  public RetireRewardResponse retire(RetireRewardRequest request, String actor) {
    String currency = program.current().currencyCode();
    String rewardId = request.getRewardId();
    return once("reward:retire", request.getRequestId(), request,
        RetireRewardResponse.parser(), (c, now) -> {
          RewardStore.Reward current =
              rewards.lock(c, rewardId).orElseThrow(() -> notFound(rewardId));
          if (!current.active()) {
            return RetireRewardResponse.newBuilder().setReward(toProto(current, currency)).build();
          }
          rewards.retire(c, rewardId, now);
          audit.record(c, null, "REWARD_RETIRED", actor, "reward " + rewardId, now);
          return RetireRewardResponse.newBuilder()
              .setReward(toProto(rewards.find(c, rewardId).orElseThrow(), currency)).build();
        });
  }

  /** The admin view of a reward: the lane's view plus where and since when. */
  static Reward toProto(RewardStore.Reward r, String currency) {
    Reward.Builder b = QuoteBasketFlow.toProto(r, currency).toBuilder()
        .addAllStoreIds(r.storeIds())
        .setCreateTime(Protos.timestamp(r.createdAt()))
        .setUpdateTime(Protos.timestamp(r.updatedAt()));
    r.channels().forEach(ch -> b.addChannels(Channel.valueOf("CHANNEL_" + ch)));
    return b.build();
  }

  /** The terms a request's reward asks for; unknown enum values stay visible to the checks. */
  private static RewardTerms terms(Reward r) {
    RewardTerms.Kind kind = switch (r.getKind()) {
      case KIND_AMOUNT_OFF -> RewardTerms.Kind.AMOUNT_OFF;
      case KIND_FREE_ITEM -> RewardTerms.Kind.FREE_ITEM;
      default -> null;
    };
    return new RewardTerms(r.getDisplayName(), r.getDescription(), r.getPointsCost(), kind,
        r.hasAmountOff() ? Optional.of(new RewardTerms.Amount(r.getAmountOff().getAmountMinor(),
            r.getAmountOff().getCurrencyCode())) : Optional.empty(),
        r.getFreeItemSku(), r.getStoreIdsList(),
        r.getChannelsList().stream().map(ch -> ch == Channel.UNRECOGNIZED ? ch.name()
            : ch.name().substring("CHANNEL_".length())).toList());
  }

  private static Optional<String> nonEmpty(String filter) {
    return filter.isEmpty() ? Optional.empty() : Optional.of(filter);
  }

  private static Refusal notFound(String rewardId) {
    return Refusal.notFound("REWARD_NOT_FOUND", "no reward " + rewardId);
  }

  /** Work that writes, given its transaction and the time of the change. */
  @FunctionalInterface
  private interface Change<T> {
    T run(Connection c, Instant now) throws SQLException;
  }

  /**
   * Runs {@code change} once per request id: a retry with the same payload gets the first
   * response back; another payload under the same id is refused.
   */
  private <T extends Message> T once(String scope, String requestId, Message request,
      Parser<T> parser, Change<T> change) {
    byte[] hash = Protos.hash(request);
    // PostgreSQL keeps microseconds: the time answered is the time stored.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    SqlWork<T> work = c -> {
      if (!idempotency.claim(c, scope, requestId, hash, now)) {
        IdempotencyStore.Prior prior = idempotency.find(c, scope, requestId).orElseThrow();
        if (!prior.samePayload(hash)) {
          throw Refusal.of(Refusal.Kind.ALREADY_EXISTS, "REQUEST_ID_REUSED",
              "request_id " + requestId + " was used for a different request");
        }
        return parse(parser, prior.response());
      }
      T response = change.run(c, now);
      idempotency.complete(c, scope, requestId, response.toByteArray());
      return response;
    };
    return db.inTransaction(work);
  }

  private static <T extends Message> T parse(Parser<T> parser, byte[] bytes) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored reward response is unreadable", e);
    }
  }
}
