package com.posloyalty.server.reliability;

import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.Receipt;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Checkout lanes under way while a fault is injected: each lane owns a few members (so
 * each member has one writer and its balance is known exactly) and repeats "commit a sale,
 * then identify the member" with the lane deadline. A sale that fails is re-sent with
 * the same key until acknowledged, as the SDK does. Every served balance is compared with
 * the last acknowledged receipt and, where given, with PostgreSQL read directly
 * (DESIGN §4.4). Results are kept per phase ("before", "during", "after" …).
 */
final class LaneLoad {

  /** Counters and durations of one phase. */
  static final class Phase {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    final Latencies okLatency = new Latencies();
    final Latencies failureLatency = new Latencies();
    /** The first few failures: when (ms after the load started), what, how long. */
    final List<String> firstFailures = new CopyOnWriteArrayList<>();

    long failed() {
      return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public String toString() {
      return calls + " calls, " + ok + " ok (" + okLatency.summary() + "), " + failed()
          + " failed " + new TreeMap<>(Map.copyOf(failures))
          + (failed() > 0 ? " (" + failureLatency.summary() + ") first " + firstFailures : "");
    }
  }

  private final Supplier<ManagedChannel> channel;
  private final String key;
  private final List<List<Lane.Member>> lanes;
  private final LedgerAudit database;
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  private final Map<String, Receipt> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, CommitTransactionRequest> unacknowledged = new ConcurrentHashMap<>();
  private final Map<String, Long> lastAcknowledged = new ConcurrentHashMap<>();
  private final AtomicLong balanceChecks = new AtomicLong();
  private final AtomicLong resentReplayed = new AtomicLong();
  private final AtomicLong resentApplied = new AtomicLong();
  private final List<String> stale = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile String phase = "before";
  private volatile long started;
  private volatile boolean running;

  /**
   * @param database where to read each member's balance after each call, or null when
   *     PostgreSQL itself is the fault (served balances are then compared with receipts)
   */
  LaneLoad(Supplier<ManagedChannel> channel, String key, List<Lane.Member> members, int lanes,
      LedgerAudit database) {
    this.channel = channel;
    this.key = key;
    this.database = database;
    this.lanes = new ArrayList<>();
    for (int i = 0; i < lanes; i++) {
      this.lanes.add(new ArrayList<>());
    }
    for (int i = 0; i < members.size(); i++) {
      this.lanes.get(i % lanes).add(members.get(i));
      lastAcknowledged.put(members.get(i).memberId(), 0L);
    }
  }

