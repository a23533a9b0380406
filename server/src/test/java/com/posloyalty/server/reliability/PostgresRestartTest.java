package com.posloyalty.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.Receipt;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: PostgreSQL restarted (fast shutdown: every session ended) while lanes
 * commit and identify. Calls fail fast with UNAVAILABLE / DATABASE_UNAVAILABLE, well
 * inside the lane deadline; health reports NOT_SERVING; the same server process recovers
 * by itself; no acknowledged sale is lost; nothing is half-written; and re-sending each
 * sale that failed applies it exactly once. Runs on a PostgreSQL (and a Redis) of its own.
 */
@Tag("reliability")
class PostgresRestartTest {

  /** "Fast": the typical failed call answers within this, a fraction of the deadline. */
  static final long FAIL_FAST_MEDIAN_MS = 100;

  @Test
  void callsFailFastAndTheServerRecoversAcrossAPostgresRestart() {
    run("short", 1, 3_000);
  }

  @Test
  @Tag("long")
  void callsFailFastAndTheServerRecoversAcrossRepeatedPostgresRestarts() {
    run("long", 3, 15_000);
  }

  private static void run(String form, int outages, long outageMillis) {
    int lanes = 8;
    try (PrivatePostgres postgres = PrivatePostgres.start(TestServices.freePort());
        PrivateRedis redis = PrivateRedis.start(TestServices.freePort())) {
      Map<String, String> settings =
          ServerProcess.settings(postgres.jdbcUrl(), redis.url(), "pgrestart");
      String key = ServerProcess.createKey(settings);
      try (ServerProcess server = ServerProcess.start("postgres-restart-" + form, settings);
          LedgerAudit audit = new LedgerAudit(postgres.jdbcUrl())) {
        List<Lane.Member> members = Lane.enroll(server.channel(), key, "pr", lanes * 2);
        // PostgreSQL is the fault: served balances are compared with the receipts.
        LaneLoad load = new LaneLoad(server::channel, key, members, lanes, null);
        load.start();
        load.runFor(2_000);
        Latencies toNotServing = new Latencies();
        Latencies toServing = new Latencies();
        for (int i = 0; i < outages; i++) {
          // Calls started in "stopping" may be in flight when PostgreSQL ends their session,
          // or start before the server has seen it go; once health says NOT_SERVING, every
          // call starts against a server that knows PostgreSQL is down.
          load.phase("stopping");
          load.runFor(Lane.DEADLINE_MS);
          long stopped = System.nanoTime();
          postgres.stop();
          server.awaitHealth(ServingStatus.NOT_SERVING, Duration.ofSeconds(30));
          toNotServing.add(System.nanoTime() - stopped);
          load.phase("postgres down");
          long downMillis = (System.nanoTime() - stopped) / 1_000_000;
          ServerProcess.sleep(Math.max(0, outageMillis - downMillis));
          load.phase("postgres back");
          postgres.restart();
          toServing.add(
              server.awaitHealth(ServingStatus.SERVING, Duration.ofSeconds(60)).toNanos());
          load.phase("recovered");
          load.runFor(2_000);
        }
        load.stop();
        int pendingAtEnd = load.unacknowledged().size();
        LaneLoad.Settled settled = load.settle();

        int lost = 0;
        int halfWritten = 0;
        for (Map.Entry<String, Receipt> e : load.acknowledged().entrySet()) {
          String terminal = "lane-" + e.getKey().substring(1, e.getKey().indexOf('-'));
          if (!e.getValue().getTransactionId().equals(
              audit.transactionId(Lane.STORE, terminal, e.getKey()))) {
            lost++;
          }
          if (audit.saleState(Lane.STORE, terminal, e.getKey(), Lane.SALE_LINES) != 1) {
            halfWritten++;
          }
        }
        long wrongBalances = load.expectedAvailable().entrySet().stream()
            .filter(e -> audit.available(e.getKey()) != e.getValue()).count();
        LedgerAudit.Findings findings = audit.audit();
        LaneLoad.Phase stopping = load.stats("stopping");
        LaneLoad.Phase down = load.stats("postgres down");
        new Figures("4-postgres-restart", form)
            .put("lanes", lanes)
            .put("members", members.size())
            .put("postgres restarts (fast shutdown)", outages)
            .put("outage length ms", outageMillis)
            .put("before: calls", load.stats("before"))
            .put("stopping (until health NOT_SERVING): calls", stopping)
            .put("postgres down: calls", down)
            .put("postgres back (until health SERVING): calls", load.stats("postgres back"))
            .put("recovered: calls", load.stats("recovered"))
            .put("stop to health NOT_SERVING", toNotServing.summary())
            .put("restart to health SERVING (same process)", toServing.summary())
            .put("failed sales re-sent: replayed (had committed)", load.resentReplayed())
            .put("failed sales re-sent: applied (had not)", load.resentApplied())
            .put("sales unacknowledged when the load stopped", pendingAtEnd)
            .put("re-sent: replayed (had committed)", settled.replayed())
            .put("re-sent: applied now (had not)", settled.appliedNow())
            .put("sales acknowledged", load.acknowledged().size())
            .put("sales in PostgreSQL", findings.transactions())
            .put("acknowledged sales lost", lost)
            .put("half-written sales", halfWritten)
            .put("members whose balance differs from their last receipt", wrongBalances)
            .put("balances served and compared with receipts", load.balanceChecks())
            .put("stale balances served", load.stale().size())
            .put("ledger audit", findings)
            .write();

        assertThat(load.stats("before").failed()).isZero();
        // In flight when PostgreSQL went: answered UNAVAILABLE as soon as PostgreSQL ends
        // the session; on a starved CPU that can come after the lane's deadline, at most
        // once per lane and outage. A sale whose session ended during its COMMIT may have
        // been committed: COMMIT_OUTCOME_UNKNOWN, at most once per lane and outage too (the
        // re-sent sales and the audit below show each applied exactly once either way).
        assertThat(stopping.failures.keySet()).as("how calls failed while PostgreSQL stopped")
            .isSubsetOf("UNAVAILABLE/DATABASE_UNAVAILABLE", "UNAVAILABLE/COMMIT_OUTCOME_UNKNOWN",
                "DEADLINE_EXCEEDED/-");
        assertThat(stopping.failures.getOrDefault("DEADLINE_EXCEEDED/-", new AtomicLong()).get())
            .isLessThanOrEqualTo((long) lanes * outages);
        assertThat(stopping.failures
            .getOrDefault("UNAVAILABLE/COMMIT_OUTCOME_UNKNOWN", new AtomicLong()).get())
            .isLessThanOrEqualTo((long) lanes * outages);
        assertThat(down.failures.keySet()).as("how calls failed while PostgreSQL was down")
            .containsOnly("UNAVAILABLE/DATABASE_UNAVAILABLE");
        assertThat(down.failed()).isPositive();
        assertThat(down.failureLatency.percentileMillis(50)).as("median failure")
            .isLessThan(FAIL_FAST_MEDIAN_MS);
        assertThat(down.failureLatency.maxMillis()).as("slowest failure")
            .isLessThan(Lane.DEADLINE_MS);
        assertThat(load.stats("postgres back").failures.keySet())
            .isSubsetOf("UNAVAILABLE/DATABASE_UNAVAILABLE");
        assertThat(load.stats("recovered").failed()).isZero();
        assertThat(lost).isZero();
        assertThat(halfWritten).isZero();
        assertThat(wrongBalances).isZero();
        assertThat(load.stale()).as("stale balances").isEmpty();
        assertThat(findings.transactions()).isEqualTo(load.acknowledged().size());
        assertThat(findings.clean()).as(findings.toString()).isTrue();
      }
    }
  }
}
