package com.posloyalty.server.flow;

import com.posloyalty.server.domain.ApiKeySecret;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.store.ApiKeyStore;
import com.posloyalty.server.store.ApiKeyStore.StoredKey;
import com.posloyalty.server.store.AuditLog;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.IdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.inject.Inject;
import javax.inject.Named;
import javax.inject.Singleton;

/**
 * Issues, lists, revokes and checks API keys. Checks hit an in-memory copy of each key
 * that is re-read after {@code apiKeyCacheSeconds}, so authentication adds no SQL to the
 * hot path and a revocation reaches every instance within that time. Unknown key ids are
 * remembered too, so repeating one costs no SQL. A key id never seen before costs one read,
 * but at most {@value #UNSEEN_READS_PER_SECOND} such reads a second per instance: beyond
 * that, within the same second, an unseen id is refused without SQL (a flood of made-up
 * keys cannot turn into a flood of queries; a real new key used in such a second is refused
 * once and accepted on the next try). The cache is emptied once it holds 100,000 ids.
 */
@Singleton
public final class ApiKeys {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String IDEMPOTENCY_SCOPE = "apikey:create";

  /** An authenticated caller. */
  public record Principal(String keyId, Set<Scope> scopes, Optional<String> storeId) {}

  private record Cached(Optional<StoredKey> key, Instant loadedAt) {}

  /** Reads of key ids this instance has not seen, allowed per second. */
  static final int UNSEEN_READS_PER_SECOND = 50;

  private final Database db;
  private final ApiKeyStore store;
  private final AuditLog audit;
  private final IdempotencyStore idempotency;
  private final Clock clock;
  private final Duration cacheFor;
  private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();
  private long unseenSecond = Long.MIN_VALUE;
  private int unseenReads;

  @Inject
  ApiKeys(Database db, ApiKeyStore store, AuditLog audit, IdempotencyStore idempotency,
      Clock clock, @Named("apiKeyCacheSeconds") int cacheSeconds) {
    this.idempotency = idempotency;
    this.db = db;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.cacheFor = Duration.ofSeconds(cacheSeconds);
  }

  /** Whether a key id not in the cache may be read now (the per-second budget). */
  private synchronized boolean mayReadUnseen(Instant now) {
    long second = now.getEpochSecond();
    if (second != unseenSecond) {
      unseenSecond = second;
      unseenReads = 0;
    }
    return unseenReads++ < UNSEEN_READS_PER_SECOND;
  }

  /** The caller a bearer token belongs to; UNAUTHENTICATED for anything else. */
  public Principal authenticate(String token) {
    ApiKeySecret.Parsed parsed = ApiKeySecret.parse(token).orElseThrow(ApiKeys::invalid);
    Instant now = clock.instant();
    Cached cached = cache.get(parsed.keyId());
    if (cached == null || now.isAfter(cached.loadedAt().plus(cacheFor))
        || now.isBefore(cached.loadedAt())) {
      if (cached == null && !mayReadUnseen(now)) {
        throw invalid();
      }
      cached = new Cached(db.read(c -> store.find(c, parsed.keyId())), now);
      if (cache.size() > 100_000) {
        cache.clear();
      }
      cache.put(parsed.keyId(), cached);
    }
    StoredKey key = cached.key().filter(StoredKey::active).orElseThrow(ApiKeys::invalid);
    if (!ApiKeySecret.matches(token, key.secretHash())) {
      throw invalid();
    }
    return new Principal(key.keyId(), key.scopes(), key.storeId());
  }

  /** A new key; the secret in the result is never stored or shown again. */
  public Created create(Set<Scope> scopes, Optional<String> storeId, String label, String actor) {
    return create(scopes, storeId, label, actor, Optional.empty());
  }

  /** An idempotency key and the hash of the request that carries it. */
  public record RequestKey(String requestId, byte[] requestHash) {
    public static RequestKey of(String requestId, com.google.protobuf.Message request) {
      return new RequestKey(requestId, Protos.hash(request));
    }
  }

  /**
   * A new key, once per request id: a repeat of the same request answers the key the first
   * one created, without its secret (only its hash was stored) and marked as a replay; a
   * different request with that id is refused {@code REQUEST_ID_REUSED}.
   */
  public Created create(Set<Scope> scopes, Optional<String> storeId, String label, String actor,
      Optional<RequestKey> requestKey) {
    if (scopes.contains(Scope.CHECKOUT) && storeId.isEmpty()) {
      throw Refusal.invalid("STORE_REQUIRED", "store_id", "a checkout key must name its store");
    }
    String[] generated = ApiKeySecret.generate(RANDOM);
    Instant now = clock.instant();
    return db.inTransaction(c -> {
      if (requestKey.isPresent()) {
        RequestKey k = requestKey.get();
        if (!idempotency.claim(c, IDEMPOTENCY_SCOPE, k.requestId(), k.requestHash(), now)) {
          IdempotencyStore.Prior prior =
              idempotency.find(c, IDEMPOTENCY_SCOPE, k.requestId()).orElseThrow();
          if (!prior.samePayload(k.requestHash())) {
            throw Refusal.of(Refusal.Kind.ALREADY_EXISTS, "REQUEST_ID_REUSED",
                "request_id " + k.requestId() + " was used for a different key");
          }
          String keyId = new String(prior.response(), StandardCharsets.UTF_8);
          return new Created(store.find(c, keyId).orElseThrow(), "", true);
        }
        idempotency.complete(c, IDEMPOTENCY_SCOPE, k.requestId(),
            generated[0].getBytes(StandardCharsets.UTF_8));
      }
      store.insert(c, generated[0], ApiKeySecret.hash(generated[1]), scopes, storeId, label, now);
      audit.record(c, null, "API_KEY_CREATED", actor, "key " + generated[0] + " scopes "
          + scopes + " store " + storeId.orElse("*"), now);
      return new Created(store.find(c, generated[0]).orElseThrow(), generated[1], false);
    });
  }

  /**
   * A created key and its one-time secret; on a replay of the creating request the secret
   * is empty.
   */
  public record Created(StoredKey key, String secret, boolean replayed) {}

  public List<StoredKey> list(Optional<String> storeId, boolean showRevoked,
      Optional<ApiKeyStore.Position> after, int limit) {
    return db.read(c -> store.list(c, storeId, showRevoked, after, limit));
  }

  public StoredKey revoke(String keyId, String actor) {
    Instant now = clock.instant();
    StoredKey key = db.inTransaction(c -> {
      StoredKey revoked = store.revoke(c, keyId, now).orElseThrow(
          () -> Refusal.notFound("API_KEY_NOT_FOUND", "no API key " + keyId));
      audit.record(c, null, "API_KEY_REVOKED", actor, "key " + keyId, now);
      return revoked;
    });
    cache.remove(keyId);
    return key;
  }

  private static Refusal invalid() {
    return Refusal.of(Refusal.Kind.UNAUTHENTICATED, "API_KEY_INVALID",
        "missing, unknown or revoked API key (send authorization: Bearer <key>)");
  }
}
