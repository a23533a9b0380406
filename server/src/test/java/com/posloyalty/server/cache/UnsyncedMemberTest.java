package com.posloyalty.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.MemberSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member whose put failed is served from PostgreSQL (a cache miss) until Redis holds at
 * least the version that failed, and a failed put past the cap of marked members is not
 * forgotten (decision 7). A private Redis, since the test makes it refuse writes
 * ({@code maxmemory}), which fails a put at once and for certain, unlike a timeout.
 */
class UnsyncedMemberTest {

  private static final long TTL_MILLIS = 60_000;

  @RegisterExtension
  static final PrivateRedisExtension redis = new PrivateRedisExtension();

  @AfterEach
  void restoreWrites() {
    acceptWrites();
  }

  @Test
  void aPutOfAnOlderVersionThanTheFailedOneLeavesTheMemberServedFromPostgres()
      throws Exception {
    try (RedisLink link = new RedisLink(redis.url(), Duration.ofSeconds(5))) {
      MemberCache cache = new MemberCache(link, TestServices.newKeyPrefix("unsynced"), new byte[32],
          TTL_MILLIS,
          System::currentTimeMillis, new SimpleMeterRegistry());
      for (String m : new String[] {"m1", "m2"}) {
        assertThat(cache.put(m, 4, summary(m, 40))).isTrue();
        refuseWrites();
        assertThat(cache.put(m, 5, summary(m, 50))).isFalse();
        acceptWrites();
        // A reader that read version 4 before the write of 5 puts it after that put failed.
        assertThat(cache.put(m, 4, summary(m, 40))).isTrue();
        assertThat(cached(cache, m)).as(m).isEmpty();
        assertThat(cache.unsynced()).contains(m);
      }

      assertThat(cache.put("m1", 5, summary("m1", 50))).isTrue();
      assertThat(cache.put("m2", 6, summary("m2", 60))).isTrue();
      assertThat(cached(cache, "m1").map(MemberSummary::getAvailablePoints)).contains(50L);
      assertThat(cached(cache, "m2").map(MemberSummary::getAvailablePoints)).contains(60L);
      assertThat(cache.unsynced()).isEmpty();
    }
  }

  @Test
  void aFailedPutPastTheCapServesEveryMemberFromPostgresForTwoTtls() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    try (RedisLink link = new RedisLink(redis.url(), Duration.ofSeconds(5))) {
      MemberCache cache = new MemberCache(link, TestServices.newKeyPrefix("overflow"), new byte[32],
          TTL_MILLIS,
          now::get, new SimpleMeterRegistry(), 2);
      for (String m : new String[] {"m1", "m2", "m3", "m4"}) {
        assertThat(cache.put(m, 1, summary(m, 10))).isTrue();
        cache.putIdentifier("card:" + m, m);
      }
      refuseWrites();
      for (String m : new String[] {"m1", "m2", "m3"}) {
        assertThat(cache.put(m, 2, summary(m, 20))).isFalse();
      }
      acceptWrites();

      assertThat(cache.unsynced()).hasSize(2);
      for (String m : new String[] {"m3", "m4"}) {
        assertThat(cached(cache, m)).as(m).isEmpty();
        Optional<MemberCache.Resolved> resolved = cache.resolveAsync("card:" + m)
            .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(resolved.map(MemberCache.Resolved::memberId)).contains(m);
        assertThat(resolved.get().summary()).as(m).isEmpty();
      }

      now.addAndGet(2 * TTL_MILLIS - 1);
      assertThat(cached(cache, "m4")).isEmpty();
      now.incrementAndGet();
      assertThat(cached(cache, "m4").map(MemberSummary::getAvailablePoints)).contains(10L);
    }
  }

  private static void refuseWrites() {
    redis.admin().configSet("maxmemory-policy", "noeviction");
    redis.admin().configSet("maxmemory", "1");
  }

  private static void acceptWrites() {
    redis.admin().configSet("maxmemory", "0");
  }

  private static Optional<MemberSummary> cached(MemberCache cache, String memberId)
      throws Exception {
    return cache.getAsync(memberId).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static MemberSummary summary(String memberId, long points) {
    return MemberSummary.newBuilder().setMemberId(memberId).setAvailablePoints(points).build();
  }
}
