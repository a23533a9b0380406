package com.posloyalty.server.cache;

import com.google.protobuf.InvalidProtocolBufferException;
import com.posloyalty.v1.MemberSummary;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot member data in Redis: the lane's member summary (protobuf bytes, with the balance
 * version it was built from) and identifier → member id keys (identifiers under a keyed
 * hash with the installation's secret, so no phone, e-mail or card number is stored in
 * Redis, nor one that could be found again by hashing every possible phone number).
 *
 * <p>Never stale after an acknowledged write (DESIGN §4.4): writers put the new summary
 * before acknowledging, and a put only replaces an entry built from an older balance
 * version, so a slow reader can never overwrite a newer summary with an older one. If a
 * put fails (Redis down or stalled), the member is remembered with the highest version
 * whose put failed and served from PostgreSQL by this instance until a put of at least
 * that version succeeds (a repair re-puts it); a put of an older version, from a reader
 * that read before the failed write, leaves the mark. Past {@link #MAX_PENDING} marked
 * members, a failed put marks every member instead: all are served from PostgreSQL for two
 * cache TTLs. A restarted Redis comes back empty. Every Redis failure is absorbed here:
 * callers fall back to PostgreSQL.
 */
public final class MemberCache {

  private static final Logger log = LoggerFactory.getLogger(MemberCache.class);

  /** Put-if-newer: KEYS[1] member key; ARGV version, bytes, ttl ms. */
  private static final RedisScript PUT_IF_NEWER = new RedisScript(
      "local v = redis.call('HGET', KEYS[1], 'v') "
          + "if v and tonumber(v) >= tonumber(ARGV[1]) then return 0 end "
          + "redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2]) "
          + "redis.call('PEXPIRE', KEYS[1], ARGV[3]) return 1");

  /**
   * Identifier key → member id → summary for every key of a batch, in one round trip:
   * KEYS the identifier keys, ARGV[1] the member key prefix; the reply is two elements per
   * key, the member id and the summary bytes, each nil when not cached.
   */
  private static final RedisScript RESOLVE = new RedisScript(
      "local out = {} for i, k in ipairs(KEYS) do "
          + "local id = redis.call('GET', k) local d = false "
          + "if id then d = redis.call('HGET', ARGV[1] .. id, 'd') end "
          + "out[2 * i - 1] = id out[2 * i] = d end return out");

  /** Members marked one by one; a failed put past this marks every member for a while. */
  static final int MAX_PENDING = 100_000;

  /**
   * Lookups in flight with no thread waiting for them. Past this, a caller waits for its own
   * answer: calls then queue for the workers, as they would without asynchronous lookups,
   * rather than in the Redis connection, where a long queue would run into the command
   * timeout and turn cache hits into PostgreSQL reads just when the server is busiest.
   */
  static final int MAX_IN_FLIGHT = 32;

  /**
   * Lookups in one script call. Only lookups past {@link #MAX_IN_FLIGHT}, whose callers
   * wait for them, can queue beyond it; they go in the next call.
   */
  static final int MAX_BATCH = MAX_IN_FLIGHT;

  private final RedisLink link;
  private final String prefix;
  private final long ttlMillis;
  private final LongSupplier millis;
  private final int maxPending;
  /** Member id → the highest version whose put failed. */
  private final ConcurrentHashMap<String, Long> unsynced = new ConcurrentHashMap<>();
  /** Until this time (by {@link #millis}) every member is served from PostgreSQL. */
  private final AtomicLong allUnsyncedUntil = new AtomicLong(Long.MIN_VALUE);
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final Queue<Pending> queued = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean batchOut = new AtomicBoolean();
  private final Counter batches;
  private final ThreadLocal<Mac> identifierMac;
  private final Counter hits;
  private final Counter misses;
  private final Counter errors;

  /** A cached identifier: the member id, and the summary when it is cached too. */
  public record Resolved(String memberId, Optional<MemberSummary> summary) {}

  /**
   * @param identifierSecret the key of the identifiers' keyed hash, the same on every
   *     instance of an installation (see {@code store/ServerSecrets})
   */
  public MemberCache(RedisLink link, String prefix, byte[] identifierSecret, long ttlMillis,
      LongSupplier millis, MeterRegistry registry) {
    this(link, prefix, identifierSecret, ttlMillis, millis, registry, MAX_PENDING);
  }

  MemberCache(RedisLink link, String prefix, byte[] identifierSecret, long ttlMillis,
      LongSupplier millis, MeterRegistry registry, int maxPending) {
    if (identifierSecret.length < 32) {
      throw new IllegalArgumentException("the identifier key needs at least 32 bytes");
    }
    SecretKeySpec key = new SecretKeySpec(identifierSecret.clone(), "HmacSHA256");
    this.identifierMac = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
    this.link = link;
    this.prefix = prefix + ":";
    this.ttlMillis = ttlMillis;
    this.millis = millis;
    this.maxPending = maxPending;
    this.hits = Counter.builder("loyalty.cache.requests").tag("result", "hit").register(registry);
    this.misses = Counter.builder("loyalty.cache.requests").tag("result", "miss").register(registry);
    this.errors = Counter.builder("loyalty.cache.errors").register(registry);
    this.batches = Counter.builder("loyalty.cache.lookup.batches")
        .description("script calls that carried identifier lookups to Redis").register(registry);
  }

  /**
   * The cached summary of a member, unless missing, unsynced or Redis is unavailable; like
   * {@link #resolveAsync}, without waiting and never failing.
   */
  public CompletionStage<Optional<MemberSummary>> getAsync(String memberId) {
    if (isUnsynced(memberId)) {
      return CompletableFuture.completedStage(miss());
    }
    Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
    if (c.isEmpty()) {
      return CompletableFuture.completedStage(miss());
    }
    return bounded(() -> {
      CompletionStage<byte[]> reply;
      try {
        reply = c.get().async().hget(memberKey(memberId), bytes("d"));
      } catch (RedisException e) {
        return CompletableFuture.completedStage(failed(e));
      }
      return reply.handle((bytes, error) -> {
        if (error != null) {
          return failed(error);
        }
        try {
          return bytes == null ? miss() : hit(MemberSummary.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
          return failed(e);
        }
      });
    });
  }

  /**
   * Resolves an identifier (e.g. "card:6299…") to a member, and its summary if cached, and
   * completes on Lettuce's event loop with Redis's reply. It never completes exceptionally:
   * any Redis failure (down, stalled past the command timeout) is a miss.
   *
   * <p>Lookups are batched without waiting: one script call is in Redis at a time, and the
   * lookups that arrive meanwhile go together in the next one when it answers. An idle
   * server sends each lookup at once, alone; a busy one sends one round trip for many, so
   * Redis and both ends' socket and thread wake-ups are paid once per batch, not per lane.
   */
  public CompletionStage<Optional<Resolved>> resolveAsync(String identifier) {
    if (link.connection().isEmpty()) {
      misses.increment();
      return CompletableFuture.completedStage(Optional.empty());
    }
    byte[] key = identifierKey(identifier);
    return bounded(() -> {
      Pending lookup = new Pending(key, new CompletableFuture<>());
      queued.add(lookup);
      sendQueued();
      return lookup.answer();
    });
  }

  /** An identifier lookup waiting for its batch's reply. */
  private record Pending(byte[] key, CompletableFuture<Optional<Resolved>> answer) {}

  /**
   * Sends the queued lookups as one batch unless a batch is out; the reply to that one
   * calls this again. A lookup is queued before this looks, and the batch's flag is
   * cleared before its reply looks, so no lookup is left behind in the queue.
   */
  private void sendQueued() {
    while (!queued.isEmpty() && batchOut.compareAndSet(false, true)) {
      List<Pending> batch = new ArrayList<>();
      for (Pending p; batch.size() < MAX_BATCH && (p = queued.poll()) != null; ) {
        batch.add(p);
      }
      if (batch.isEmpty()) {
        batchOut.set(false);
        continue;
      }
      send(batch);
    }
  }

  /**
   * Sends one batch. Whatever happens, its reply (or failure) clears the flag and answers
   * every lookup in it: a batch that never came back would stop all later lookups.
   */
  private void send(List<Pending> batch) {
    CompletionStage<List<byte[]>> reply;
    try {
      Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
      if (c.isEmpty()) {
        throw new RedisException("no Redis connection");
      }
      byte[][] keys = new byte[batch.size()][];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = batch.get(i).key();
      }
      batches.increment();
      reply = RESOLVE.runAsync(c.get(), ScriptOutputType.MULTI, keys, bytes(prefix + "m:"));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedStage(e);
    }
    reply.whenComplete((result, error) -> {
      batchOut.set(false);
      try {
        // The next batch goes to Redis before this one's callers run.
        sendQueued();
      } finally {
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).answer().complete(answer(result, error, i));
        }
      }
    });
  }

  private Optional<Resolved> answer(List<byte[]> result, Throwable error, int i) {
    if (error != null) {
      failed(error);
      return Optional.empty();
    }
    try {
      return resolved(result.get(2 * i), result.get(2 * i + 1));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      failed(e);
      return Optional.empty();
    }
  }

  /** Runs {@code lookup} within {@link #MAX_IN_FLIGHT}, or waits for it past that. */
  private <T> CompletionStage<T> bounded(Supplier<CompletionStage<T>> lookup) {
    if (!inFlight.tryAcquire()) {
      return CompletableFuture.completedStage(lookup.get().toCompletableFuture().join());
    }
    CompletionStage<T> answer;
    try {
      answer = lookup.get();
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    return answer.whenComplete((result, error) -> inFlight.release());
  }

  private Optional<Resolved> resolved(byte[] id, byte[] summary)
      throws InvalidProtocolBufferException {
    if (id == null) {
      misses.increment();
      return Optional.empty();
    }
    String memberId = new String(id, StandardCharsets.UTF_8);
    if (summary == null || isUnsynced(memberId)) {
      misses.increment();
      return Optional.of(new Resolved(memberId, Optional.empty()));
    }
    hits.increment();
    return Optional.of(new Resolved(memberId, Optional.of(MemberSummary.parseFrom(summary))));
  }

  /**
   * Stores a summary built from balance {@code version}. Returns false when Redis could
   * not be written; the member is then served from PostgreSQL until a put of at least
   * {@code version} succeeds.
   */
  public boolean put(String memberId, long version, MemberSummary summary) {
    Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
    if (c.isEmpty() || !c.get().isOpen()) {
      markUnsynced(memberId, version);
      return false;
    }
    try {
      PUT_IF_NEWER.run(c.get(), ScriptOutputType.INTEGER,
          new byte[][] {memberKey(memberId)}, bytes(Long.toString(version)), summary.toByteArray(),
          bytes(Long.toString(ttlMillis)));
      synced(memberId, version);
      return true;
    } catch (RedisException e) {
      markUnsynced(memberId, version);
      failed(e);
      return false;
    }
  }

  /** A summary to {@link #putAll}: the member's, built from balance version {@code version}. */
  public record Put(String memberId, long version, MemberSummary summary) {}

  /**
   * {@link #put} of several summaries, sent together and waited for together: one wait for
   * the round trip instead of one per summary. Each is marked unsynced on its own failure.
   */
  public void putAll(List<Put> puts) {
    Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
    if (c.isEmpty() || !c.get().isOpen()) {
      puts.forEach(p -> markUnsynced(p.memberId(), p.version()));
      return;
    }
    List<CompletableFuture<Object>> sent = new ArrayList<>(puts.size());
    for (Put p : puts) {
      sent.add(PUT_IF_NEWER.<Object>runAsync(c.get(), ScriptOutputType.INTEGER,
          new byte[][] {memberKey(p.memberId())}, bytes(Long.toString(p.version())),
          p.summary().toByteArray(), bytes(Long.toString(ttlMillis))).toCompletableFuture());
    }
    for (int i = 0; i < puts.size(); i++) {
      Put p = puts.get(i);
      try {
        // Bounded: the connection times every command out (TimeoutOptions).
        sent.get(i).join();
        synced(p.memberId(), p.version());
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        markUnsynced(p.memberId(), p.version());
        failed(e);
      }
    }
  }

  /**
   * After a put-if-newer of {@code version}: Redis now holds this version or a newer one, so
   * a mark at most this version is cleared; a newer failed version keeps it. Atomic against a
   * concurrent mark.
   */
  private void synced(String memberId, long version) {
    unsynced.computeIfPresent(memberId, (id, failed) -> version >= failed ? null : failed);
  }

  /** Remembers that {@code identifier} belongs to {@code memberId}. */
  public void putIdentifier(String identifier, String memberId) {
    Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
    if (c.isEmpty()) {
      return;
    }
    try {
      c.get().sync().psetex(identifierKey(identifier), ttlMillis * 12, bytes(memberId));
    } catch (RedisException e) {
      failed(e);
    }
  }

  /** Members marked by a failed put: the repair job reloads and re-puts them. */
  public Set<String> unsynced() {
    return Set.copyOf(unsynced.keySet());
  }

  private boolean isUnsynced(String memberId) {
    return millis.getAsLong() < allUnsyncedUntil.get() || unsynced.containsKey(memberId);
  }

  /**
   * Marks a member whose put of {@code version} failed. Past {@link #maxPending} marked
   * members, every member is served from PostgreSQL until two TTLs after this failure: by
   * then the entry Redis held at the failure has expired, and so has one a reader put within
   * a TTL after it, from a read before the failed write.
   */
  private void markUnsynced(String memberId, long version) {
    if (unsynced.size() < maxPending || unsynced.containsKey(memberId)) {
      unsynced.merge(memberId, version, Math::max);
      return;
    }
    long now = millis.getAsLong();
    long before = allUnsyncedUntil.getAndAccumulate(now + 2 * ttlMillis, Math::max);
    if (before <= now) {
      log.error("more than {} members could not be written to Redis; serving every member "
          + "from PostgreSQL for {} ms", maxPending, 2 * ttlMillis);
    }
  }

  private Optional<MemberSummary> hit(MemberSummary summary) {
    hits.increment();
    return Optional.of(summary);
  }

  private Optional<MemberSummary> miss() {
    misses.increment();
    return Optional.empty();
  }

  private Optional<MemberSummary> failed(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    errors.increment();
    log.debug("Redis unavailable, using PostgreSQL: {}", cause.toString());
    return miss();
  }

  private byte[] memberKey(String memberId) {
    return bytes(prefix + "m:" + memberId);
  }

  /**
   * The Redis key of an identifier: a keyed hash (HMAC-SHA256, 128 bits of it), so that
   * phones and card numbers, which could be enumerated against a plain hash, cannot be
   * recovered from Redis without the installation's secret.
   */
  private byte[] identifierKey(String identifier) {
    byte[] digest = identifierMac.get().doFinal(bytes(identifier));
    return bytes(prefix + "i:" + HexFormat.of().formatHex(digest, 0, 16));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
