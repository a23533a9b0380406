package com.posloyalty.server.embedded;

import com.posloyalty.server.config.ServerConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The embedded default: when no database or Redis is configured, run them in-process
 * (PostgreSQL's data kept under {@code LOYALTY_DATA_DIR} so a restart keeps it). For
 * trying the service and for development only — never for production.
 */
public final class EmbeddedServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);

  private final EmbeddedPostgres postgres;
  private final RedisServer redis;
  private final ServerConfig resolved;

  private EmbeddedServices(EmbeddedPostgres postgres, RedisServer redis, ServerConfig resolved) {
    this.postgres = postgres;
    this.redis = redis;
    this.resolved = resolved;
  }

  /** Starts what the configuration leaves out; returns a no-op holder when nothing is. */
  public static EmbeddedServices startIfNeeded(ServerConfig config) throws IOException {
    if (!config.embeddedDatabase() && !config.embeddedRedis()) {
      return new EmbeddedServices(null, null, config);
    }
    EmbeddedPostgres pg = null;
    String jdbcUrl = config.dbUrl().orElse(null);
    String user = config.dbUser();
    if (config.embeddedDatabase()) {
      Path dir = config.dataDir().resolve("postgres").toAbsolutePath();
      Files.createDirectories(dir.getParent());
      pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .start();
      jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
      user = "postgres";
    }
    RedisServer redis = null;
    String redisUrl = config.redisUrl().orElse(null);
    if (config.embeddedRedis()) {
      int port = freePort();
      redis = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
          .setting("save \"\"").setting("appendonly no").build();
      redis.start();
      redisUrl = "redis://127.0.0.1:" + port;
    }
    log.warn("*** EMBEDDED MODE: running {}{} inside this process (data under {}). "
            + "For trying the service only - NOT FOR PRODUCTION. Set LOYALTY_DB_URL and "
            + "LOYALTY_REDIS_URL to use real servers. ***",
        pg != null ? "PostgreSQL" : "", redis != null ? (pg != null ? " and Redis" : "Redis") : "",
        config.dataDir().toAbsolutePath());
    return new EmbeddedServices(pg, redis, config.withServices(jdbcUrl, user, redisUrl));
  }

  /** The configuration with the embedded services' URLs filled in. */
  public ServerConfig config() {
    return resolved;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    if (redis != null) {
      redis.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
