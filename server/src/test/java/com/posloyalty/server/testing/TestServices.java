package com.posloyalty.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import redis.embedded.RedisServer;

/**
 * The real PostgreSQL and Redis the tests use: the machine's own when they listen on
 * 127.0.0.1:5432 / 6379, otherwise embedded ones started once per test JVM. Each test
 * class gets its own database and its own Redis key prefix, so classes cannot leak into
 * each other.
 */
public final class TestServices {

  private static String postgresBase;
  private static String redisUrl;
  private static EmbeddedPostgres embeddedPostgres;
  private static RedisServer embeddedRedis;

  private TestServices() {}

  /** A new, empty database; returns its JDBC URL (user postgres, no password). */
  public static synchronized String newDatabase(String hint) {
    String base = postgresBase();
    String name = ("t_" + hint.replaceAll("[^A-Za-z0-9]", "_") + "_"
        + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(base + "postgres", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
    }
    return base + name;
  }

  /** A new database with every migration run; returns its JDBC URL (as {@link #newDatabase}). */
  public static String migratedDatabase(String hint) {
    String url = newDatabase(hint);
    Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration")
        .load().migrate();
    return url;
  }

  /** A Redis URL and, for isolation, use a fresh key prefix with it. */
  public static synchronized String redisUrl() {
    if (redisUrl == null) {
      if (listening(6379)) {
        redisUrl = "redis://127.0.0.1:6379";
      } else {
        int port = freePort();
        embeddedRedis = startRedis(port);
        redisUrl = "redis://127.0.0.1:" + port;
      }
    }
    return redisUrl;
  }

  public static String newKeyPrefix(String hint) {
    return "t" + hint.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Starts a private Redis on {@code port} (tests that stop and restart Redis use their own). */
  public static RedisServer startRedis(int port) {
    try {
      RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
          .setting("save \"\"").setting("appendonly no").build();
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded Redis: " + e.getMessage(), e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String postgresBase() {
    if (postgresBase == null) {
      if (listening(5432) && canLogIn("jdbc:postgresql://127.0.0.1:5432/postgres")) {
        postgresBase = "jdbc:postgresql://127.0.0.1:5432/";
      } else {
        try {
          embeddedPostgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
          throw new IllegalStateException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
        postgresBase = "jdbc:postgresql://127.0.0.1:" + embeddedPostgres.getPort() + "/";
      }
    }
    return postgresBase;
  }

  private static boolean canLogIn(String url) {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
