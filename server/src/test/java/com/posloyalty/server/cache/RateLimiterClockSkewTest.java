package com.posloyalty.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server whose clock runs behind Redis's has its rate-limit requests judged stale by Redis,
 * which then takes nothing from the shared bucket. The limits must still hold: the server
 * judges such calls by its own per-instance bucket, as when Redis cannot be reached.
 */
class RateLimiterClockSkewTest {

  @Test
  void aServerWhoseClockIsBehindRedisStillLimitsItsCalls() {
    try (RedisLink link = new RedisLink(TestServices.redisUrl(), Duration.ofSeconds(5))) {
      // Every request is stamped a second earlier than it is sent.
      RateLimiter limiter = new RateLimiter(link, TestServices.newKeyPrefix("skew"),
          System::currentTimeMillis, () -> System.currentTimeMillis() - 1_000);
      List<Boolean> taken = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        // One token a second, a burst of two.
        taken.add(limiter.take("key:k1", 1_000, 2, 1).allowed());
      }
      assertThat(taken).containsExactly(true, true, false, false, false);

      RateLimiter.Decision admitted = limiter.admit("idfail:k2", 1_000, 1);
      assertThat(admitted.allowed()).isTrue();
      assertThat(limiter.take("idfail:k2", 1_000, 1, 1).allowed()).isTrue();
      limiter.release("idfail:k2");
      RateLimiter.Decision refused = limiter.admit("idfail:k2", 1_000, 1);
      assertThat(refused.allowed()).as("the bucket of one failure is spent").isFalse();
      assertThat(refused.retryAfterMillis()).isPositive();
    }
  }
}
