package com.posloyalty.server.cache;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per key, shared by every server instance through Redis (one atomic script
 * per call, timed by Redis's own clock). When Redis is unreachable each instance falls
 * back to a local bucket with the same rate, so limits still hold per instance.
 * Tokens are counted in thousandths so the arithmetic stays integral.
 */
public final class RateLimiter {

  /** KEYS[1]; ARGV rate per second, burst, cost (all ×1000) → {allowed, wait ms}. */
  private static final String TAKE =
      "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "
          + "local rate = tonumber(ARGV[1]) local burst = tonumber(ARGV[2]) "
          + "local cost = tonumber(ARGV[3]) "
          + "local b = redis.call('HMGET', KEYS[1], 'k', 'ts') "
          + "local k = tonumber(b[1]) local ts = tonumber(b[2]) "
          + "if k == nil then k = burst ts = now end "
          + "k = math.min(burst, k + math.floor((now - ts) * rate / 1000)) "
          + "local ok = 0 local wait = 0 "
          + "local need = math.max(cost, 1000) "
          + "if k >= need then k = k - cost ok = 1 "
          + "else wait = math.ceil((need - k) * 1000 / rate) end "
          + "if cost > 0 or b[1] == false then redis.call('HSET', KEYS[1], 'k', k, 'ts', now) "
          + "redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000) end "
          + "return {ok, wait}";

  /** The outcome: allowed, or how long to wait before trying again. */
  public record Decision(boolean allowed, long retryAfterMillis) {}

  private final RedisLink link;
  private final String prefix;
  private final LongSupplier millis;
  private final ConcurrentHashMap<String, LocalBucket> local = new ConcurrentHashMap<>();

  public RateLimiter(RedisLink link, String prefix, LongSupplier millis) {
    this.link = link;
    this.prefix = prefix + ":rl:";
    this.millis = millis;
  }

  /**
   * Takes {@code cost} tokens (0 = only check that one is there) from bucket {@code name}, which refills at
   * {@code milliTokensPerSecond} / 1000 tokens a second up to {@code burst} tokens.
   */
  public Decision take(String name, long milliTokensPerSecond, long burst, long cost) {
    long rate = Math.max(1, milliTokensPerSecond);
    long burstMilli = burst * 1000;
    long costMilli = cost * 1000;
    Optional<Decision> shared = link.connection().flatMap(c -> {
      try {
        List<Long> r = c.sync().eval(TAKE, ScriptOutputType.MULTI,
            new byte[][] {bytes(prefix + name)}, bytes(Long.toString(rate)),
            bytes(Long.toString(burstMilli)), bytes(Long.toString(costMilli)));
        return Optional.of(new Decision(r.get(0) == 1L, r.get(1)));
      } catch (RedisException e) {
        return Optional.empty();
      }
    });
    return shared.orElseGet(() -> local.computeIfAbsent(name, n -> new LocalBucket(burstMilli))
        .take(rate, burstMilli, costMilli, millis.getAsLong()));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The per-instance fallback bucket. */
  private static final class LocalBucket {
    private long tokens;
    private long updated = -1;

    LocalBucket(long burst) {
      this.tokens = burst;
    }

    synchronized Decision take(long rate, long burst, long cost, long now) {
      if (updated >= 0) {
        tokens = Math.min(burst, tokens + (now - updated) * rate / 1000);
      }
      updated = now;
      long need = Math.max(cost, 1000);
      if (tokens >= need) {
        tokens -= cost;
        return new Decision(true, 0);
      }
      return new Decision(false, (need - tokens) * 1000 / rate + 1);
    }
  }
}
