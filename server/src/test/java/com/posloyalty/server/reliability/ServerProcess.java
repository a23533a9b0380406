package com.posloyalty.server.reliability;

import com.posloyalty.server.Application;
import com.posloyalty.server.Main;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.config.Settings;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.TestServices;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server in its own JVM ({@code com.posloyalty.server.Main serve}), as an operator runs
 * it: configured by {@code LOYALTY_*} variables only, on a fixed loopback port so that a
 * restarted process is found where the killed one was. Its output goes to
 * {@code target/reliability/logs/<name>.log}.
 */
final class ServerProcess implements AutoCloseable {

  static final Path LOGS = Path.of("target", "reliability", "logs");
  /** Every process started and not yet stopped: killed if the test JVM itself is stopped. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> RUNNING.forEach(Process::destroyForcibly), "kill-server-processes"));
  }

  private final String name;
  private final Map<String, String> env;
  private final int port;
  private Process process;
  private volatile ManagedChannel channel;

  private ServerProcess(String name, Map<String, String> env, int port) {
    this.name = name;
    this.env = env;
    this.port = port;
  }

  /**
   * The settings of a server on {@code dbUrl} and {@code redisUrl}: plaintext on loopback,
   * its own Redis key prefix, rate limits out of the way of the load.
   */
  static Map<String, String> settings(String dbUrl, String redisUrl, String name) {
    Map<String, String> env = new HashMap<>();
    env.put("LOYALTY_DB_URL", dbUrl);
    env.put("LOYALTY_DB_USER", "postgres");
    env.put("LOYALTY_REDIS_URL", redisUrl);
    env.put("LOYALTY_REDIS_KEY_PREFIX", TestServices.newKeyPrefix(name));
    env.put("LOYALTY_METRICS_PORT", "0");
    env.put("LOYALTY_BIND_ADDRESS", "127.0.0.1");
    env.put("LOYALTY_PLAINTEXT", "true");
    env.put("LOYALTY_SHUTDOWN_GRACE_SECONDS", "2");
    env.put("LOYALTY_RATE_LIMIT_CHECKOUT", "100000");
    env.put("LOYALTY_RATE_LIMIT_BACKOFFICE", "100000");
    env.put("LOYALTY_RATE_LIMIT_ADMIN", "100000");
    env.put("LOYALTY_IDENTIFY_FAILURES_PER_MINUTE", "100000");
    return env;
  }

  /**
   * Migrates the database and creates a back-office and admin key (any store, every
   * service), without serving: the key store keeps only hashes, so a key cannot be made by
   * SQL.
   */
  static String createKey(Map<String, String> settings) {
    try {
      return Application.withComponent(ServerConfig.from(Settings.of(settings)), Clock.systemUTC(),
          c -> c.apiKeys().create(EnumSet.of(Scope.BACKOFFICE, Scope.ADMIN), Optional.empty(),
              "reliability", "reliability-suite").secret());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a server on a free port and waits until it reports SERVING. */
  static ServerProcess start(String name, Map<String, String> settings) {
    ServerProcess server = new ServerProcess(name, Map.copyOf(settings), TestServices.freePort());
    server.launch();
    server.awaitServing(Duration.ofSeconds(90));
    return server;
  }

  /** Starts the process again on the same port (after {@link #kill} or {@link #stop}). */
  void restart() {
    launch();
    awaitServing(Duration.ofSeconds(90));
  }

  private synchronized void launch() {
    try {
      Files.createDirectories(LOGS);
      Path log = LOGS.resolve(name + ".log");
      ProcessBuilder pb = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + LOGS.resolve(name + ".gc.log"),
          // The test classpath carries logback-test.xml: keep this process's log apart from
          // the test JVM's own (which the PII scan reads).
          "-Dloyalty.testlog=" + LOGS.resolve(name + ".full.log"),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve");
      pb.environment().keySet().removeIf(k -> k.startsWith("LOYALTY_"));
      pb.environment().putAll(env);
      pb.environment().put("LOYALTY_GRPC_PORT", Integer.toString(port));
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      process = pb.start();
      RUNNING.add(process);
      ManagedChannel old = channel;
      // A fresh channel: the old one may be in a reconnect back-off from the dead process.
      channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      if (old != null) {
        old.shutdownNow();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start server " + name, e);
    }
  }

  ManagedChannel channel() {
    return channel;
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** The health of {@code service} ("" for the whole server), or null if it cannot be asked. */
  /** Polls {@code service}'s health for {@code millis}; whether it showed {@code status}. */
  boolean healthShows(String service, ServingStatus status, long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    boolean seen = false;
    while (System.nanoTime() < end) {
      seen |= health(service) == status;
      sleep(100);
    }
    return seen;
  }

  ServingStatus health(String service) {
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(500, TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    } catch (StatusRuntimeException e) {
      return null;
    }
  }

  /** Waits until the server's overall health is {@code wanted}; returns how long it took. */
  Duration awaitHealth(ServingStatus wanted, Duration timeout) {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!alive()) {
        throw new IllegalStateException(
            "server " + name + " exited; see " + LOGS.resolve(name + ".log"));
      }
      if (health("") == wanted) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      sleep(50);
    }
    throw new IllegalStateException("server " + name + " not " + wanted + " within " + timeout);
  }

  private void awaitServing(Duration timeout) {
    awaitHealth(ServingStatus.SERVING, timeout);
  }

  /** SIGKILL: no shutdown hook, no draining, no closing of pools. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** SIGTERM: graceful shutdown. */
  void stop() {
    process.destroy();
    waitForExit();
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(process);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops every server given, in parallel (each stop waits for its process). */
  static void stopAll(List<ServerProcess> servers) {
    servers.parallelStream().forEach(ServerProcess::close);
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (alive()) {
      stop();
    }
  }
}
