package com.posloyalty.loadtest;

import com.posloyalty.server.Application;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.config.Settings;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server under test: one already running (named by its target), or one this process
 * starts itself with {@link Application#start} — on the embedded default, or on the
 * PostgreSQL and Redis its settings name. A server started here serves plaintext on
 * loopback, gets a checkout API key per store (revoked at the end), and a per-key rate
 * limit high enough never to refuse: the limiter still runs on every call, but the
 * benchmark measures the server, not the limit.
 */
final class ServerHandle implements AutoCloseable {

  private final String target;
  private final Optional<PostgresTarget> db;
  private final int poolSize;
  private final Optional<URI> metrics;
  private final Application app;
  private final Map<String, ApiKeys.Created> keys;

  private ServerHandle(String target, Optional<PostgresTarget> db, int poolSize,
      Optional<URI> metrics, Application app, Map<String, ApiKeys.Created> keys) {
    this.target = target;
    this.db = db;
    this.poolSize = poolSize;
    this.metrics = metrics;
    this.app = app;
    this.keys = keys;
  }

  static ServerHandle running(String target, Optional<PostgresTarget> db, int poolSize,
      Optional<URI> metrics) {
    return new ServerHandle(target, db, poolSize, metrics, null, Map.of());
  }

  /**
   * Starts a server in this process with keys for {@code stores} stores. Settings are this
   * process's {@code LOYALTY_*} environment, then the load test's (ports, plaintext,
   * rate limit), then {@code overrides}.
   */
  static ServerHandle start(Map<String, String> overrides, int stores) throws IOException {
    Map<String, String> settings = new HashMap<>();
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("LOYALTY_")) {
        settings.put(k, v);
      }
    });
    settings.put("LOYALTY_GRPC_PORT", "0");
    settings.put("LOYALTY_BIND_ADDRESS", "127.0.0.1");
    settings.put("LOYALTY_METRICS_PORT", Integer.toString(freePort()));
    settings.put("LOYALTY_PLAINTEXT", "true");
    settings.put("LOYALTY_RATE_LIMIT_CHECKOUT", "1000000");
    // Lookups in flight per key are bounded by the key's failed lookups left; the benchmark's
    // lanes share ten keys at tens of thousands of calls a second.
    settings.put("LOYALTY_IDENTIFY_FAILURES_PER_MINUTE", "100000");
    settings.putAll(overrides);
    ServerConfig config = ServerConfig.from(Settings.of(settings));
    Application app = Application.start(config, Clock.system(config.timeZone()));
    ServerConfig resolved = app.config();
    Map<String, ApiKeys.Created> keys = new LinkedHashMap<>();
    for (int store = 1; store <= stores; store++) {
      String storeId = Lanes.storeId(store);
      keys.put(storeId, app.component().apiKeys().create(EnumSet.of(Scope.CHECKOUT),
          Optional.of(storeId), "load test " + storeId, "loadtest"));
    }
    Optional<URI> metrics = resolved.metricsPort() == 0 ? Optional.empty()
        : Optional.of(URI.create("http://127.0.0.1:" + resolved.metricsPort() + "/metrics"));
    return new ServerHandle("127.0.0.1:" + app.grpcPort(),
        Optional.of(new PostgresTarget(resolved.dbUrl().orElseThrow(), resolved.dbUser(),
            resolved.dbPassword())),
        resolved.dbPoolSize(), metrics, app, keys);
  }

  /** The API key of each store, for a server started here; empty otherwise. */
  Map<String, String> keysByStore() {
    Map<String, String> secrets = new LinkedHashMap<>();
    keys.forEach((store, created) -> secrets.put(store, created.secret()));
    return secrets;
  }

  String target() {
    return target;
  }

  /** The server's database, when known: needed to seed and for the SQL ceiling. */
  Optional<PostgresTarget> db() {
    return db;
  }

  int poolSize() {
    return poolSize;
  }

  Optional<URI> metrics() {
    return metrics;
  }

  boolean inProcess() {
    return app != null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (app != null) {
      keys.values().forEach(k -> app.component().apiKeys().revoke(k.key().keyId(), "loadtest"));
      app.close();
    }
  }
}
