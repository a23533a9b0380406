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
 * Scenario 3: the network to Redis stalls — a proxy stops forwarding and keeps the
 * connection open, so nothing is refused and nothing closes. Every lane call must still
 * finish, successfully, within its deadline (the Redis command timeout bounds each wait),
 * health must show Redis NOT_SERVING, and no stale balance may be served during or after.
 */
@Tag("reliability")
class RedisStallTest {

  @Test
  void callsFinishWithinTheirDeadlineWhileRedisStalls() {
    run("short", 1, 3_000);
  }

  @Test
  @Tag("long")
  void callsFinishWithinTheirDeadlineThroughLongRedisStalls() {
    run("long", 2, 30_000);
  }

  private static void run(String form, int stalls, long stallMillis) {
    int lanes = 6;
    // Redis and PostgreSQL of its own: lane latencies are what is measured.
    try (PrivateRedis redis = PrivateRedis.start(TestServices.freePort());
        PrivatePostgres postgres = PrivatePostgres.start(TestServices.freePort());
        StallProxy proxy = new StallProxy(redis.port())) {
      String db = postgres.jdbcUrl();
      Map<String, String> settings =
          ServerProcess.settings(db, "redis://127.0.0.1:" + proxy.port(), "redisstall");
      String key = ServerProcess.createKey(settings);
      try (ServerProcess server = ServerProcess.start("redis-stall-" + form, settings);
          LedgerAudit audit = new LedgerAudit(db)) {
        List<Lane.Member> members = Lane.enroll(server.channel(), key, "rs", lanes * 2);
        LaneLoad load = new LaneLoad(server::channel, key, members, lanes, audit);
        load.start();
        load.runFor(2_000);
        int redisNotServing = 0;
        for (int i = 0; i < stalls; i++) {
          load.phase("stalled");
          proxy.freeze();
          redisNotServing += server.healthShows(HealthReporter.REDIS, ServingStatus.NOT_SERVING,
              stallMillis) ? 1 : 0;
          load.phase("after");
          proxy.thaw();
          load.runFor(2_000);
        }
        load.stop();
        ServingStatus redisAfter = server.health(HealthReporter.REDIS);

        LedgerAudit.Findings findings = audit.audit();
        new Figures("3-redis-stall", form)
            .put("lanes", lanes)
            .put("members", members.size())
            .put("stalls injected", stalls)
            .put("stall length ms", stallMillis)
            .put("before: calls", load.stats("before"))
            .put("stalled: calls", load.stats("stalled"))
            .put("after: calls", load.stats("after"))
            .put("stalls during which health showed Redis NOT_SERVING", redisNotServing)
            .put("Redis health after the last stall", redisAfter)
            .put("balances served and compared with PostgreSQL", load.balanceChecks())
            .put("stale balances served", load.stale().size())
            .put("sales acknowledged", load.acknowledged().size())
            .put("sales in PostgreSQL", findings.transactions())
            .put("ledger audit", findings)
            .write();

        assertThat(load.stats("stalled").ok.get()).isPositive();
        for (String phase : List.of("before", "stalled", "after")) {
          assertThat(load.stats(phase).failed()).as("failed calls " + phase).isZero();
          assertThat(load.stats(phase).okLatency.maxMillis()).as("slowest call " + phase)
              .isLessThan(Lane.DEADLINE_MS);
        }
        assertThat(redisNotServing).isEqualTo(stalls);
        assertThat(redisAfter).isEqualTo(ServingStatus.SERVING);
        assertThat(load.stale()).as("stale balances").isEmpty();
        assertThat(findings.transactions()).isEqualTo(load.acknowledged().size());
        assertThat(findings.clean()).as(findings.toString()).isTrue();
      }
    }
  }
}
