package com.posloyalty.server.flow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.posloyalty.server.config.ServerConfig;
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
import com.posloyalty.server.store.GroupPlans;
import com.posloyalty.server.store.MemberStore;
import com.posloyalty.server.store.Outbox;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.server.store.SalePosting;
import com.posloyalty.server.store.StoreUnavailableException;
import com.posloyalty.server.store.TransactionStore;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.Reservation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Commits a finished sale exactly once. The sale's key is claimed first (a unique
 * index): a replay or a concurrent duplicate finds the claim and gets the stored receipt,
 * so no retry, duplicate or second server can apply a sale twice. Everything — claim,
 * captures, points, lots, tier, receipt, outbox event — commits in one transaction.
 *
 * <p>Sales without reservations that arrive together are committed together: one
 * transaction, and one claim, one posting and one completion statement, for a group of
 * sales of different members (decision 33). Every sale is still decided on its own, and
 * every sale that is not a plain new one is left out of its group and committed alone.
 */
@Singleton
public final class CommitTransactionFlow {

  private final Database db;
  private final ProgramStore program;
  private final MemberStore members;
  private final PointsAccount points;
  private final SalePosting sale;
  private final TransactionStore transactions;
  private final Redemptions redemptions;
  private final MemberViews views;
  private final Clock clock;
  private final Optional<Combiner<Grouped, Optional<CommitTransactionResponse>>> groups;
  private final DistributionSummary groupSales;

  @Inject
  CommitTransactionFlow(Database db, ProgramStore program, MemberStore members,
      PointsAccount points, SalePosting sale, TransactionStore transactions,
      Redemptions redemptions, MemberViews views, Clock clock, ServerConfig config,
      MeterRegistry registry) {
    this.db = db;
    this.program = program;
    this.members = members;
    this.points = points;
    this.sale = sale;
    this.transactions = transactions;
    this.redemptions = redemptions;
    this.views = views;
    this.clock = clock;
    this.groupSales = DistributionSummary.builder("loyalty.commit.group.sales")
        .description("Sales per commit group (one transaction)")
        .register(registry);
    Counter shed = Counter.builder("loyalty.commit.shed")
        .description("Sales answered SERVER_OVERLOADED because they waited too long for a group")
        .register(registry);
    if (config.commitGroupSize() <= 1) {
      this.groups = Optional.empty();
    } else {
      Combiner<Grouped, Optional<CommitTransactionResponse>> combiner = new Combiner<>(
          config.commitGroupSize(), config.commitGroupsRunning(),
          TimeUnit.MILLISECONDS.toNanos(config.maxQueueWaitMs()),
          g -> List.of(g.request().getMemberId(), new SaleKey(g.origin().storeId(),
              g.origin().terminalId(), g.request().getPosTransactionId())),
          waited -> {
            shed.increment();
            return new Overloaded(TimeUnit.NANOSECONDS.toMillis(waited), "a commit group");
          },
          this::commitGroup);
      Gauge.builder("loyalty.commit.waiting", combiner, Combiner::waiting)
          .description("Sales waiting for a commit group")
          .register(registry);
      this.groups = Optional.of(combiner);
    }
  }

  private record Outcome(CommitTransactionResponse response, List<MemberView> changed) {}

  /** A sale waiting for its group: the request, where it comes from, its hash. */
  private record Grouped(CommitTransactionRequest request, Origin origin, byte[] hash) {}

  /** A sale's key, as a group keeps two sales of one key apart. */
  private record SaleKey(String storeId, String terminalId, String posTransactionId) {}

  /** The answers of a group's sales (empty: not committed here) and the views to publish. */
  private record GroupOutcome(List<Optional<CommitTransactionResponse>> responses,
      List<MemberView> changed) {}

  /** A sale of a group that is posted, as decided after its claim. */
  private record Decided(int index, TransactionStore.ClaimRequest key, Member member,
      TierRule tier, List<SaleLine> lines, Earning earning) {}

  /**
   * Commits the sale; the answer may come later, from the group the sale is committed in.
   * Blocking work runs on the calling thread or on {@code workers}.
   */
  public CompletableFuture<CommitTransactionResponse> commit(CommitTransactionRequest request,
      Origin origin, Executor workers) {
    // The sale's time is not part of its identity: a terminal that re-sends a sale after
    // its own restart may stamp it again. The first commit's time is the one kept.
    byte[] hash = Protos.hash(request.toBuilder().clearOccurTime().build());
    if (groups.isEmpty() || request.getReservationIdsCount() > 0) {
      return CompletableFuture.completedFuture(commitAlone(request, origin, hash));
    }
    return groups.get().submit(new Grouped(request, origin, hash)).thenCompose(grouped ->
        grouped.isPresent() ? CompletableFuture.completedFuture(grouped.get())
            // Not committed by its group (a replay, a refusal, a referral bonus to pay, no
            // such member): the sale on its own decides, as if it had never been grouped.
            : CompletableFuture.supplyAsync(() -> commitAlone(request, origin, hash), workers));
  }

