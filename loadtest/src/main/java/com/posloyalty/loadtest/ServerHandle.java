package com.posloyalty.loadtest;

import com.posloyalty.server.Application;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.config.Settings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server under test: one already running (named by its target), or one this process
 * starts itself with {@link Application#start} — on the embedded default, or on the
 * PostgreSQL and Redis its settings name.
 */
final class ServerHandle implements AutoCloseable {

  private final String target;
  private final Optional<PostgresTarget> db;
  private final int poolSize;
  private final Optional<URI> metrics;
  private final Application app;

  private ServerHandle(String target, Optional<PostgresTarget> db, int poolSize,
      Optional<URI> metrics, Application app) {
    this.target = target;
    this.db = db;
    this.poolSize = poolSize;
    this.metrics = metrics;
    this.app = app;
  }

  static ServerHandle running(String target, Optional<PostgresTarget> db, int poolSize,
      Optional<URI> metrics) {
    return new ServerHandle(target, db, poolSize, metrics, null);
  }

  /**
   * Starts a server in this process. Settings are this process's {@code LOYALTY_*}
   * environment, then an ephemeral gRPC port and a free metrics port, then
   * {@code overrides}.
   */
  static ServerHandle start(Map<String, String> overrides) throws IOException {
    Map<String, String> settings = new HashMap<>();
    System.getenv().forEach((k, v) -> {
      if (k.startsWith("LOYALTY_")) {
        settings.put(k, v);
      }
    });
    settings.put("LOYALTY_GRPC_PORT", "0");
    settings.put("LOYALTY_BIND_ADDRESS", "127.0.0.1");
    settings.put("LOYALTY_METRICS_PORT", Integer.toString(freePort()));
    settings.putAll(overrides);
    ServerConfig config = ServerConfig.from(Settings.of(settings));
    Application app = Application.start(config, Clock.system(config.timeZone()));
    ServerConfig resolved = app.config();
    Optional<URI> metrics = resolved.metricsPort() == 0 ? Optional.empty()
        : Optional.of(URI.create("http://127.0.0.1:" + resolved.metricsPort() + "/metrics"));
    return new ServerHandle("127.0.0.1:" + app.grpcPort(),
        Optional.of(new PostgresTarget(resolved.dbUrl().orElseThrow(), resolved.dbUser(),
            resolved.dbPassword())),
        resolved.dbPoolSize(), metrics, app);
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
      app.close();
    }
  }
}
