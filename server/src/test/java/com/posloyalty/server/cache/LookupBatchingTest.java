package com.posloyalty.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.MemberSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Identifier lookups that arrive while one is in Redis go together in one script call, and
 * each gets its own answer; a batch that fails is a miss for every lookup in it. A private
 * Redis, since the test pauses it ({@code CLIENT PAUSE}) to hold a batch out.
 */
class LookupBatchingTest {

  private static final int LOOKUPS = 20;

  @RegisterExtension
  static final PrivateRedisExtension redis = new PrivateRedisExtension();

  @Test
  void lookupsArrivingWhileABatchIsOutGoTogetherEachWithItsOwnAnswer() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RedisLink link = new RedisLink(redis.url(), Duration.ofSeconds(5))) {
      MemberCache cache = new MemberCache(link, TestServices.newKeyPrefix("batch"), new byte[32], 60_000,
          System::currentTimeMillis, registry);
      // Cards 0..19: even ones cached with a summary, odd ones with the member id only;
      // card 99 is not cached at all.
      for (int i = 0; i < LOOKUPS; i++) {
        cache.putIdentifier("card:" + i, "m" + i);
        if (i % 2 == 0) {
          assertThat(cache.put("m" + i, 1, MemberSummary.newBuilder().setMemberId("m" + i)
              .setAvailablePoints(100L * i).build())).isTrue();
        }
      }
      assertThat(cache.resolveAsync("card:99").toCompletableFuture().get(5, TimeUnit.SECONDS))
          .isEmpty();
      double before = batches(registry);

      // The first lookup goes alone and is held in the paused Redis; the rest queue
      // behind it and go as one batch when it answers.
      redis.admin().clientPause(300);
      List<CompletableFuture<Optional<MemberCache.Resolved>>> answers = new ArrayList<>();
      for (int i = 0; i < LOOKUPS; i++) {
        answers.add(cache.resolveAsync("card:" + i).toCompletableFuture());
      }
      answers.add(cache.resolveAsync("card:99").toCompletableFuture());

      for (int i = 0; i < LOOKUPS; i++) {
        Optional<MemberCache.Resolved> resolved = answers.get(i).get(5, TimeUnit.SECONDS);
        assertThat(resolved).as("card %d", i).isPresent();
        assertThat(resolved.get().memberId()).isEqualTo("m" + i);
        if (i % 2 == 0) {
          assertThat(resolved.get().summary()).as("card %d", i).isPresent();
          assertThat(resolved.get().summary().get().getAvailablePoints()).isEqualTo(100L * i);
          assertThat(resolved.get().summary().get().getMemberId()).isEqualTo("m" + i);
        } else {
          assertThat(resolved.get().summary()).as("card %d", i).isEmpty();
        }
      }
      assertThat(answers.get(LOOKUPS).get(5, TimeUnit.SECONDS)).isEmpty();
      assertThat(batches(registry) - before).isEqualTo(2.0);
      assertThat(counter(registry, "hit") + counter(registry, "miss")).isEqualTo(LOOKUPS + 2);
      assertThat(counter(registry, "hit")).isEqualTo(LOOKUPS / 2);
    }
  }

  @Test
  void aBatchPastTheCommandTimeoutIsAMissForEveryLookupInItAndTheNextOneWorks()
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RedisLink link = new RedisLink(redis.url(), Duration.ofMillis(200))) {
      MemberCache cache = new MemberCache(link, TestServices.newKeyPrefix("batchfail"), new byte[32],
          60_000,
          System::currentTimeMillis, registry);
      cache.putIdentifier("card:1", "m1");
      assertThat(cache.put("m1", 1, MemberSummary.newBuilder().setMemberId("m1").build()))
          .isTrue();

      redis.admin().clientPause(1_000);
      List<CompletableFuture<Optional<MemberCache.Resolved>>> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(cache.resolveAsync("card:1").toCompletableFuture());
      }
      for (CompletableFuture<Optional<MemberCache.Resolved>> answer : answers) {
        assertThat(answer.get(5, TimeUnit.SECONDS)).isEmpty();
      }
      assertThat(registry.get("loyalty.cache.errors").counter().count()).isPositive();

      // Once Redis answers again, so do lookups (the paused commands may still be queued in
      // it for a moment; the first answer within the timeout is enough).
      Optional<MemberCache.Resolved> again = Optional.empty();
      for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
          again.isEmpty() && System.nanoTime() < end; ) {
        Thread.sleep(100);
        again = cache.resolveAsync("card:1").toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
      assertThat(again).isPresent();
      assertThat(again.get().summary()).isPresent();
    }
  }

  private static double batches(SimpleMeterRegistry registry) {
    return registry.get("loyalty.cache.lookup.batches").counter().count();
  }

  private static double counter(SimpleMeterRegistry registry, String result) {
    return registry.get("loyalty.cache.requests").tag("result", result).counter().count();
  }
}
