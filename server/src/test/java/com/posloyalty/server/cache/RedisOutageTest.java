package com.posloyalty.server.cache;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Redis stopped mid-test: identify and commit go on from PostgreSQL; when Redis is back,
 * the balances served are the current ones (DESIGN §4.4).
 */
class RedisOutageTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static int port;
  private static RedisServer redis;
  private static TestServer server;

  @BeforeAll
  static void start() {
    port = TestServices.freePort();
    redis = TestServices.startRedis(port);
    server = TestServer.start(TestServices.newDatabase("redisoutage"),
        "redis://127.0.0.1:" + port, "redisoutage", Clock.systemUTC(),
        Map.of("LOYALTY_REDIS_TIMEOUT_MS", "100"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    redis.stop();
  }

  @Test
  void checkoutKeepsWorkingWithoutRedisAndServesCurrentBalancesAfter() throws Exception {
    EnrollMemberResponse enrolled = server.checkout().enrollMember(EnrollMemberRequest
        .newBuilder().setRequestId("r1").setPointOfSale(LANE).setGivenName("Ada")
        .setPhone("+4915100000201").build());
    String member = enrolled.getMember().getMemberId();
    commit("before", member, 1000);
    assertThat(identifyByCard(enrolled.getCardNumber())).isEqualTo(10);
    assertThat(redisKeys()).isPositive();

    redis.stop();
    commit("during-1", member, 2000);
    assertThat(identifyByCard(enrolled.getCardNumber())).isEqualTo(30);
    assertThat(identifyById(member)).isEqualTo(30);
    commit("during-2", member, 500);
    assertThat(identifyById(member)).isEqualTo(35);

    redis = TestServices.startRedis(port);
    waitForRedis();
    assertThat(identifyByCard(enrolled.getCardNumber())).isEqualTo(35);
    assertThat(identifyById(member)).isEqualTo(35);
    commit("after", member, 100);
    assertThat(identifyById(member)).isEqualTo(36);
    assertThat(identifyByCard(enrolled.getCardNumber())).isEqualTo(36);
    // The restarted Redis knows none of the server's scripts: they are run by SHA and
    // re-sent once on NOSCRIPT, so lookups are cache hits again, not PostgreSQL reads.
    double hitsBefore = cacheHits();
    assertThat(identifyByCard(enrolled.getCardNumber())).isEqualTo(36);
    assertThat(identifyById(member)).isEqualTo(36);
    assertThat(cacheHits() - hitsBefore).isEqualTo(2.0);
  }

  private static double cacheHits() {
    return server.app().component().metrics().get("loyalty.cache.requests")
        .tag("result", "hit").counter().count();
  }

  private static void commit(String posId, String member, long price) {
    server.checkout().commitTransaction(CommitTransactionRequest.newBuilder()
        .setPointOfSale(LANE).setPosTransactionId(posId).setMemberId(member)
        .setBasket(eur(line("1", "X", "", 1, price))).build());
  }

  private static long identifyByCard(String card) {
    return server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(LANE).setCardNumber(card).build()).getMember().getAvailablePoints();
  }

  private static long identifyById(String member) {
    return server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(LANE).setMemberId(member).build()).getMember().getAvailablePoints();
  }

  private static long redisKeys() {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + port);
    try (var c = client.connect()) {
      return c.sync().dbsize();
    } finally {
      client.shutdown();
    }
  }

  /** Lettuce reconnects by itself; wait (bounded) until the server's link is back. */
  private static void waitForRedis() throws InterruptedException {
    var link = server.app().component().redis();
    for (int i = 0; i < 100; i++) {
      if (link.connection().map(c -> c.isOpen()).orElse(false)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server did not reconnect to Redis within 10 s");
  }
}
