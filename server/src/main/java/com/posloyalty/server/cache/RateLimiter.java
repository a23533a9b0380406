package com.posloyalty.server.cache;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets per key, shared by every server instance through Redis (one atomic script,
 * timed by Redis's own clock). When Redis is unreachable each instance falls back to a
 * local bucket with the same rate, so limits still hold per instance. Tokens are counted
 * in thousandths so the arithmetic stays integral.
 *
 * <p>Fast buckets are leased: for a rate of at least {@value #LEASE_MIN_RATE} tokens a
 * second, an instance that goes to Redis takes the tokens of the next
 * {@value #LEASE_MILLIS} ms of that rate on top of what it needs and spends them locally,
 * so a busy key costs one Redis round trip per lease rather than per call. Leased tokens
 * have left the shared bucket, so the shared limit still holds across instances; what an
 * instance leases and does not use (at most one lease) is simply not spent. Slower
 * buckets, such as the default per-terminal limits, stay exact: one round trip per call.
 *
 * <p>An {@link #admit} (is a token there for one more attempt, without taking it) is
 * answered from a local copy for up to {@value #CHECK_CACHE_MILLIS} ms when it was "yes",
 * and until the bucket refills when it was "no"; an instance whose own {@link #take}
 * empties the bucket knows at once. The attempts an instance admitted and has not ended
 * count against the tokens of that copy, so concurrent attempts cannot overspend it. Another
 * instance may let through, within that window, as many attempts as the bucket held.
 */
public final class RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  static final long LEASE_MIN_RATE = 20;
  static final long LEASE_MILLIS = 50;
  static final long CHECK_CACHE_MILLIS = 100;

  /**
   * How old (by Redis's clock against the sender's) a request may be when Redis runs it.
   * A request that waited longer — queued behind a stalled network, long after its sender
   * gave up on it — takes nothing: otherwise the backlog of a stall, delivered at once when
   * it ends, would empty the bucket and refuse the calls that follow.
   */
  static final long MAX_REQUEST_AGE_MILLIS = 250;

  /**
   * KEYS[1]; ARGV rate per second, burst, need, want (all ×1000), sent at (epoch ms) →
   * {allowed, granted, wait ms, tokens left, stale}. Grants up to {@code want} when at
   * least {@code need} is there; a stale request takes nothing.
   */
  private static final RedisScript LEASE = new RedisScript(
      "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "
          + "if now - tonumber(ARGV[5]) > " + MAX_REQUEST_AGE_MILLIS + " then "
          + "return {1, 0, 0, 0, 1} end "
          + "local rate = tonumber(ARGV[1]) local burst = tonumber(ARGV[2]) "
          + "local need = tonumber(ARGV[3]) local want = tonumber(ARGV[4]) "
          + "local b = redis.call('HMGET', KEYS[1], 'k', 'ts') "
          + "local k = tonumber(b[1]) local ts = tonumber(b[2]) "
          + "if k == nil then k = burst ts = now end "
          + "k = math.min(burst, k + math.floor((now - ts) * rate / 1000)) "
          + "local ok = 0 local grant = 0 local wait = 0 "
          + "if k >= need then ok = 1 grant = math.min(k, want) k = k - grant "
          + "else wait = math.ceil((need - k) * 1000 / rate) end "
          + "if grant > 0 or b[1] == false then redis.call('HSET', KEYS[1], 'k', k, 'ts', now) "
          + "redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000) end "
          + "return {ok, grant, wait, k, 0}");

  /** The outcome: allowed, or how long to wait before trying again. */
  public record Decision(boolean allowed, long retryAfterMillis) {}

  private final RedisLink link;
  private final String prefix;
  private final LongSupplier millis;
  private final LongSupplier wallMillis;
  private final ConcurrentHashMap<String, LocalBucket> local = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Known> checks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private volatile long lastSkewWarning = Long.MIN_VALUE / 2;

  public RateLimiter(RedisLink link, String prefix, LongSupplier millis) {
    this(link, prefix, millis, System::currentTimeMillis);
  }

  /**
   * As above, with the wall clock each request is stamped with for Redis to judge its age
   * ({@link #MAX_REQUEST_AGE_MILLIS}); the real one but in tests of a skewed clock.
   */
  RateLimiter(RedisLink link, String prefix, LongSupplier millis, LongSupplier wallMillis) {
    this.link = link;
    this.prefix = prefix + ":rl:";
    this.millis = millis;
    this.wallMillis = wallMillis;
  }

  /**
   * Takes {@code cost} tokens from bucket {@code name}, which refills at
   * {@code milliTokensPerSecond} / 1000 tokens a second up to {@code burst} tokens.
   */
  public Decision take(String name, long milliTokensPerSecond, long burst, long cost) {
    long rate = Math.max(1, milliTokensPerSecond);
    long burstMilli = burst * 1000;
    long costMilli = Math.max(1, cost) * 1000;
    Lease lease = leases.computeIfAbsent(name, n -> new Lease());
    if (lease.take(costMilli)) {
      return new Decision(true, 0);
    }
    long extra = rate >= LEASE_MIN_RATE * 1000
        ? Math.min(burstMilli / 4, rate * LEASE_MILLIS / 1000 / 1000 * 1000) : 0;
    Optional<List<Long>> shared = script(name, rate, burstMilli, costMilli, costMilli + extra);
    if (shared.isEmpty() || stale(shared.get())) {
      return local.computeIfAbsent(name, n -> new LocalBucket(burstMilli))
          .take(rate, burstMilli, costMilli, millis.getAsLong());
    }
    List<Long> r = shared.get();
    boolean allowed = r.get(0) == 1L;
    if (allowed) {
      lease.add(r.get(1) - costMilli);
    }
    long left = r.get(3);
    if (left < 1000) {
      // A bucket that is also admitted against (the failed-lookup one) is known empty here
      // at once.
      long until = millis.getAsLong()
          + (allowed ? ceilDiv((1000 - left) * 1000, rate) : r.get(2));
      checks.computeIfPresent(name, (n, k) -> new Known(false, until, left));
    } else {
      // Replies can arrive out of order: the lower count is the newer one.
      checks.computeIfPresent(name,
          (n, k) -> new Known(k.allowed(), k.until(), Math.min(k.tokens(), left)));
    }
    return new Decision(allowed, allowed ? 0 : r.get(2));
  }

  /**
   * Admits one attempt against bucket {@code name} when a token is there for it, without
   * taking it: the attempt's outcome decides whether it costs one ({@link #take}). Attempts
   * this instance admitted and has not {@linkplain #release released} count against the
   * tokens, so a burst of concurrent attempts cannot all pass on the strength of one read:
   * at most as many are in flight as the bucket held tokens when last read. Every admitted
   * attempt must be released exactly once.
   */
  public Decision admit(String name, long milliTokensPerSecond, long burst) {
    long now = millis.getAsLong();
    Known known = checks.get(name);
    if (known == null || now >= known.until()) {
      known = read(name, Math.max(1, milliTokensPerSecond), burst * 1000, now);
    }
    if (!known.allowed()) {
      return new Decision(false, Math.max(1, known.until() - now));
    }
    AtomicInteger flying = inFlight.computeIfAbsent(name, n -> new AtomicInteger());
    while (true) {
      int n = flying.get();
      // The copy is read again after the count: a failure is charged (lowering the copy)
      // before its attempt is released, so a count that has seen the release sees the
      // charge too, and the release cannot make room for a token already spent.
      Known current = checks.get(name);
      long tokens = current == null || now >= current.until() ? known.tokens()
          : Math.min(known.tokens(), current.tokens());
      if (n >= tokens / 1000) {
        // Every token left is spoken for by an attempt still running.
        return new Decision(false, CHECK_CACHE_MILLIS);
      }
      if (flying.compareAndSet(n, n + 1)) {
        return new Decision(true, 0);
      }
    }
  }

  /** Ends an attempt {@link #admit} let through. */
  public void release(String name) {
    AtomicInteger flying = inFlight.get(name);
    if (flying != null) {
      flying.updateAndGet(n -> Math.max(0, n - 1));
    }
  }

  /** The bucket as Redis (or, without Redis or on clock skew, this instance) holds it. */
  private Known read(String name, long rate, long burstMilli, long now) {
    Optional<List<Long>> shared = script(name, rate, burstMilli, 1000, 0);
    if (shared.isEmpty() || stale(shared.get())) {
      long tokens = local.computeIfAbsent(name, n -> new LocalBucket(burstMilli))
          .available(rate, burstMilli, now);
      return new Known(tokens >= 1000, tokens >= 1000 ? now : now + ceilDiv(
          (1000 - tokens) * 1000, rate), tokens);
    }
    List<Long> r = shared.get();
    boolean allowed = r.get(0) == 1L;
    Known read = new Known(allowed, now + (allowed ? CHECK_CACHE_MILLIS : Math.max(1, r.get(2))),
        r.get(3));
    // A read that left before a failure was charged can come back after the charge has
    // lowered the copy: while that copy is current, the lower count stands, or a burst of
    // concurrent reads would put back tokens already spent and admit more than the bucket.
    return checks.merge(name, read, (held, fresh) -> now < held.until()
        ? new Known(held.allowed() && fresh.allowed(), fresh.until(),
            Math.min(held.tokens(), fresh.tokens()))
        : fresh);
  }

  private Optional<List<Long>> script(String name, long rate, long burst, long need,
      long want) {
    return link.connection().flatMap(c -> {
      try {
        List<Long> r = LEASE.run(c, ScriptOutputType.MULTI, new byte[][] {bytes(prefix + name)},
            bytes(Long.toString(rate)), bytes(Long.toString(burst)), bytes(Long.toString(need)),
            bytes(Long.toString(want)), bytes(Long.toString(wallMillis.getAsLong())));
        return Optional.of(r);
      } catch (RedisException e) {
        return Optional.empty();
      }
    });
  }

  /**
   * Whether Redis answered in time but judged the request older than
   * {@link #MAX_REQUEST_AGE_MILLIS}: this server's clock is behind Redis's. The shared bucket
   * took nothing; the call is judged by this instance's own bucket, as when Redis cannot be
   * reached, so limits still hold per instance, and the fault is logged.
   */
  private boolean stale(List<Long> reply) {
    if (reply.get(4) != 1L) {
      return false;
    }
    long now = millis.getAsLong();
    if (now - lastSkewWarning > 60_000) {
      lastSkewWarning = now;
      log.warn("Redis judged rate-limit requests older than {} ms on arrival: this server's"
          + " clock is behind Redis's; limits hold per instance until the clocks agree",
          MAX_REQUEST_AGE_MILLIS);
    }
    return true;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A bucket as last read for {@link #admit}: whether it held a token, until when (epoch ms)
   * that answer stands, and the tokens (×1000) it held.
   */
  private record Known(boolean allowed, long until, long tokens) {}

  /** Tokens this instance leased from the shared bucket and has not spent. */
  private static final class Lease {
    private long tokens;

    synchronized boolean take(long cost) {
      if (tokens >= cost) {
        tokens -= cost;
        return true;
      }
      return false;
    }

    synchronized void add(long granted) {
      tokens += Math.max(0, granted);
    }
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

    /** The tokens (×1000) there now, without taking any. */
    synchronized long available(long rate, long burst, long now) {
      if (updated >= 0) {
        tokens = Math.min(burst, tokens + (now - updated) * rate / 1000);
      }
      updated = now;
      return tokens;
    }
  }
}