  /** Commits the sale on its own, on the calling thread (the demo data's sales). */
  public CommitTransactionResponse commit(CommitTransactionRequest request, Origin origin) {
    return commitAlone(request, origin,
        Protos.hash(request.toBuilder().clearOccurTime().build()));
  }

  private CommitTransactionResponse commitAlone(CommitTransactionRequest request, Origin origin,
      byte[] hash) {
    ProgramRules rules = program.current();
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
    checkNewSale(rules, member, occurredAt, now);
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
    Earning earning = earn(rules, tier, lines, member, occurredAt);
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
    Settled settled = settle(c, rules, member, tier, earning, posted, now);
    List<MemberView> changed = new ArrayList<>();
    payReferralBonus(c, rules, member, earning, origin, now).ifPresent(changed::add);
    MemberView view = settled.view();
    Receipt receipt = receipt(rules, request, transactionId, member.memberId(), earning,
        captured, redeemed, view, settled.upgraded(), now, occurredAt);
    transactions.complete(c, completion(transactionId, receipt, earning, lines, origin, now));
    changed.add(0, view);
    return new Outcome(CommitTransactionResponse.newBuilder().setReceipt(receipt).build(), changed);
  }

  /**
   * Commits a group of sales of different members, none with a redemption, in one
   * transaction of three statements: the keys claimed and the members locked; every
   * posting (and the claims of sales left out deleted); every receipt, line and event.
   * Each sale is decided on its own, as {@link #commitIn} decides it. A sale that is not a
   * plain new sale of an active member (a replay, a refusal, no such member, a referral
   * bonus that would lock a second member) is left out and answered empty: its caller
   * commits it on its own after this transaction, so everything but the common case keeps
   * one path. When the transaction fails, every sale of the group fails with it.
   */
  private List<Optional<CommitTransactionResponse>> commitGroup(List<Grouped> sales) {
    groupSales.record(sales.size());
    if (sales.size() == 1) {
      // A group of one is the sale alone, by the single-sale statements.
      Grouped only = sales.get(0);
      return List.of(Optional.of(commitAlone(only.request(), only.origin(), only.hash())));
    }
    ProgramRules rules = program.current();
    GroupOutcome outcome;
    try {
      outcome = db.inTransaction(c -> commitGroupIn(c, sales, rules));
    } catch (StoreUnavailableException e) {
      // The database (or the COMMIT's acknowledgement) is gone for every sale alike.
      throw e;
    } catch (RuntimeException e) {
      // Anything else may be one sale's doing (text PostgreSQL cannot store, say): nothing
      // of the group was written, so each sale is committed on its own and only its own
      // failure reaches its lane.
      return new ArrayList<>(Collections.nCopies(sales.size(), Optional.empty()));
    }
    views.publishAll(outcome.changed());
    return outcome.responses();
  }

