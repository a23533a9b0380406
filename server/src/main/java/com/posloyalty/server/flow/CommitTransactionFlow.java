package com.posloyalty.server.flow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.posloyalty.server.domain.Earning;
import com.posloyalty.server.domain.EarningCalculator;
import com.posloyalty.server.domain.Ids;
import com.posloyalty.server.domain.LineEarning;
import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.MemberView;
import com.posloyalty.server.domain.Origin;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.RedemptionPolicy;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.SaleLine;
import com.posloyalty.server.domain.TierRule;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.MemberStore;
import com.posloyalty.server.store.Outbox;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.server.store.SalePosting;
import com.posloyalty.server.store.TransactionStore;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.Reservation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Commits a finished sale exactly once. The sale's key is claimed first (a unique
 * index): a replay or a concurrent duplicate finds the claim and gets the stored receipt,
 * so no retry, duplicate or second server can apply a sale twice. Everything — claim,
 * captures, points, lots, tier, receipt, outbox event — commits in one transaction.
 */
@Singleton
public final class CommitTransactionFlow {

  /** How far in the future a sale's time may lie (terminal clock skew). */
  static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

  private final Database db;
  private final ProgramStore program;
  private final MemberStore members;
  private final PointsAccount points;
  private final SalePosting sale;
  private final TransactionStore transactions;
  private final Redemptions redemptions;
  private final MemberViews views;
  private final Clock clock;

  @Inject
  CommitTransactionFlow(Database db, ProgramStore program, MemberStore members,
      PointsAccount points, SalePosting sale, TransactionStore transactions,
      Redemptions redemptions, MemberViews views, Clock clock) {
    this.db = db;
    this.program = program;
    this.members = members;
    this.points = points;
    this.sale = sale;
    this.transactions = transactions;
    this.redemptions = redemptions;
    this.views = views;
    this.clock = clock;
  }

  private record Outcome(CommitTransactionResponse response, List<MemberView> changed) {}

  public CommitTransactionResponse commit(CommitTransactionRequest request, Origin origin) {
    ProgramRules rules = program.current();
    // The sale's time is not part of its identity: a terminal that re-sends a sale after
    // its own restart may stamp it again. The first commit's time is the one kept.
    byte[] hash = Protos.hash(request.toBuilder().clearOccurTime().build());
    Outcome outcome = db.inTransaction(c -> commitIn(c, request, origin, rules, hash));
    outcome.changed().forEach(views::publish);
    return outcome.response();
  }

