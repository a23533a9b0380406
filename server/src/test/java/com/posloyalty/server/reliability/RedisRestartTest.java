package com.posloyalty.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.api.HealthReporter;
import com.posloyalty.server.testing.TestServices;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2: Redis killed (SIGKILL) and restarted, empty, while lanes commit and
 * identify. No lane call may fail while it is down — reads and writes go to PostgreSQL
 * within the lane deadline — and once it is back no balance served is ever older than
 * PostgreSQL's (DESIGN §4.4, §5).
 */
@Tag("reliability")
class RedisRestartTest {

  @Test
  void lanesNeverFailAndNeverSeeStaleBalancesAcrossARedisRestart() {
    run("short", 1, 3_000);
  }

  @Test
  @Tag("long")
  void lanesNeverFailAndNeverSeeStaleBalancesAcrossRepeatedRedisRestarts() {
    run("long", 3, 20_000);
  }

  private static void run(String form, int outages, long outageMillis) {
    int lanes = 6;
    // A PostgreSQL of its own too: what is measured is the lane's latency without Redis,
    // which another workload on a shared PostgreSQL would distort.
    try (PrivateRedis redis = PrivateRedis.start(TestServices.freePort());
        PrivatePostgres postgres = PrivatePostgres.start(TestServices.freePort())) {
      String db = postgres.jdbcUrl();
      Map<String, String> settings = ServerProcess.settings(db, redis.url(), "redisrestart");
      String key = ServerProcess.createKey(settings);
      try (ServerProcess server = ServerProcess.start("redis-restart-" + form, settings);
          LedgerAudit audit = new LedgerAudit(db)) {
        List<Lane.Member> members = Lane.enroll(server.channel(), key, "rr", lanes * 2);
        LaneLoad load = new LaneLoad(server::channel, key, members, lanes, audit);
        load.start();
        load.runFor(2_000);
        Latencies reconnect = new Latencies();
        int redisNotServing = 0;
        for (int i = 0; i < outages; i++) {
          load.phase("redis down");
          redis.kill();
          // The server must have noticed, or "no failed calls" would prove nothing.
          redisNotServing += server.healthShows(HealthReporter.REDIS, ServingStatus.NOT_SERVING,
              outageMillis) ? 1 : 0;
          load.phase("redis back");
          long restarted = System.nanoTime();
          redis.restart();
          awaitRedisHealth(server);
          reconnect.add(System.nanoTime() - restarted);
          load.runFor(2_000);
        }
        load.stop();

        LedgerAudit.Findings findings = audit.audit();
        new Figures("2-redis-restart", form)
            .put("lanes", lanes)
            .put("members", members.size())
            .put("redis kills (SIGKILL)", outages)
            .put("outage length ms", outageMillis)
            .put("before: calls", load.stats("before"))
            .put("redis down: calls", load.stats("redis down"))
            .put("redis back: calls", load.stats("redis back"))
            .put("outages during which health showed Redis NOT_SERVING", redisNotServing)
            .put("redis restart to health SERVING", reconnect.summary())
            .put("balances served and compared with PostgreSQL", load.balanceChecks())
            .put("stale balances served", load.stale().size())
            .put("sales acknowledged", load.acknowledged().size())
            .put("sales in PostgreSQL", findings.transactions())
            .put("ledger audit", findings)
            .write();

        assertThat(redisNotServing).as("outages the server noticed").isEqualTo(outages);
        assertThat(load.stats("redis down").ok.get()).isPositive();
        assertThat(load.stats("before").failed()).isZero();
        assertThat(load.stats("redis down").failed()).as("failed calls while Redis was down")
            .isZero();
        assertThat(load.stats("redis back").failed()).isZero();
        assertThat(load.stale()).as("stale balances").isEmpty();
        assertThat(load.unacknowledged()).isEmpty();
        assertThat(findings.transactions()).isEqualTo(load.acknowledged().size());
        assertThat(findings.clean()).as(findings.toString()).isTrue();
      }
    }
  }

  private static void awaitRedisHealth(ServerProcess server) {
    long end = System.nanoTime() + 60_000_000_000L;
    while (server.health(HealthReporter.REDIS) != ServingStatus.SERVING) {
      assertThat(System.nanoTime()).as("server reconnected to Redis within 60 s").isLessThan(end);
      ServerProcess.sleep(20);
    }
  }
}
