package com.posloyalty.server.flow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.posloyalty.server.domain.MemberView;
import com.posloyalty.server.domain.Origin;
import com.posloyalty.server.domain.PointsMath;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.ReturnCalculator;
import com.posloyalty.server.domain.ReturnCalculator.Outcome;
import com.posloyalty.server.domain.ReturnCalculator.SaleState;
import com.posloyalty.server.domain.ReturnCalculator.SoldLine;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.DuplicateKeyException;
import com.posloyalty.server.store.IdempotencyStore;
import com.posloyalty.server.store.Outbox;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.server.store.ReservationStore;
import com.posloyalty.server.store.SpendStore;
import com.posloyalty.server.store.SqlWork;
import com.posloyalty.server.store.TransactionStore;
import com.posloyalty.server.store.TransactionStore.Sale;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnItemsResponse;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.ReturnReceipt;
import com.posloyalty.v1.ReturnedLinePoints;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VoidTransactionRequest;
import com.posloyalty.v1.VoidTransactionResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Returns and voids. Both lock the original sale's row first, so returns against one
 * sale are applied one at a time and cumulative returns can never exceed the purchase;
 * {@link ReturnCalculator} decides the points, this class only loads and stores.
 */
@Singleton
public final class ReturnFlow {

  private final Database db;
  private final ProgramStore program;
  private final TransactionStore transactions;
  private final ReservationStore reservations;
  private final PointsAccount points;
  private final SpendStore spend;
  private final Outbox outbox;
  private final MemberViews views;
  private final Clock clock;

  @Inject
  ReturnFlow(Database db, ProgramStore program, TransactionStore transactions,
      ReservationStore reservations, PointsAccount points, SpendStore spend, Outbox outbox,
      MemberViews views, Clock clock) {
    this.db = db;
    this.program = program;
    this.transactions = transactions;
    this.reservations = reservations;
    this.points = points;
    this.spend = spend;
    this.outbox = outbox;
    this.views = views;
    this.clock = clock;
  }

  private record Result(ReturnReceipt receipt, boolean replayed, MemberView view) {}

  public ReturnItemsResponse returnItems(ReturnItemsRequest request, Origin origin) {
    ProgramRules rules = program.current();
    byte[] hash = Protos.hash(request);
    Map<String, Long> requested = new LinkedHashMap<>();
    for (int i = 0; i < request.getLinesCount(); i++) {
      ReturnLine line = request.getLines(i);
      if (requested.putIfAbsent(line.getLineId(), line.getQuantity()) != null) {
        throw Refusal.invalid("DUPLICATE_LINE", "lines[" + i + "].line_id",
            "line " + line.getLineId() + " is named twice");
      }
    }
    SqlWork<Result> work = c -> {
      Sale sale = lockSale(c, request.getOriginal());
      var prior = transactions.findReturn(c, request.getReturnId());
      if (prior.isPresent()) {
        if (!prior.get().samePayload(hash)) {
          throw Refusal.of(Refusal.Kind.ALREADY_EXISTS, "RETURN_ID_REUSED",
              "return_id " + request.getReturnId() + " was used for a different return");
        }
        // Published again: the first may have been applied without its own publish.
        return new Result(parse(prior.get().response()), true,
            views.load(c, rules, sale.memberId()));
      }
      if (sale.voided()) {
        throw Refusal.precondition("TRANSACTION_VOIDED", "the sale was voided");
      }
      ReturnReceipt receipt = apply(c, rules, sale, requested, origin, "RETURN",
          request.getReturnId());
      transactions.insertReturn(c, request.getReturnId(), sale.transactionId(), hash,
          receipt.toByteArray(), clock.instant());
      outbox.append(c, "TRANSACTION_RETURNED", sale.memberId(), origin.storeId(),
          receipt.toByteArray(), clock.instant());
      return new Result(receipt, false, views.load(c, rules, sale.memberId()));
    };
    Result result;
    try {
      result = db.inTransaction(work);
    } catch (DuplicateKeyException e) {
      if (!e.constraint().equals("returns_pkey")) {
        throw e;
      }
      // The same return id, sent at once against another sale, committed first: run again,
      // to replay it or refuse this one as a reuse.
      result = db.inTransaction(work);
    }
    if (result.view() != null) {
      views.publish(result.view());
    }
    return ReturnItemsResponse.newBuilder().setReceipt(result.receipt())
        .setReplayed(result.replayed()).build();
  }

