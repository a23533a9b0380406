package com.posloyalty.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.ReturnItemsResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: two server processes on one database and one Redis. Many lanes send sales,
 * returns and redemptions (reserve, then a sale that captures it); a random third of the
 * calls are sent twice at once, to one instance or to both. Every effect must be applied
 * exactly once: each member's balance is exactly what the receipts say, equals its ledger,
 * and every duplicate got the same receipt as its original (DESIGN §4.1, §4.2).
 */
@Tag("reliability")
class TwoInstancesExactlyOnceTest {

  static final int LANES = 16;
  static final int MEMBERS = 40;

  @Test
  void everyEffectIsAppliedExactlyOnceAcrossTwoInstances() throws Exception {
    run("short", 1_000);
  }

  @Test
  @Tag("long")
  void tenThousandOperationsAreAppliedExactlyOnceAcrossTwoInstances() throws Exception {
    run("long", 10_000);
  }

  private static void run(String form, int operations) throws Exception {
    String db = TestServices.newDatabase("rel_two_instances");
    // One deployment: both instances share the database, Redis and its key prefix.
    Map<String, String> settings = ServerProcess.settings(db, TestServices.redisUrl(), "two");
    String key = ServerProcess.createKey(settings);
    ExecutorService starter = Executors.newFixedThreadPool(2);
    Future<ServerProcess> a = starter.submit(() -> ServerProcess.start("two-a-" + form, settings));
    Future<ServerProcess> b = starter.submit(() -> ServerProcess.start("two-b-" + form, settings));
    starter.shutdown();
    List<ServerProcess> servers = List.of(a.get(), b.get());
    try (LedgerAudit audit = new LedgerAudit(db)) {
      List<Lane.Member> members = Lane.enroll(servers.get(0).channel(), key, "ti", MEMBERS);
      Ledger ledger = new Ledger();
      PointOfSale seedLane = Lane.terminal("seed");
      // Enough points on every member that no redemption is refused for want of them.
      for (int i = 0; i < MEMBERS; i++) {
        ledger.sale(Lane.checkout(servers.get(i % 2).channel(), key, 30_000).commitTransaction(
            Lane.sale(seedLane, "seed-" + i, members.get(i).memberId(), 3_000_000, List.of())));
      }

      ExecutorService duplicates = Executors.newCachedThreadPool();
      LaneClient.Tally tally = new LaneClient.Tally();
      List<Thread> lanes = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < LANES; i++) {
        LaneClient lane = new LaneClient(i, servers, key, members, ledger, tally, duplicates);
        int count = operations / LANES + (i < operations % LANES ? 1 : 0);
        Thread t = new Thread(() -> lane.run(count), "lane-" + i);
        t.start();
        lanes.add(t);
      }
      for (Thread t : lanes) {
        t.join();
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      duplicates.shutdown();

      Map<String, Long> balances = audit.balances();
      long wrongBalances = ledger.expected().entrySet().stream()
          .filter(e -> !e.getValue().equals(balances.get(e.getKey()))).count();
      long transactions = audit.count("SELECT count(*) FROM transactions");
      long returns = audit.count("SELECT count(*) FROM returns");
      long captured = audit.count("SELECT count(*) FROM reservations WHERE state = 'CAPTURED'");
      long reservations = audit.count("SELECT count(*) FROM reservations");
      long distinctReceipts = ledger.distinctTransactionIds();
      LedgerAudit.Findings findings = audit.audit();
      new Figures("1-two-instances", form)
          .put("server instances", servers.size())
          .put("lanes (concurrent clients)", LANES)
          .put("members", MEMBERS)
          .put("operations", tally.operations())
          .put("  sales", tally.sales.get())
          .put("  returns", tally.returns.get())
          .put("  redemptions (reserve + capturing sale)", tally.redemptions.get())
          .put("calls sent twice at once to one instance", tally.twiceToOne.get())
          .put("calls sent at once to both instances", tally.toBoth.get())
          .put("calls sent once", tally.once.get())
          .put("calls re-sent after UNAVAILABLE or a deadline", tally.resent.get() + " "
              + new TreeMap<>(tally.resentFor))
          .put("answered calls", tally.latency.count() + " (" + tally.latency.summary() + ")")
          .put("unexpected errors", tally.unexpected)
          .put("duplicates answered with a different receipt", tally.differentAnswers.get())
          .put("wall time ms", millis)
          .put("sales in PostgreSQL (incl. " + MEMBERS + " seed sales)", transactions)
          .put("returns in PostgreSQL", returns)
          .put("reservations in PostgreSQL / captured", reservations + " / " + captured)
          .put("distinct receipts acknowledged", distinctReceipts)
          .put("members whose balance differs from their receipts", wrongBalances)
          .put("ledger audit", findings)
          .write();

      assertThat(tally.unexpected).as("unexpected errors").isEmpty();
      assertThat(tally.differentAnswers.get()).isZero();
      assertThat(tally.twiceToOne.get()).isPositive();
      assertThat(tally.toBoth.get()).isPositive();
      assertThat(transactions).isEqualTo(MEMBERS + tally.sales.get() + tally.redemptions.get());
      assertThat(distinctReceipts).isEqualTo(transactions);
      assertThat(returns).isEqualTo(tally.returns.get());
      assertThat(reservations).isEqualTo(tally.redemptions.get());
      assertThat(captured).isEqualTo(reservations);
      assertThat(audit.count("SELECT count(*) FROM ledger_entries WHERE entry_type = 'EARN'"))
          .isEqualTo(transactions);
      assertThat(audit.count("SELECT count(*) FROM ledger_entries WHERE entry_type = 'REDEEM'"))
          .isEqualTo(reservations);
      assertThat(audit.count("SELECT count(*) FROM outbox_events"
          + " WHERE event_type = 'TRANSACTION_RETURNED'")).isEqualTo(returns);
      assertThat(wrongBalances).isZero();
      assertThat(findings.clean()).as(findings.toString()).isTrue();
    } finally {
      ServerProcess.stopAll(servers);
    }
  }

  /** What the lanes were told: receipts, from which each member's balance follows. */
  static final class Ledger {
    private final Map<String, Long> balances = new ConcurrentHashMap<>();
    private final Map<String, String> transactionIds = new ConcurrentHashMap<>();

    void sale(CommitTransactionResponse r) {
      transactionIds.put(r.getReceipt().getTransactionId(), r.getReceipt().getPosTransactionId());
      balances.merge(r.getReceipt().getMemberId(),
          r.getReceipt().getEarning().getTotalPoints() - r.getReceipt().getPointsRedeemed(),
          Long::sum);
    }

    void returned(ReturnItemsResponse r) {
      balances.merge(r.getReceipt().getMemberId(),
          r.getReceipt().getPointsRefunded() - r.getReceipt().getPointsReversed(), Long::sum);
    }

    /** A reservation moves points from available to held: the total does not change. */
    void reserved(ReserveRedemptionResponse r) {
      balances.merge(r.getReservation().getMemberId(), 0L, Long::sum);
    }

    Map<String, Long> expected() {
      return new HashMap<>(balances);
    }

    long distinctTransactionIds() {
      return transactionIds.size();
    }
  }
}
