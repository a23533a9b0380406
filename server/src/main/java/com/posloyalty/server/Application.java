package com.posloyalty.server;

import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.embedded.EmbeddedServices;
import com.posloyalty.server.wiring.DaggerServerComponent;
import com.posloyalty.server.wiring.ServerComponent;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server: embedded services if configured so, the object graph, migrations,
 * the gRPC server, the scheduled jobs and the metrics endpoint. {@link #close} stops them
 * in reverse order: stop accepting, drain in-flight calls, then close the pools.
 */
public final class Application implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Application.class);

  private final EmbeddedServices embedded;
  private final ServerComponent component;
  private final Scheduler scheduler;
  private final HttpServer metricsHttp;

  private Application(EmbeddedServices embedded, ServerComponent component, Scheduler scheduler,
      HttpServer metricsHttp) {
    this.embedded = embedded;
    this.component = component;
    this.scheduler = scheduler;
    this.metricsHttp = metricsHttp;
  }

  public static Application start(ServerConfig config, Clock clock) throws IOException {
    EmbeddedServices embedded = EmbeddedServices.startIfNeeded(withDemoSecrets(config));
    ServerComponent component = DaggerServerComponent.factory().create(embedded.config(), clock);
    migrate(embedded.config());
    if (config.demoData()) {
      DemoData.seed(component);
      DemoKeys.ensure(component, config.dataDir());
    }
    if (config.security().plaintext()) {
      log.warn("gRPC is PLAINTEXT on {} (LOYALTY_PLAINTEXT): for local use only; configure"
          + " LOYALTY_TLS_CERT_FILE and LOYALTY_TLS_KEY_FILE elsewhere", config.bindAddress());
    }
    component.server().start();
    Scheduler scheduler = new Scheduler(component, embedded.config());
    scheduler.start();
    HttpServer http = config.metricsPort() == 0 ? null : metrics(component, config);
    log.info("POS Loyalty serving gRPC on {}:{}{}", config.bindAddress(),
        component.server().port(),
        http == null ? "" : ", metrics on :" + http.getAddress().getPort() + "/metrics");
    return new Application(embedded, component, scheduler, http);
  }

  /** The demo program also gets an app-token key kept in the data folder. */
  private static ServerConfig withDemoSecrets(ServerConfig config) throws IOException {
    if (!config.demoData() || config.security().appTokenKeys().isPresent()) {
      return config;
    }
    return config.withSecurity(
        config.security().withAppTokenKeys(DemoKeys.appTokenKeys(config.dataDir())));
  }

  /**
   * Runs {@code work} against the configured database and Redis without serving gRPC
   * (the maintenance commands), then closes everything.
   */
  public static <T> T withComponent(ServerConfig config, Clock clock,
      Function<ServerComponent, T> work) throws IOException {
    try (EmbeddedServices embedded = EmbeddedServices.startIfNeeded(config)) {
      ServerComponent component = DaggerServerComponent.factory().create(embedded.config(), clock);
      try {
        migrate(embedded.config());
        return work.apply(component);
      } finally {
        component.redis().close();
        component.dataSource().close();
      }
    }
  }

  /**
   * Runs the migrations on their own connection, not through the lane pool and its short
   * timeout: start-up may wait for a database that is still coming up.
   */
  private static void migrate(ServerConfig config) {
    Flyway.configure()
        .dataSource(config.dbUrl().orElseThrow(), config.dbUser(), config.dbPassword())
        .connectRetries(10)
        .locations("classpath:db/migration").load().migrate();
  }

  private static HttpServer metrics(ServerComponent component, ServerConfig config)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(config.bindAddress(),
        config.metricsPort()), 0);
    http.createContext("/metrics", exchange -> {
      byte[] body = component.metrics().scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    http.start();
    return http;
  }

  public int grpcPort() {
    return component.server().port();
  }

  public ServerComponent component() {
    return component;
  }

  public ServerConfig config() {
    return embedded.config();
  }

  public void blockUntilShutdown() throws InterruptedException {
    component.server().blockUntilShutdown();
  }

  @Override
  public void close() {
    try {
      component.server().stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.close();
    if (metricsHttp != null) {
      metricsHttp.stop(0);
    }
    component.redis().close();
    component.dataSource().close();
    try {
      embedded.close();
    } catch (IOException e) {
      log.warn("embedded services did not stop cleanly: {}", e.toString());
    }
    log.info("POS Loyalty stopped");
  }
}
