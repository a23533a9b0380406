package com.posloyalty.client;

import static com.posloyalty.client.LaneFixtures.assertLedgerMatchesBalances;
import static com.posloyalty.client.LaneFixtures.awaitTrue;
import static com.posloyalty.client.LaneFixtures.earnedSales;
import static com.posloyalty.client.LaneFixtures.ledgerSum;
import static com.posloyalty.client.LaneProcess.saleId;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.client.FaultyProxy.Fault;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store-and-forward through a real outage: the real server is stopped while a lane commits 200
 * sales and started again afterwards on the same port, database and Redis keys. Sale {@code n}
 * earns {@code n} points, so the 200 sales earn 20,100.
 */
class OutageEndToEndTest {
  private static final int SALES = 200;
  private static final long ALL_POINTS = SALES * (SALES + 1) / 2;
  private static final Duration CHECKOUT_DEADLINE = LaneProcess.CHECKOUT_DEADLINE;

  private String database;
  private String redisKeyPrefix;
  private int port;

  @TempDir
  Path journal;
  @TempDir
  Path logs;

  private TestServer server;
  private FaultyProxy proxy;

  /** Each test has a server of its own, which it stops and restarts in the same place. */
  @BeforeEach
  void reserveTheServersPlace() {
    database = TestServices.newDatabase("sdk_outage");
    redisKeyPrefix = TestServices.newKeyPrefix("sdk_outage");
    port = TestServices.freePort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (proxy != null) {
      proxy.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void salesCommittedDuringAnOutageArePendingAtOnceAndAppliedOnceInOrderWhenItEnds()
      throws Exception {
    startServer();
    String key = LaneFixtures.laneKey(server);
    String member = enrol(key, "+4915100009001");
    try (LoyaltyClient lane = LaneFixtures.lane(LaneFixtures.target(server), key)
        .checkoutDeadline(CHECKOUT_DEADLINE).journalDirectory(journal)
        .forwardBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build()) {
      stopServer();

      long slowest = 0;
      long began = System.nanoTime();
      for (int n = 1; n <= SALES; n++) {
        long start = System.nanoTime();
        CommitResult result = lane.checkout().commitTransaction(
            LaneFixtures.sale(saleId(n), member, n));
        slowest = Math.max(slowest, System.nanoTime() - start);
        assertThat(result.isPending()).as("sale %d", n).isTrue();
        assertThat(result.journalSequence()).hasValue(n);
      }
      long committing = System.nanoTime() - began;
      Instant outageEnd = Instant.now();
      assertThat(Duration.ofNanos(slowest)).isLessThan(CHECKOUT_DEADLINE);
      assertThat(lane.pendingForwardCount()).isEqualTo(SALES);

      Instant restart = Instant.now();
      long restarting = System.nanoTime();
      startServer();
      long up = System.nanoTime();
      awaitTrue(() -> lane.pendingForwardCount() == 0, Duration.ofSeconds(60));
      long replayed = System.nanoTime();
      System.out.printf("outage: %d pending commits in %d ms (slowest %d ms); server restart"
          + " %d ms; replay of %d sales %d ms after the restart%n", SALES, millis(committing),
          millis(slowest), millis(up - restarting), SALES, millis(replayed - up));

      assertEverySaleAppliedOnceInOrder(lane, member);
      // Each forwarded sale keeps the time it was made at the lane, not the time of its replay.
      assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE member_id = '" + member
          + "' AND occurred_at < " + timestamp(outageEnd) + " AND committed_at >= "
          + timestamp(restart))).isEqualTo(SALES);
    }
  }