  public VoidTransactionResponse voidTransaction(VoidTransactionRequest request, Origin origin) {
    ProgramRules rules = program.current();
    Result result = db.inTransaction(c -> {
      Sale sale = lockSale(c, request.getOriginal());
      if (sale.voided()) {
        return new Result(parse(sale.voidReceipt()), true, views.load(c, rules, sale.memberId()));
      }
      String reference = "void:" + sale.posTransactionId();
      SaleState state = state(c, sale);
      ReturnReceipt receipt = apply(c, rules, sale, ReturnCalculator.remainder(state), origin,
          "VOID", reference);
      transactions.markVoided(c, sale.transactionId(), receipt.toByteArray());
      outbox.append(c, "TRANSACTION_VOIDED", sale.memberId(), origin.storeId(),
          receipt.toByteArray(), clock.instant());
      return new Result(receipt, false, views.load(c, rules, sale.memberId()));
    });
    if (result.view() != null) {
      views.publish(result.view());
    }
    return VoidTransactionResponse.newBuilder().setReceipt(result.receipt())
        .setReplayed(result.replayed()).build();
  }

  private Sale lockSale(Connection c, TransactionKey key) throws SQLException {
    return transactions.find(c, key.getStoreId(), key.getTerminalId(),
        key.getPosTransactionId(), true).orElseThrow(() -> Refusal.notFound(
            "TRANSACTION_NOT_FOUND", "no committed sale " + key.getPosTransactionId()
                + " at " + key.getStoreId() + "/" + key.getTerminalId()));
  }

  private SaleState state(Connection c, Sale sale) throws SQLException {
    List<ReturnCalculator.CapturedRedemption> captured = reservations.capturedBy(c,
        sale.transactionId()).stream().map(r -> new ReturnCalculator.CapturedRedemption(
            r.reservationId(), r.points(), r.refundedPoints(), r.freeSku())).toList();
    return new SaleState(transactions.lines(c, sale.transactionId()), sale.basketBonusPoints(),
        sale.basketBonusReversed(), captured);
  }

  /** Writes what the calculator decided: refunds, the (capped) reversal, line and spend state. */
  private ReturnReceipt apply(Connection c, ProgramRules rules, Sale sale,
      Map<String, Long> requested, Origin origin, String type, String reference)
      throws SQLException {
    Instant now = clock.instant();
    SaleState state = state(c, sale);
    Outcome outcome = ReturnCalculator.compute(state, requested);
    for (ReturnCalculator.RedemptionRefund refund : outcome.refunds()) {
      points.post(c, new PointsAccount.Entry(sale.memberId(), "REDEEM_REFUND", refund.points(),
          now, origin, refund.reservationId(), "Points refunded for returned items",
          origin.actor()), now, Expiry.of(rules, now, clock.getZone()));
      reservations.addRefunded(c, refund.reservationId(), refund.points());
    }
    // Locked by a version bump: two returns of different sales of one member (or a return
    // and a hold) must not both cap against the same available points; and the view
    // published after the return replaces the cached one even when no point moves (only
    // the spend).
    long available = points.touch(c, sale.memberId(), now).available();
    long reversal = outcome.pointsReversed();
    long taken = ReturnCalculator.capReversal(reversal, 0, available, rules.allowNegativeBalance());
    if (taken > 0) {
      points.post(c, new PointsAccount.Entry(sale.memberId(), type, -taken, now, origin,
          reference, (type.equals("VOID") ? "Void of " : "Return against ")
              + sale.posTransactionId(), origin.actor()), now, java.util.Optional.empty());
    }
    long returnedEligible = 0;
    ReturnReceipt.Builder receipt = ReturnReceipt.newBuilder()
        .setReturnId(reference)
        .setMemberId(sale.memberId())
        .setPointsReversed(taken)
        .setPointsRefunded(outcome.pointsRefunded())
        .setShortfallPoints(reversal - taken)
        .setCreateTime(Protos.timestamp(now));
    for (ReturnCalculator.LineReversal lr : outcome.lines()) {
      transactions.addReturned(c, sale.transactionId(), lr.lineId(), lr.quantity(),
          lr.pointsReversed());
      SoldLine line = state.lines().stream().filter(l -> l.lineId().equals(lr.lineId()))
          .findFirst().orElseThrow();
      returnedEligible += PointsMath.mulDivFloor(line.eligibleMinor(),
          line.returnedQuantity() + lr.quantity(), line.quantity())
          - PointsMath.mulDivFloor(line.eligibleMinor(), line.returnedQuantity(), line.quantity());
      receipt.addLines(ReturnedLinePoints.newBuilder().setLineId(lr.lineId())
          .setQuantity(lr.quantity()).setPointsReversed(lr.pointsReversed()));
    }
    if (outcome.bonusReversed() > 0) {
      transactions.addBonusReversed(c, sale.transactionId(), outcome.bonusReversed());
    }
    if (returnedEligible > 0) {
      spend.record(c, sale.memberId(), sale.occurredAt(), -returnedEligible, reference);
    }
    var balance = points.balance(c, sale.memberId()).orElseThrow();
    return receipt.setAvailablePoints(balance.available()).setHeldPoints(balance.held()).build();
  }

  private static ReturnReceipt parse(byte[] bytes) {
    try {
      return ReturnReceipt.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored return receipt is unreadable", e);
    }
  }
}
