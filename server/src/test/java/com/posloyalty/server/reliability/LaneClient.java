package com.posloyalty.server.reliability;

import com.posloyalty.v1.CheckoutServiceGrpc.CheckoutServiceBlockingStub;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnItemsResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One lane of scenario 1: a reproducible stream of sales, returns (of its own earlier
 * sales) and redemptions, each call sent once, twice at once to one instance, or at once
 * to both instances. A call that times out or finds an instance unavailable is re-sent
 * with the same key, as the SDK does.
 */
final class LaneClient {

  private static final int ATTEMPTS = 6;

  /** Counts shared by all lanes. */
  static final class Tally {
    final AtomicLong sales = new AtomicLong();
    final AtomicLong returns = new AtomicLong();
    final AtomicLong redemptions = new AtomicLong();
    final AtomicLong once = new AtomicLong();
    final AtomicLong twiceToOne = new AtomicLong();
    final AtomicLong toBoth = new AtomicLong();
    final AtomicLong resent = new AtomicLong();
    final Map<String, AtomicLong> resentFor = new ConcurrentHashMap<>();
    final Latencies latency = new Latencies();
    final AtomicLong differentAnswers = new AtomicLong();
    final Map<String, String> unexpected = new ConcurrentHashMap<>();

    long operations() {
      return sales.get() + returns.get() + redemptions.get();
    }
  }

  /** A sale of this lane with line "1" units not yet returned. */
  private record Returnable(String posTransactionId, int[] unitsLeft) {}

  private final int lane;
  private final PointOfSale pos;
  private final List<ServerProcess> servers;
  private final String key;
  private final List<Lane.Member> members;
  private final TwoInstancesExactlyOnceTest.Ledger ledger;
  private final Tally tally;
  private final ExecutorService duplicates;
  private final Random random;
  private final List<Returnable> returnable = new ArrayList<>();

  LaneClient(int lane, List<ServerProcess> servers, String key, List<Lane.Member> members,
      TwoInstancesExactlyOnceTest.Ledger ledger, Tally tally, ExecutorService duplicates) {
    this.lane = lane;
    this.pos = Lane.terminal("lane-" + lane);
    this.servers = servers;
    this.key = key;
    this.members = members;
    this.ledger = ledger;
    this.tally = tally;
    this.duplicates = duplicates;
    this.random = new Random(lane);
  }

  void run(int operations) {
    for (int n = 0; n < operations; n++) {
      try {
        double kind = random.nextDouble();
        if (kind < 0.25 && !returnable.isEmpty()) {
          returnOne(n);
        } else if (kind < 0.5) {
          redeem(n);
        } else {
          sale("S" + lane + "-" + n, List.of());
          tally.sales.incrementAndGet();
        }
      } catch (RuntimeException e) {
        Throwable cause = e instanceof CompletionException ? e.getCause() : e;
        tally.unexpected.put("lane " + lane + " op " + n, cause instanceof StatusRuntimeException s
            ? StatusReason.label(s) + " " + s.getStatus().getDescription() : cause.toString());
      }
    }
  }

  private CommitTransactionResponse sale(String posTransactionId, List<String> reservations) {
    long unitPrice = 100 + random.nextInt(10_000);
    CommitTransactionRequest request = Lane.sale(pos, posTransactionId, member(), unitPrice,
        reservations);
    CommitTransactionResponse r = send(s -> s.commitTransaction(request),
        CommitTransactionResponse::getReceipt);
    ledger.sale(r);
    returnable.add(new Returnable(posTransactionId, new int[] {3}));
    return r;
  }

  private void returnOne(int n) {
    Returnable sale = returnable.get(random.nextInt(returnable.size()));
    ReturnItemsRequest request = Lane.returnOne(pos, "R" + lane + "-" + n, sale.posTransactionId());
    ReturnItemsResponse r = send(s -> s.returnItems(request), ReturnItemsResponse::getReceipt);
    ledger.returned(r);
    if (--sale.unitsLeft()[0] == 0) {
      returnable.remove(sale);
    }
    tally.returns.incrementAndGet();
  }

  /** Points as tender: reserve, then the sale that captures the reservation. */
  private void redeem(int n) {
    ReserveRedemptionRequest reserve =
        Lane.tender(pos, "Q" + lane + "-" + n, member(), 1 + random.nextInt(200), 550);
    ReserveRedemptionResponse reserved =
        send(s -> s.reserveRedemption(reserve), ReserveRedemptionResponse::getReservation);
    ledger.reserved(reserved);
    String posTransactionId = "P" + lane + "-" + n;
    long unitPrice = 100 + random.nextInt(10_000);
    CommitTransactionRequest request = Lane.sale(pos, posTransactionId,
        reserved.getReservation().getMemberId(), unitPrice,
        List.of(reserved.getReservation().getReservationId()));
    ledger.sale(send(s -> s.commitTransaction(request), CommitTransactionResponse::getReceipt));
    returnable.add(new Returnable(posTransactionId, new int[] {3}));
    tally.redemptions.incrementAndGet();
  }

  private String member() {
    return members.get(random.nextInt(members.size())).memberId();
  }

  /**
   * Sends one call — once, twice at once to one instance, or at once to both — and
   * returns its answer; duplicates must get the same receipt ({@code identity}).
   */
  private <T> T send(Function<CheckoutServiceBlockingStub, T> call,
      Function<T, Object> identity) {
    double mode = random.nextDouble();
    ServerProcess first = servers.get(random.nextInt(2));
    if (mode >= 1.0 / 3) {
      tally.once.incrementAndGet();
      return withRetries(first, call);
    }
    ServerProcess second = mode < 1.0 / 6 ? first : servers.get(servers.indexOf(first) ^ 1);
    (second == first ? tally.twiceToOne : tally.toBoth).incrementAndGet();
    CompletableFuture<T> copy = CompletableFuture.supplyAsync(() -> withRetries(second, call),
        duplicates);
    T answer = withRetries(first, call);
    T other = copy.join();
    if (!identity.apply(answer).equals(identity.apply(other))) {
      tally.differentAnswers.incrementAndGet();
    }
    return answer;
  }

  private <T> T withRetries(ServerProcess server,
      Function<CheckoutServiceBlockingStub, T> call) {
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      try {
        T answer = call.apply(Lane.checkout(server.channel(), key, 5_000));
        tally.latency.add(System.nanoTime() - start);
        return answer;
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        boolean retryable = code == Status.Code.UNAVAILABLE
            || code == Status.Code.DEADLINE_EXCEEDED;
        if (!retryable || attempt == ATTEMPTS) {
          throw e;
        }
        tally.resent.incrementAndGet();
        tally.resentFor.computeIfAbsent(StatusReason.label(e), k -> new AtomicLong())
            .incrementAndGet();
        ServerProcess.sleep(50L * attempt);
      }
    }
  }
}