  @Test
  void aLaneKilledDuringTheOutageAndAgainDuringTheReplayStillAppliesEverySaleOnceInOrder()
      throws Exception {
    startServer();
    String key = LaneFixtures.laneKey(server);
    String member = enrol(key, "+4915100009002");
    // The lanes talk through the proxy, so the test can stop the replay at a chosen sale.
    proxy = FaultyProxy.start(port);
    stopServer();

    try (LaneProcess first = LaneProcess.start(proxy.target(), key, journal, member, 1, 100,
        logs)) {
      assertThat(first.await("reopened")).containsExactly(0);
      assertAllPendingInTime(first.await("committed"), 100, 100);
    }
    try (LaneProcess second = LaneProcess.start(proxy.target(), key, journal, member, 101, 200,
        logs)) {
      assertThat(second.await("reopened")).containsExactly(100);
      assertAllPendingInTime(second.await("committed"), SALES, 100);

      proxy.onFirstAttempt(method -> Fault.REFUSE);
      proxy.onRetry(method -> Fault.REFUSE);
      startServer();
      proxy.awaitConnected(Duration.ofSeconds(30));
      // 50 sales go through; the 51st is applied, but its answer never reaches the lane.
      AtomicInteger commits = new AtomicInteger();
      Function<String, Fault> halfway = method -> {
        int n = method.equals("CommitTransaction") ? commits.incrementAndGet() : Integer.MAX_VALUE;
        return n <= 50 ? Fault.NONE : n == 51 ? Fault.HOLD : Fault.REFUSE;
      };
      proxy.onFirstAttempt(halfway);
      proxy.onRetry(halfway);
      awaitTrue(() -> applied(member) == 51, Duration.ofSeconds(60));
    }
    assertThat(applied(member)).isEqualTo(51);

    try (ForwardJournal left = ForwardJournal.open(journal, 10_000, 64L * 1024 * 1024,
        Clock.systemUTC())) {
      assertThat(left.pendingCount()).as("sales 51..200 unacknowledged").isEqualTo(150);
      assertThat(left.oldest().orElseThrow().sequence()).isEqualTo(51);
    }
    try (LoyaltyClient third = LaneFixtures.lane(LaneFixtures.target(server), key)
        .journalDirectory(journal).forwardBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .build()) {
      long start = System.nanoTime();
      awaitTrue(() -> third.pendingForwardCount() == 0, Duration.ofSeconds(60));
      System.out.printf("restarted lane: replay of the remaining 150 sales %d ms%n",
          millis(System.nanoTime() - start));
      assertEverySaleAppliedOnceInOrder(third, member);
    }
  }

  /** Checks a lane process's {@code committed} line: journal size, pending results, slowest. */
  private static void assertAllPendingInTime(long[] committed, int journaled, int pending) {
    assertThat(committed[0]).as("requests in the journal").isEqualTo(journaled);
    assertThat(committed[1]).as("pending results").isEqualTo(pending);
    assertThat(committed[2]).as("slowest commit, ms").isLessThan(CHECKOUT_DEADLINE.toMillis());
    System.out.printf("lane process: %d pending commits in %d ms (slowest %d ms)%n", pending,
        committed[3], committed[2]);
  }

  private void assertEverySaleAppliedOnceInOrder(LoyaltyClient lane, String member) {
    List<String> inOrder = IntStream.rangeClosed(1, SALES).mapToObj(LaneProcess::saleId).toList();
    assertThat(earnedSales(server, member)).containsExactlyElementsOf(inOrder);
    assertThat(applied(member)).isEqualTo(SALES);
    MemberSummary balance = server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(TestServer.lane(LaneFixtures.STORE, LaneFixtures.TERMINAL))
        .setMemberId(member).build()).getMember();
    assertThat(balance.getAvailablePoints()).isEqualTo(ALL_POINTS);
    assertThat(balance.getHeldPoints()).isZero();
    assertThat(ledgerSum(server, member)).isEqualTo(ALL_POINTS);
    assertLedgerMatchesBalances(server);
    assertThat(lane.deadLetters()).isEmpty();
  }

  private long applied(String member) {
    return server.queryLong("SELECT count(*) FROM transactions WHERE member_id = '" + member
        + "'");
  }

  private void startServer() {
    Map<String, String> settings = new HashMap<>(LaneFixtures.SERVER_SETTINGS);
    settings.put("LOYALTY_GRPC_PORT", Integer.toString(port));
    settings.put("LOYALTY_REDIS_KEY_PREFIX", redisKeyPrefix);
    server = TestServer.start(database, TestServices.redisUrl(), "sdk_outage", Clock.systemUTC(),
        settings);
  }

  private void stopServer() {
    server.close();
    server = null;
  }

  private String enrol(String key, String phone) {
    try (LoyaltyClient lane = LaneFixtures.lane(LaneFixtures.target(server), key).build()) {
      return lane.checkout().enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Ada")
          .setPhone(phone).build()).getMember().getMemberId();
    }
  }

  /** {@code instant} as an SQL timestamp, to the microsecond PostgreSQL keeps. */
  private static String timestamp(Instant instant) {
    return "(timestamptz 'epoch' + interval '1 microsecond' * "
        + (instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000) + ")";
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
