package com.posloyalty.server.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The server's validated settings. Each field documents its {@code LOYALTY_*} key and
 * default; docs/operations.md lists them all.
 */
public record ServerConfig(
    /* LOYALTY_BIND_ADDRESS, default 0.0.0.0 */ String bindAddress,
    /* LOYALTY_GRPC_PORT, default 50051 */ int grpcPort,
    /* LOYALTY_METRICS_PORT, default 9464; 0 disables */ int metricsPort,
    /* LOYALTY_DB_URL; absent: embedded PostgreSQL */ Optional<String> dbUrl,
    /* LOYALTY_DB_USER */ String dbUser,
    /* LOYALTY_DB_PASSWORD */ String dbPassword,
    /* LOYALTY_DB_POOL_SIZE, default 8 */ int dbPoolSize,
    /* LOYALTY_DB_TIMEOUT_MS, default 250: pool wait and connect timeout */ int dbTimeoutMs,
    /* LOYALTY_MAX_QUEUE_WAIT_MS, default 500: longer waits for a worker are shed */
    int maxQueueWaitMs,
    /* LOYALTY_COMMIT_GROUP_SIZE, default 16: sales committed in one transaction; 1: each alone */
    int commitGroupSize,
    /* LOYALTY_COMMIT_GROUPS_RUNNING, default 4: groups committing at once */
    int commitGroupsRunning,
    /* LOYALTY_REDIS_URL; absent: embedded Redis */ Optional<String> redisUrl,
    /* LOYALTY_REDIS_TIMEOUT_MS, default 50 */ int redisTimeoutMs,
    /* LOYALTY_REDIS_KEY_PREFIX, default "pl" */ String redisKeyPrefix,
    /* LOYALTY_CACHE_TTL_SECONDS, default 300 */ int cacheTtlSeconds,
    /* LOYALTY_DATA_DIR, default ./data */ Path dataDir,
    /* LOYALTY_DEMO_DATA, default true when embedded */ boolean demoData,
    /* LOYALTY_SHUTDOWN_GRACE_SECONDS, default 20 */ int shutdownGraceSeconds,
    /* LOYALTY_PHONE_COUNTRY_CODE, default 49 */ String phoneCountryCode,
    /* LOYALTY_TIME_ZONE, default UTC */ ZoneId timeZone,
    /* LOYALTY_SWEEP_INTERVAL_SECONDS, default 5 */ int sweepIntervalSeconds,
    SecurityConfig security) {

  /** True when no database URL is configured and the server runs its own PostgreSQL. */
  public boolean embeddedDatabase() {
    return dbUrl.isEmpty();
  }

  public boolean embeddedRedis() {
    return redisUrl.isEmpty();
  }

  /** Validates every setting; the first bad one fails start-up with its name. */
  public static ServerConfig from(Settings s) {
    Optional<String> dbUrl = s.string("LOYALTY_DB_URL");
    dbUrl.ifPresent(url -> {
      if (!url.startsWith("jdbc:postgresql://")) {
        throw new ConfigException("LOYALTY_DB_URL: must start with jdbc:postgresql://, got '" + url + "'");
      }
    });
    Optional<String> redisUrl = s.string("LOYALTY_REDIS_URL");
    redisUrl.ifPresent(url -> {
      if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
        throw new ConfigException("LOYALTY_REDIS_URL: must start with redis:// or rediss://");
      }
    });
    ZoneId zone;
    String zoneName = s.string("LOYALTY_TIME_ZONE", "UTC");
    try {
      zone = ZoneId.of(zoneName);
    } catch (RuntimeException e) {
      throw new ConfigException("LOYALTY_TIME_ZONE: unknown time zone '" + zoneName + "'");
    }
    String country = s.string("LOYALTY_PHONE_COUNTRY_CODE", "49");
    if (!country.matches("[1-9][0-9]{0,2}")) {
      throw new ConfigException("LOYALTY_PHONE_COUNTRY_CODE: must be 1 to 3 digits, got '" + country + "'");
    }
    String prefix = s.string("LOYALTY_REDIS_KEY_PREFIX", "pl");
    if (!prefix.matches("[A-Za-z0-9_.-]{1,32}")) {
      throw new ConfigException("LOYALTY_REDIS_KEY_PREFIX: 1-32 letters, digits, '_', '.', '-'");
    }
    boolean embedded = dbUrl.isEmpty() && redisUrl.isEmpty();
    SecurityConfig security = SecurityConfig.from(s, embedded);
    // Plaintext by default only on the embedded default, and then only on loopback.
    String bindDefault = embedded && security.plaintext() ? "127.0.0.1" : "0.0.0.0";
    return new ServerConfig(
        s.string("LOYALTY_BIND_ADDRESS", bindDefault),
        s.integer("LOYALTY_GRPC_PORT", 50051, 0, 65535),
        s.integer("LOYALTY_METRICS_PORT", 9464, 0, 65535),
        dbUrl,
        s.string("LOYALTY_DB_USER", "postgres"),
        s.string("LOYALTY_DB_PASSWORD", ""),
        s.integer("LOYALTY_DB_POOL_SIZE", 8, 1, 200),
        s.integer("LOYALTY_DB_TIMEOUT_MS", 250, 250, 60000),
        s.integer("LOYALTY_MAX_QUEUE_WAIT_MS", 500, 10, 60000),
        s.integer("LOYALTY_COMMIT_GROUP_SIZE", 16, 1, 256),
        s.integer("LOYALTY_COMMIT_GROUPS_RUNNING", 4, 1, 64),
        redisUrl,
        s.integer("LOYALTY_REDIS_TIMEOUT_MS", 50, 5, 10000),
        prefix,
        s.integer("LOYALTY_CACHE_TTL_SECONDS", 300, 1, 86400),
        Path.of(s.string("LOYALTY_DATA_DIR", "./data")),
        s.bool("LOYALTY_DEMO_DATA", dbUrl.isEmpty()),
        s.integer("LOYALTY_SHUTDOWN_GRACE_SECONDS", 20, 0, 600),
        country,
        zone,
        s.integer("LOYALTY_SWEEP_INTERVAL_SECONDS", 5, 1, 3600),
        security);
  }

  /** The same settings with other security settings. */
  public ServerConfig withSecurity(SecurityConfig other) {
    return new ServerConfig(bindAddress, grpcPort, metricsPort, dbUrl, dbUser, dbPassword,
        dbPoolSize, dbTimeoutMs, maxQueueWaitMs, commitGroupSize, commitGroupsRunning, redisUrl,
        redisTimeoutMs, redisKeyPrefix,
        cacheTtlSeconds, dataDir, demoData, shutdownGraceSeconds, phoneCountryCode, timeZone,
        sweepIntervalSeconds, other);
  }

  /** The same settings pointing at the given database and Redis (used by the embedded default). */
  public ServerConfig withServices(String jdbcUrl, String user, String redis) {
    return new ServerConfig(bindAddress, grpcPort, metricsPort, Optional.of(jdbcUrl), user,
        dbPassword, dbPoolSize, dbTimeoutMs, maxQueueWaitMs, commitGroupSize,
        commitGroupsRunning, Optional.of(redis), redisTimeoutMs,
        redisKeyPrefix, cacheTtlSeconds, dataDir, demoData, shutdownGraceSeconds, phoneCountryCode,
        timeZone, sweepIntervalSeconds, security);
  }
}
