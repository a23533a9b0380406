package com.posloyalty.server.wiring;

import com.posloyalty.server.cache.MemberCache;
import com.posloyalty.server.cache.RateLimiter;
import java.time.Clock;
import com.posloyalty.server.cache.RedisLink;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.ServerSecrets;
import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.inject.Singleton;

/** The one Redis connection and the member cache on it. */
@Module
public final class CacheModule {

  private CacheModule() {}

  @Provides
  @Singleton
  static RedisLink redisLink(ServerConfig config) {
    return new RedisLink(config.redisUrl().orElseThrow(),
        Duration.ofMillis(config.redisTimeoutMs()));
  }

  @Provides
  @Singleton
  static RateLimiter rateLimiter(RedisLink link, ServerConfig config, Clock clock) {
    return new RateLimiter(link, config.redisKeyPrefix(), clock::millis);
  }

  @Provides
  @Singleton
  static MemberCache memberCache(RedisLink link, ServerConfig config, Clock clock,
      MeterRegistry registry, Database db, ServerSecrets secrets) {
    // Read (or created) once, at the first use of the cache, after the migrations ran.
    byte[] identifierSecret = db.inTransaction(
        c -> secrets.ensure(c, ServerSecrets.CACHE_IDENTIFIERS, clock.instant()));
    return new MemberCache(link, config.redisKeyPrefix(), identifierSecret,
        config.cacheTtlSeconds() * 1000L, clock::millis, registry);
  }
}