  private Outcome commitIn(Connection c, CommitTransactionRequest request, Origin origin,
      ProgramRules rules, byte[] hash) throws SQLException {
    Instant now = clock.instant();
    Instant occurredAt = request.hasOccurTime() ? Protos.instant(request.getOccurTime()) : now;
    String transactionId = Ids.next("txn", now);
    TransactionStore.Claim claim = transactions.claim(c, transactionId, origin.storeId(),
        origin.terminalId(), request.getPosTransactionId(), request.getMemberId(), hash,
        occurredAt, now).orElseThrow(() -> MemberViews.notFound(request.getMemberId()));
    Member member = claim.member();
    if (!claim.claimed()) {
      // A replay answers before the checks below: what was committed stays committed, even
      // when the sale's time has since left the window or the program's rules changed. The
      // member's view is published again: the first commit may have been applied without
      // its own publish (its COMMIT acknowledgement lost), and the cache must not be older
      // than what this answer acknowledges.
      CommitTransactionResponse replayed = replay(c, request, origin, hash);
      return new Outcome(replayed, List.of(views.load(c, rules, member.memberId())));
    }
    // A refusal from here on rolls the claim back with everything else.
    List<SaleLine> lines = Baskets.lines(rules, request.getBasket());
    if (occurredAt.isAfter(now.plus(FUTURE_SKEW))
        || occurredAt.isBefore(now.minus(rules.backdateWindow()))) {
      throw Refusal.invalid("OCCUR_TIME_OUT_OF_WINDOW", "occur_time",
          "must lie between " + rules.backdateWindow().toHours() + " hours ago and 5 minutes ahead");
    }
    // A replay answers even if the member was blocked since; a new sale needs an active one.
    member.requireActive();
    TierRule tier = rules.tier(member.tierId()).orElse(rules.entryTier());

    List<Reservation> captured = new ArrayList<>();
    long redeemed = 0;
    for (String reservationId : request.getReservationIdsList()) {
      Reservation r = redemptions.capture(c, reservationId, member.memberId(), origin,
          transactionId, request.getPosTransactionId(), occurredAt, now, rules.currencyCode());
      captured.add(r);
      redeemed += r.getPoints();
    }
    RedemptionPolicy.checkTenderAgainstSale(rules, captured.stream()
        .filter(r -> r.getRewardId().isEmpty()).mapToLong(r -> r.getValue().getAmountMinor()).sum(),
        lines.stream().mapToLong(SaleLine::netMinor).sum());

    // The claim locked the member row: this is its newest tier and bonuses, and no other
    // sale of the member decides from them until this one commits (one birthday bonus a year).
    Earning earning = EarningCalculator.earn(rules, tier, lines, member.birthday(),
        member.lastBirthdayBonusYear(), occurredAt.atZone(clock.getZone()).toLocalDate());
    // The points, the spend and what the member's view needs, in one statement.
    Optional<PointsAccount.Entry> credit = earning.totalPoints() > 0
        ? Optional.of(new PointsAccount.Entry(member.memberId(), "EARN", earning.totalPoints(),
            occurredAt, origin, request.getPosTransactionId(),
            "Purchase " + request.getPosTransactionId(), origin.actor()))
        : Optional.empty();
    SalePosting.Posted posted = sale.post(c, member.memberId(), credit,
        Expiry.of(rules, occurredAt, clock.getZone()),
        new SalePosting.Spend(earning.eligibleMinor(), occurredAt, transactionId,
            now.minus(MemberViews.TIER_WINDOW), MemberViews.windowEnd(now)),
        now, MemberViews.expiringUntil(now));
    if (earning.birthdayBonusYear() > 0) {
      members.setBirthdayBonusYear(c, member.memberId(), earning.birthdayBonusYear(), now);
    }
    long qualifying = posted.qualifyingSpendMinor();
    TierRule reached = rules.tierForSpend(qualifying);
    boolean upgraded = reached.rank() > tier.rank();
    if (upgraded) {
      members.setTier(c, member.memberId(), reached.tierId(), now);
    }
    List<MemberView> changed = new ArrayList<>();
    payReferralBonus(c, rules, member, earning, origin, now).ifPresent(changed::add);

    // The view from what this transaction wrote: the balance, spend and expiring points
    // the posting returned, the member in its new tier.
    MemberView view = MemberViews.view(rules,
        upgraded ? member.withTier(reached.tierId()) : member, posted.balance(), qualifying,
        posted.expiring());
    Receipt receipt = Receipt.newBuilder()
        .setTransactionId(transactionId)
        .setPosTransactionId(request.getPosTransactionId())
        .setMemberId(member.memberId())
        .setEarning(Baskets.toProto(earning, rules.currencyCode()))
        .setPointsRedeemed(redeemed)
        .addAllRedemptions(captured)
        .setAvailablePoints(view.balance().available())
        .setHeldPoints(view.balance().held())
        .setTier(MemberViews.tier(view.tier()))
        .setTierUpgraded(upgraded)
        .setCommitTime(Protos.timestamp(now))
        .setOccurTime(Protos.timestamp(occurredAt))
        .setQualifyingSpend(Protos.money(view.qualifyingSpendMinor(), rules.currencyCode()))
        .build();
    byte[] receiptBytes = receipt.toByteArray();
    transactions.complete(c, transactionId, receiptBytes, earning.eligibleMinor(),
        earning.basketBonusPoints(), newLines(lines, earning), new Outbox.Event(
            "TRANSACTION_COMMITTED", member.memberId(), origin.storeId(), receiptBytes, now));
    changed.add(0, view);
    return new Outcome(CommitTransactionResponse.newBuilder().setReceipt(receipt).build(), changed);
  }

  /** The referrer's bonus, paid once, at the referred member's first purchase that earns. */
  private Optional<MemberView> payReferralBonus(Connection c, ProgramRules rules, Member member,
      Earning earning, Origin origin, Instant now) throws SQLException {
    if (rules.referralBonusPoints() <= 0 || member.referrerId().isEmpty()
        || member.referralBonusPaid() || earning.eligibleMinor() <= 0
        || !members.claimReferralBonus(c, member.memberId(), now)) {
      return Optional.empty();
    }
    String referrer = member.referrerId().get();
    points.post(c, new PointsAccount.Entry(referrer, "BONUS", rules.referralBonusPoints(), now,
        origin, member.memberId(), "Referral bonus", "system"), now,
        Expiry.of(rules, now, clock.getZone()));
    return Optional.of(views.load(c, rules, referrer));
  }

  private CommitTransactionResponse replay(Connection c, CommitTransactionRequest request,
      Origin origin, byte[] hash) throws SQLException {
    TransactionStore.Sale sale = transactions.find(c, origin.storeId(), origin.terminalId(),
        request.getPosTransactionId(), false).orElseThrow();
    if (!Arrays.equals(sale.requestHash(), hash)) {
      throw Refusal.of(Refusal.Kind.ALREADY_EXISTS, "TRANSACTION_KEY_REUSED",
          "transaction " + request.getPosTransactionId() + " of this terminal was already"
              + " committed with a different payload");
    }
    try {
      return CommitTransactionResponse.newBuilder()
          .setReceipt(Receipt.parseFrom(sale.receipt())).setReplayed(true).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored receipt is unreadable", e);
    }
  }

  private static List<TransactionStore.NewLine> newLines(List<SaleLine> lines, Earning earning) {
    List<TransactionStore.NewLine> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      SaleLine line = lines.get(i);
      LineEarning earned = earning.lines().get(i);
      out.add(new TransactionStore.NewLine(line.lineId(), line.sku(), line.quantity(),
          line.netMinor(), earned.eligibleMinor(), earned.points()));
    }
    return out;
  }
}