  private GroupOutcome commitGroupIn(Connection c, List<Grouped> sales, ProgramRules rules)
      throws SQLException {
    GroupPlans.apply(c);
    Instant now = clock.instant();
    int n = sales.size();
    List<TransactionStore.ClaimRequest> keys = new ArrayList<>(n);
    for (Grouped g : sales) {
      CommitTransactionRequest r = g.request();
      keys.add(new TransactionStore.ClaimRequest(Ids.next("txn", now), g.origin().storeId(),
          g.origin().terminalId(), r.getPosTransactionId(), r.getMemberId(), g.hash(),
          r.hasOccurTime() ? Protos.instant(r.getOccurTime()) : now));
    }
    List<Optional<TransactionStore.Claim>> claims = transactions.claimAll(c, keys, now);
    List<Decided> decided = new ArrayList<>(n);
    List<String> leftOut = new ArrayList<>();
    List<SalePosting.Sale> postings = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Optional<TransactionStore.Claim> claim = claims.get(i);
      if (claim.isEmpty() || !claim.get().claimed()) {
        continue;
      }
      TransactionStore.ClaimRequest key = keys.get(i);
      Optional<Decided> d = decide(rules, i, sales.get(i).request(), key, claim.get().member(),
          now);
      if (d.isEmpty()) {
        leftOut.add(key.transactionId());
        continue;
      }
      decided.add(d.get());
      Origin origin = sales.get(i).origin();
      String pos = key.posTransactionId();
      postings.add(new SalePosting.Sale(key.memberId(), d.get().earning().totalPoints(),
          key.occurredAt(), Expiry.of(rules, key.occurredAt(), clock.getZone()), origin, pos,
          "Purchase " + pos, origin.actor(), d.get().earning().eligibleMinor(),
          key.transactionId()));
    }
    List<Optional<CommitTransactionResponse>> responses =
        new ArrayList<>(Collections.nCopies(n, Optional.empty()));
    if (decided.isEmpty() && leftOut.isEmpty()) {
      return new GroupOutcome(responses, List.of());
    }
    Map<String, SalePosting.Posted> posted = sale.postAll(c, postings, leftOut, now,
        now.minus(MemberViews.TIER_WINDOW), MemberViews.windowEnd(now),
        MemberViews.expiringUntil(now));
    List<MemberView> changed = new ArrayList<>(decided.size());
    List<TransactionStore.Completion> completions = new ArrayList<>(decided.size());
    for (Decided d : decided) {
      Member member = d.member();
      Earning earning = d.earning();
      Settled settled = settle(c, rules, member, d.tier(), earning,
          posted.get(member.memberId()), now);
      Grouped sale = sales.get(d.index());
      String transactionId = d.key().transactionId();
      Receipt receipt = receipt(rules, sale.request(), transactionId, member.memberId(),
          earning, List.of(), 0, settled.view(), settled.upgraded(), now, d.key().occurredAt());
      completions.add(completion(transactionId, receipt, earning, d.lines(), sale.origin(),
          now));
      MemberView view = settled.view();
      changed.add(view);
      responses.set(d.index(),
          Optional.of(CommitTransactionResponse.newBuilder().setReceipt(receipt).build()));
    }
    if (!completions.isEmpty()) {
      transactions.completeAll(c, completions);
    }
    return new GroupOutcome(responses, changed);
  }

  /**
   * A claimed sale of a group decided as {@link #commitIn} decides it; empty when it is
   * refused or pays a referral bonus (the sale on its own then refuses or pays it).
   */
  private Optional<Decided> decide(ProgramRules rules, int index,
      CommitTransactionRequest request, TransactionStore.ClaimRequest key, Member member,
      Instant now) {
    try {
      List<SaleLine> lines = Baskets.lines(rules, request.getBasket());
      checkNewSale(rules, member, key.occurredAt(), now);
      TierRule tier = rules.tier(member.tierId()).orElse(rules.entryTier());
      Earning earning = earn(rules, tier, lines, member, key.occurredAt());
      if (rules.referralBonusDue(member, earning)) {
        return Optional.empty();
      }
      return Optional.of(new Decided(index, key, member, tier, lines, earning));
    } catch (RuntimeException refusedOrFailed) {
      // The sale on its own meets the same refusal or failure and answers it.
      return Optional.empty();
    }
  }

  /** A sale's member view after its posting, and whether the sale lifted its tier. */
  private record Settled(MemberView view, boolean upgraded) {}

  /**
   * What follows a sale's posting on its own member: the birthday bonus's year, the tier the
   * sale's spend reaches, and the view from what the transaction wrote (the balance, spend
   * and expiring points the posting returned, the member in its new tier).
   */
  private Settled settle(Connection c, ProgramRules rules, Member member, TierRule tier,
      Earning earning, SalePosting.Posted posted, Instant now) throws SQLException {
    if (earning.birthdayBonusYear() > 0) {
      members.setBirthdayBonusYear(c, member.memberId(), earning.birthdayBonusYear(), now);
    }
    long qualifying = posted.qualifyingSpendMinor();
    TierRule reached = rules.tierForSpend(qualifying);
    boolean upgraded = reached.rank() > tier.rank();
    if (upgraded) {
      members.setTier(c, member.memberId(), reached.tierId(), now);
    }
    return new Settled(MemberViews.view(rules,
        upgraded ? member.withTier(reached.tierId()) : member, posted.balance(), qualifying,
        posted.expiring()), upgraded);
  }

  /** The sale's completion: its receipt, totals, lines and the event announcing it. */
  private static TransactionStore.Completion completion(String transactionId, Receipt receipt,
      Earning earning, List<SaleLine> lines, Origin origin, Instant now) {
    byte[] receiptBytes = receipt.toByteArray();
    return new TransactionStore.Completion(transactionId, receiptBytes, earning.eligibleMinor(),
        earning.basketBonusPoints(), newLines(lines, earning), new Outbox.Event(
            "TRANSACTION_COMMITTED", receipt.getMemberId(), origin.storeId(), receiptBytes,
            now));
  }

  /** What a new sale (not a replay) must meet: its time in the window, an active member. */
  private static void checkNewSale(ProgramRules rules, Member member, Instant occurredAt,
      Instant now) {
    rules.requireSaleTime(occurredAt, now);
    // A replay answers even if the member was blocked since; a new sale needs an active one.
    member.requireActive();
  }

  private Earning earn(ProgramRules rules, TierRule tier, List<SaleLine> lines, Member member,
      Instant occurredAt) {
    return EarningCalculator.earn(rules, tier, lines, member.birthday(),
        member.lastBirthdayBonusYear(), occurredAt.atZone(clock.getZone()).toLocalDate());
  }

  private static Receipt receipt(ProgramRules rules, CommitTransactionRequest request,
      String transactionId, String memberId, Earning earning, List<Reservation> captured,
      long redeemed, MemberView view, boolean upgraded, Instant now, Instant occurredAt) {
    return Receipt.newBuilder()
        .setTransactionId(transactionId)
        .setPosTransactionId(request.getPosTransactionId())
        .setMemberId(memberId)
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
  }

  /** The referrer's bonus, paid once, at the referred member's first purchase that earns. */
  private Optional<MemberView> payReferralBonus(Connection c, ProgramRules rules, Member member,
      Earning earning, Origin origin, Instant now) throws SQLException {
    if (!rules.referralBonusDue(member, earning)
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
