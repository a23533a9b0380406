package com.posloyalty.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.Receipt;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: the server process is killed (SIGKILL: no shutdown hook, no draining)
 * while lanes stream sales. After a restart, every sale a lane saw acknowledged is there
 * exactly once; every sale whose answer was lost is either wholly there or wholly absent
 * (never half-written); and re-sending it applies it once.
 */
@Tag("reliability")
class CrashMidCommitTest {

  @Test
  void everyAcknowledgedSaleSurvivesAKillAndNoSaleIsHalfWritten() {
    run("short", 1);
  }

  @Test
  @Tag("long")
  void everyAcknowledgedSaleSurvivesRepeatedKills() {
    run("long", 8);
  }

  private record Sent(PointOfSale pos, CommitTransactionRequest request) {}

  private static void run(String form, int kills) {
    int lanes = 8;
    String db = TestServices.newDatabase("rel_crash");
    Map<String, String> settings = ServerProcess.settings(db, TestServices.redisUrl(), "crash");
    String key = ServerProcess.createKey(settings);
    try (ServerProcess server = ServerProcess.start("crash-" + form, settings);
        LedgerAudit audit = new LedgerAudit(db)) {
      List<Lane.Member> members = Lane.enroll(server.channel(), key, "cr", 16);
      Map<String, Receipt> acknowledged = new ConcurrentHashMap<>();
      Map<String, Sent> unanswered = new ConcurrentHashMap<>();
      AtomicLong sent = new AtomicLong();
      Random random = new Random(5);
      Gate up = new Gate();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < lanes; i++) {
        int lane = i;
        Thread t = new Thread(() -> stream(lane, server, key, members, up, sent, acknowledged,
            unanswered), "lane-" + lane);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
      for (int k = 0; k < kills; k++) {
        ServerProcess.sleep(1_500 + random.nextInt(1_500));
        up.close();
        server.kill();
        ServerProcess.sleep(300);
        server.restart();
        up.open();
      }
      ServerProcess.sleep(1_000);
      up.stop();
      threads.forEach(CrashMidCommitTest::join);

      int lost = 0;
      for (Map.Entry<String, Receipt> e : acknowledged.entrySet()) {
        String terminal = e.getKey().substring(0, e.getKey().indexOf('/'));
        String posId = e.getKey().substring(terminal.length() + 1);
        boolean once = e.getValue().getTransactionId()
            .equals(audit.transactionId(Lane.STORE, terminal, posId))
            && audit.saleState(Lane.STORE, terminal, posId, Lane.SALE_LINES) == 1;
        lost += once ? 0 : 1;
      }
      int present = 0;
      int absent = 0;
      int halfWritten = 0;
      int retryWrong = 0;
      for (Sent s : unanswered.values()) {
        int state = audit.saleState(Lane.STORE, s.pos().getTerminalId(),
            s.request().getPosTransactionId(), Lane.SALE_LINES);
        present += state == 1 ? 1 : 0;
        absent += state == 0 ? 1 : 0;
        halfWritten += state == -1 ? 1 : 0;
        CommitTransactionResponse retry = Lane.checkout(server.channel(), key, 10_000)
            .commitTransaction(s.request());
        boolean appliedOnce = retry.getReplayed() == (state == 1)
            && audit.saleState(Lane.STORE, s.pos().getTerminalId(),
                s.request().getPosTransactionId(), Lane.SALE_LINES) == 1;
        retryWrong += appliedOnce ? 0 : 1;
        acknowledged.put(s.pos().getTerminalId() + "/" + s.request().getPosTransactionId(),
            retry.getReceipt());
      }
      Map<String, Long> earned = new HashMap<>();
      acknowledged.values().forEach(r ->
          earned.merge(r.getMemberId(), r.getEarning().getTotalPoints(), Long::sum));
      Map<String, Long> balances = audit.balances();
      long wrongBalances = earned.entrySet().stream()
          .filter(e -> !e.getValue().equals(balances.get(e.getKey()))).count();
      LedgerAudit.Findings findings = audit.audit();

      new Figures("5-crash-mid-commit", form)
          .put("lanes", lanes)
          .put("server kills (SIGKILL) and restarts", kills)
          .put("sales sent", sent.get())
          .put("sales acknowledged before the retries", acknowledged.size() - unanswered.size())
          .put("sales in flight at a kill (no answer)", unanswered.size())
          .put("of those: wholly present after restart", present)
          .put("of those: wholly absent after restart", absent)
          .put("of those: half-written", halfWritten)
          .put("retries not applied exactly once", retryWrong)
          .put("acknowledged sales lost or duplicated", lost)
          .put("members whose balance differs from their receipts", wrongBalances)
          .put("sales in PostgreSQL", findings.transactions())
          .put("ledger audit", findings)
          .write();

      assertThat(unanswered).as("sales in flight when the process was killed").isNotEmpty();
      assertThat(lost).isZero();
      assertThat(halfWritten).isZero();
      assertThat(retryWrong).isZero();
      assertThat(wrongBalances).isZero();
      assertThat(findings.transactions()).isEqualTo(acknowledged.size());
      assertThat(findings.clean()).as(findings.toString()).isTrue();
    }
  }

  /** One lane: a new sale after each answer; a sale that got no answer is left as it is. */
  private static void stream(int lane, ServerProcess server, String key,
      List<Lane.Member> members, Gate up, AtomicLong sent, Map<String, Receipt> acknowledged,
      Map<String, Sent> unanswered) {
    PointOfSale pos = Lane.terminal("lane-" + lane);
    Random random = new Random(lane);
    for (long seq = 0; up.awaitOpen(); seq++) {
      String member = members.get(random.nextInt(members.size())).memberId();
      CommitTransactionRequest sale = Lane.sale(pos, "K" + lane + "-" + seq, member,
          100 + random.nextInt(5000), List.of());
      sent.incrementAndGet();
      try {
        acknowledged.put(pos.getTerminalId() + "/" + sale.getPosTransactionId(),
            Lane.checkout(server.channel(), key, 2_000).commitTransaction(sale).getReceipt());
      } catch (StatusRuntimeException e) {
        unanswered.put(pos.getTerminalId() + "/" + sale.getPosTransactionId(),
            new Sent(pos, sale));
      }
    }
  }

  private static void join(Thread t) {
    try {
      t.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets lanes send while the server is up; holds them while it is being restarted. */
  private static final class Gate {
    private boolean open = true;
    private boolean stopped;

    synchronized void open() {
      open = true;
      notifyAll();
    }

    synchronized void close() {
      open = false;
    }

    synchronized void stop() {
      stopped = true;
      notifyAll();
    }

    /** Waits while closed; false once stopped. */
    synchronized boolean awaitOpen() {
      while (!open && !stopped) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return !stopped;
    }
  }
}