  void start() {
    started = System.nanoTime();
    running = true;
    for (int i = 0; i < lanes.size(); i++) {
      int lane = i;
      Thread t = new Thread(() -> run(lane), "lane-" + lane);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /**
   * Calls started from now on count towards {@code name}. A call started before may still
   * be under way for up to its deadline ({@link Lane#DEADLINE_MS}).
   */
  void phase(String name) {
    phase = name;
  }

  /** Runs the current phase for {@code millis}. */
  void runFor(long millis) {
    ServerProcess.sleep(millis);
  }

  void stop() {
    running = false;
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What re-sending the unacknowledged sales found. */
  record Settled(int replayed, int appliedNow) {}

  /**
   * After the load stopped: re-sends every unacknowledged sale with its own key until it is
   * acknowledged, as the SDK's store-and-forward does. A sale the server had committed
   * before its answer was lost comes back as a replay; one it had not is applied now.
   */
  Settled settle() {
    int replayed = 0;
    int applied = 0;
    for (CommitTransactionRequest sale : List.copyOf(unacknowledged.values())) {
      var response = Lane.checkout(channel.get(), key, 10_000).commitTransaction(sale);
      if (response.getReplayed()) {
        replayed++;
      } else {
        applied++;
      }
      acknowledged.put(sale.getPosTransactionId(), response.getReceipt());
      unacknowledged.remove(sale.getMemberId());
      lastAcknowledged.put(sale.getMemberId(), response.getReceipt().getAvailablePoints());
    }
    return new Settled(replayed, applied);
  }

  Phase stats(String name) {
    return phases.computeIfAbsent(name, n -> new Phase());
  }

  /** POS transaction id → receipt of every sale acknowledged to a lane. */
  Map<String, Receipt> acknowledged() {
    return acknowledged;
  }

  /** Sales sent but never acknowledged (left when the load stopped). */
  Map<String, CommitTransactionRequest> unacknowledged() {
    return unacknowledged;
  }

  /** Failed sales that, re-sent, came back as replays: the server had committed them. */
  long resentReplayed() {
    return resentReplayed.get();
  }

  /** Failed sales that, re-sent, were applied then: the server had not committed them. */
  long resentApplied() {
    return resentApplied.get();
  }

  long balanceChecks() {
    return balanceChecks.get();
  }

  /** Each served balance that differed from the truth, described. */
  List<String> stale() {
    return stale;
  }

  /** Balance (available points) each member should have, from the last receipt. */
  Map<String, Long> expectedAvailable() {
    return lastAcknowledged;
  }

  private void run(int lane) {
    PointOfSale pos = Lane.terminal("lane-" + lane);
    List<Lane.Member> members = lanes.get(lane);
    long seq = 0;
    while (running) {
      Lane.Member member = members.get((int) (seq % members.size()));
      seq++;
      CommitTransactionRequest sale = unacknowledged.get(member.memberId());
      if (sale == null) {
        sale = Lane.sale(pos, "L" + lane + "-" + seq, member.memberId(), 100 + seq % 900,
            List.of());
      }
      if (commit(sale)) {
        identify(pos, member, seq % 2 == 0);
      } else {
        // The SDK backs off before re-sending; a lane does not spin.
        ServerProcess.sleep(20);
      }
    }
  }

  private boolean commit(CommitTransactionRequest sale) {
    Phase stats = stats(phase);
    long start = System.nanoTime();
    try {
      CommitTransactionResponse response = Lane.checkout(channel.get(), key, Lane.DEADLINE_MS)
          .commitTransaction(sale);
      Receipt receipt = response.getReceipt();
      succeeded(stats, start);
      if (unacknowledged.containsKey(sale.getMemberId())) {
        (response.getReplayed() ? resentReplayed : resentApplied).incrementAndGet();
      }
      acknowledged.put(sale.getPosTransactionId(), receipt);
      unacknowledged.remove(sale.getMemberId());
      lastAcknowledged.put(sale.getMemberId(), receipt.getAvailablePoints());
      return true;
    } catch (StatusRuntimeException e) {
      failed(stats, start, "commit", e);
      unacknowledged.put(sale.getMemberId(), sale);
      return false;
    }
  }

  private void identify(PointOfSale pos, Lane.Member member, boolean byCard) {
    IdentifyMemberRequest.Builder request = IdentifyMemberRequest.newBuilder().setPointOfSale(pos);
    if (byCard) {
      request.setCardNumber(member.cardNumber());
    } else {
      request.setMemberId(member.memberId());
    }
    Phase stats = stats(phase);
    long start = System.nanoTime();
    long served;
    try {
      served = Lane.checkout(channel.get(), key, Lane.DEADLINE_MS).identifyMember(request.build())
          .getMember().getAvailablePoints();
      succeeded(stats, start);
    } catch (StatusRuntimeException e) {
      failed(stats, start, byCard ? "identify by card" : "identify by id", e);
      return;
    }
    balanceChecks.incrementAndGet();
    long receipt = lastAcknowledged.get(member.memberId());
    Long stored = database == null ? null : database.available(member.memberId());
    if (served != receipt || (stored != null && served != stored)) {
      stale.add(phase + ": " + member.memberId() + (byCard ? " by card" : " by id") + " served "
          + served + ", last receipt " + receipt + ", PostgreSQL " + stored);
    }
  }

  /** A call counts towards the phase in which it started. */
  private void succeeded(Phase stats, long start) {
    stats.okLatency.add(System.nanoTime() - start);
    stats.ok.incrementAndGet();
    stats.calls.incrementAndGet();
  }

  private void failed(Phase stats, long start, String call, StatusRuntimeException e) {
    long end = System.nanoTime();
    stats.failureLatency.add(end - start);
    if (stats.firstFailures.size() < 5) {
      stats.firstFailures.add("t+" + (end - started) / 1_000_000 + " ms " + call + " "
          + StatusReason.label(e)
          + " after " + (end - start) / 1_000_000 + " ms");
    }
    stats.failures.computeIfAbsent(StatusReason.label(e), k -> new AtomicLong()).incrementAndGet();
    stats.calls.incrementAndGet();
  }
}
