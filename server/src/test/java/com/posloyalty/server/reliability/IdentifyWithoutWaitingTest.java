package com.posloyalty.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.flow.IdentifyMemberFlow;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.PointOfSale;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * IdentifyMember holds no thread while Redis answers: with Redis stalled, the flow hands back
 * an unfinished answer at once; when Redis answers, a cache hit completes without ever using
 * a worker; when Redis stays silent past the command timeout, the lookup is a miss that
 * continues on a worker and answers from PostgreSQL.
 */
@Tag("reliability")
class IdentifyWithoutWaitingTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");

  @Test
  void aCacheHitWaitsForRedisWithoutAWorkerAndAStalledRedisFallsBackToPostgres()
      throws Exception {
    int redisPort = URI.create(TestServices.redisUrl()).getPort();
    try (StallProxy proxy = new StallProxy(redisPort);
        TestServer server = TestServer.start(TestServices.newDatabase("identifyasync"),
            "redis://127.0.0.1:" + proxy.port(), "identifyasync", Clock.systemUTC(),
            Map.of("LOYALTY_REDIS_TIMEOUT_MS", "1500"))) {
      EnrollMemberResponse enrolled = server.checkout().enrollMember(EnrollMemberRequest
          .newBuilder().setRequestId("e1").setPointOfSale(LANE).setGivenName("Ada")
          .setPhone("+4915100000301").build());
      String memberId = enrolled.getMember().getMemberId();
      IdentifyMemberRequest byCard = IdentifyMemberRequest.newBuilder().setPointOfSale(LANE)
          .setCardNumber(enrolled.getCardNumber()).build();
      // The first lookup by card learns the card → member key; the ones below are hits.
      server.checkout().identifyMember(byCard);
      IdentifyMemberFlow flow = server.app().component().identify();
      AtomicInteger workerTasks = new AtomicInteger();
      Executor workers = task -> {
        workerTasks.incrementAndGet();
        new Thread(task, "test-worker").start();
      };

      proxy.freeze();
      CompletableFuture<MemberSummary> hit = flow.identify(byCard, workers).toCompletableFuture();
      assertThat(hit).as("answered while Redis is stalled").isNotDone();
      proxy.thaw();
      assertThat(hit.get(10, TimeUnit.SECONDS).getMemberId()).isEqualTo(memberId);
      assertThat(workerTasks).as("worker tasks for a cache hit").hasValue(0);

      proxy.freeze();
      CompletableFuture<MemberSummary> stalled =
          flow.identify(byCard, workers).toCompletableFuture();
      assertThat(stalled).isNotDone();
      MemberSummary fromPostgres = stalled.get(10, TimeUnit.SECONDS);
      proxy.thaw();
      assertThat(fromPostgres.getMemberId()).isEqualTo(memberId);
      assertThat(fromPostgres.getAvailablePoints())
          .isEqualTo(enrolled.getMember().getAvailablePoints());
      assertThat(workerTasks).as("worker tasks after Redis timed out").hasValue(1);
    }
  }
}
