package com.posloyalty.server.flow;

import com.posloyalty.server.cache.MemberCache;
import com.posloyalty.server.domain.Balance;
import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.MemberView;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.TierRule;
import com.posloyalty.server.store.MemberStore;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.SpendStore;
import com.posloyalty.v1.MemberStatus;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.Tier;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Builds the lane's view of a member from PostgreSQL and publishes it to the cache. Every
 * write calls {@link #publish} with the view read inside its own transaction, before the
 * call is acknowledged.
 */
@Singleton
public final class MemberViews {

  static final Duration EXPIRING_SOON = Duration.ofDays(30);
  static final Duration TIER_WINDOW = Duration.ofDays(365);

  private final MemberStore members;
  private final PointsAccount points;
  private final SpendStore spend;
  private final MemberCache cache;
  private final Clock clock;

  @Inject
  MemberViews(MemberStore members, PointsAccount points, SpendStore spend, MemberCache cache,
      Clock clock) {
    this.members = members;
    this.points = points;
    this.spend = spend;
    this.cache = cache;
    this.clock = clock;
  }

  /** The refusal for a member id that names no member. */
  static Refusal notFound(String memberId) {
    return Refusal.notFound("MEMBER_NOT_FOUND", "no member " + memberId);
  }

  /** The member, or NOT_FOUND. */
  public Member member(Connection c, String memberId) throws SQLException {
    return members.find(c, memberId).orElseThrow(
        () -> notFound(memberId));
  }

  public MemberView load(Connection c, ProgramRules rules, String memberId) throws SQLException {
    MemberStore.Standing s = standing(c, memberId);
    return load(c, rules, s.member(), s.balance(), s.spendMinor());
  }

  /**
   * The member, its balance and its qualifying spend in one query, or NOT_FOUND: all a
   * quote needs (it shows no expiring points, so that query is left out).
   */
  public MemberStore.Standing standing(Connection c, String memberId) throws SQLException {
    Instant now = clock.instant();
    return members.standing(c, memberId, now.minus(TIER_WINDOW), windowEnd(now)).orElseThrow(
        () -> notFound(memberId));
  }

  public MemberView load(Connection c, ProgramRules rules, Member member) throws SQLException {
    Instant now = clock.instant();
    Balance balance = points.balance(c, member.memberId()).orElse(new Balance(0, 0, 0));
    long qualifying = spend.sum(c, member.memberId(), now.minus(TIER_WINDOW), windowEnd(now));
    return load(c, rules, member, balance, qualifying);
  }

  /** The view from a member, balance and spend already read: one query, the expiring lots. */
  private MemberView load(Connection c, ProgramRules rules, Member member, Balance balance,
      long qualifying) throws SQLException {
    return view(rules, member, balance, qualifying,
        points.expiring(c, member.memberId(), expiringUntil(clock.instant())));
  }

  /**
   * Where the tier window's spend ends, seen at {@code now}: a little ahead of it, because a
   * lane's clock may run ahead of the server's and a sale may be stamped up to {@link
   * ProgramRules#FUTURE_SKEW} in the future. Such a sale counts from its commit on.
   */
  static Instant windowEnd(Instant now) {
    return now.plus(ProgramRules.FUTURE_SKEW);
  }

  /** Where "expiring soon" ends, seen at {@code now}: lots expiring by then are shown. */
  static Instant expiringUntil(Instant now) {
    return now.plus(EXPIRING_SOON);
  }

  /** The view from what a write already knows, expiring points included: no query. */
  static MemberView view(ProgramRules rules, Member member, Balance balance, long qualifying,
      PointsAccount.ExpiringPoints expiring) {
    TierRule tier = rules.tier(member.tierId()).orElse(rules.entryTier());
    return new MemberView(member, tier, balance, Math.min(expiring.points(),
        Math.max(0, balance.available())), expiring.first(), qualifying, rules.currencyCode());
  }

  /** Writes the view to the cache (absorbing any Redis failure) and returns its proto. */
  public MemberSummary publish(MemberView view) {
    MemberSummary summary = toProto(view);
    cache.put(view.member().memberId(), view.balance().version(), summary);
    return summary;
  }

  /** {@link #publish} of several views (of different members) in one round trip. */
  public void publishAll(List<MemberView> views) {
    List<MemberCache.Put> puts = new ArrayList<>(views.size());
    for (MemberView view : views) {
      puts.add(new MemberCache.Put(view.member().memberId(), view.balance().version(),
          toProto(view)));
    }
    cache.putAll(puts);
  }

  static MemberSummary toProto(MemberView v) {
    Member m = v.member();
    MemberSummary.Builder b = MemberSummary.newBuilder()
        .setMemberId(m.memberId())
        .setDisplayName(m.displayName())
        .setStatus(MemberStatus.valueOf("MEMBER_STATUS_" + m.status().name()))
        .setTier(tier(v.tier()))
        .setAvailablePoints(v.balance().available())
        .setHeldPoints(v.balance().held())
        .setPointsExpiringSoon(v.pointsExpiringSoon())
        .setQualifyingSpend(Protos.money(v.qualifyingSpendMinor(), v.currencyCode()));
    v.nextExpiry().ifPresent(t -> b.setNextExpiryTime(Protos.timestamp(t)));
    m.mergedInto().ifPresent(b::setMergedIntoMemberId);
    return b.build();
  }

  static Tier tier(TierRule t) {
    return Tier.newBuilder().setTierId(t.tierId()).setDisplayName(t.displayName())
        .setRank(t.rank()).build();
  }
}
