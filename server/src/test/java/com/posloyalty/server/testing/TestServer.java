package com.posloyalty.server.testing;

import com.posloyalty.server.Application;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.config.Settings;
import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.MemberAdminServiceGrpc;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.server.domain.Scope;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server for a test class: its own database and Redis key prefix, gRPC over
 * Netty on a free loopback port, and a plaintext channel to it.
 */
public final class TestServer implements AutoCloseable {

  private final Application app;
  private final ManagedChannel channel;
  private final String jdbcUrl;
  private final String redisUrl;
  private final String keyPrefix;

  private final String apiKey;

  private TestServer(Application app, String jdbcUrl, String redisUrl, String keyPrefix) {
    this.app = app;
    this.apiKey = app.component().apiKeys().create(
        java.util.EnumSet.of(Scope.BACKOFFICE, Scope.ADMIN), java.util.Optional.empty(),
        "test harness", "test").secret();
    this.jdbcUrl = jdbcUrl;
    this.redisUrl = redisUrl;
    this.keyPrefix = keyPrefix;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", app.grpcPort()).usePlaintext()
        .build();
  }

  /** A server on a fresh database with the default (minimal) program. */
  public static TestServer start(String name, Clock clock, Map<String, String> extra) {
    return start(TestServices.newDatabase(name), TestServices.redisUrl(), name, clock, extra);
  }

  /**
   * A server on a fresh database whose program is first set up by {@code setupSql} (run
   * after the migrations, before the server reads the program).
   */
  public static TestServer startWithProgram(String name, Clock clock, Map<String, String> extra,
      String... setupSql) {
    String url = TestServices.migratedDatabase(name);
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement()) {
      for (String sql : setupSql) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return start(url, TestServices.redisUrl(), name, clock, extra);
  }

  /** A server on the given database and Redis (tests that share or break them). */
  public static TestServer start(String jdbcUrl, String redisUrl, String name, Clock clock,
      Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("LOYALTY_DB_URL", jdbcUrl);
    env.put("LOYALTY_REDIS_URL", redisUrl);
    String prefix = TestServices.newKeyPrefix(name);
    env.put("LOYALTY_REDIS_KEY_PREFIX", prefix);
    env.put("LOYALTY_GRPC_PORT", "0");
    env.put("LOYALTY_METRICS_PORT", "0");
    env.put("LOYALTY_BIND_ADDRESS", "127.0.0.1");
    env.put("LOYALTY_SHUTDOWN_GRACE_SECONDS", "2");
    env.put("LOYALTY_PLAINTEXT", "true");
    env.put("LOYALTY_RATE_LIMIT_CHECKOUT", "100000");
    env.put("LOYALTY_RATE_LIMIT_BACKOFFICE", "100000");
    env.put("LOYALTY_RATE_LIMIT_ADMIN", "100000");
    env.put("LOYALTY_IDENTIFY_FAILURES_PER_MINUTE", "100000");
    env.put("LOYALTY_APP_TOKEN_KEYS", "t1=" + java.util.Base64.getEncoder()
        .encodeToString("test-app-token-key-0123456789abcdef".getBytes()));
    env.putAll(extra);
    try {
      ServerConfig config = ServerConfig.from(Settings.of(env));
      return new TestServer(Application.start(config, clock), jdbcUrl, redisUrl,
          config.redisKeyPrefix());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** CheckoutService with the harness's key (back office and admin, any store). */
  public CheckoutServiceGrpc.CheckoutServiceBlockingStub checkout() {
    return CheckoutServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(apiKey))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public MemberAdminServiceGrpc.MemberAdminServiceBlockingStub memberAdmin() {
    return MemberAdminServiceGrpc.newBlockingStub(channel).withCallCredentials(bearer(apiKey))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public com.posloyalty.v1.ProgramAdminServiceGrpc.ProgramAdminServiceBlockingStub programAdmin() {
    return com.posloyalty.v1.ProgramAdminServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(bearer(apiKey)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** The harness's API key (scopes BACKOFFICE and ADMIN, no store). */
  public String apiKey() {
    return apiKey;
  }

  /** Sends {@code authorization: Bearer <key>} on every call. */
  public static CallCredentials bearer(String key) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, java.util.concurrent.Executor executor,
          MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
            "Bearer " + key);
        applier.apply(headers);
      }
    };
  }

  public ManagedChannel channel() {
    return channel;
  }

  public Application app() {
    return app;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String redisUrl() {
    return redisUrl;
  }

  /** The prefix of this server's Redis keys, without the separator. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /** Runs SQL against the server's database (test set-up and checks). */
  public void sql(String... statements) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A single number from a query. */
  public long queryLong(String query) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement();
        var rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Deletes this server's keys from Redis, as a Redis restart would (for tests that change
   * rows behind the service's back and need it to read them again).
   */
  public void flushCache() {
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redisUrl);
    try (var connection = client.connect()) {
      var keys = connection.sync().keys(keyPrefix + ":*");
      if (!keys.isEmpty()) {
        connection.sync().del(keys.toArray(String[]::new));
      }
    } finally {
      client.shutdown();
    }
  }

  public static PointOfSale lane(String store, String terminal) {
    return PointOfSale.newBuilder().setStoreId(store).setTerminalId(terminal)
        .setChannel(Channel.CHANNEL_STAFFED_LANE).build();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.close();
  }
}
