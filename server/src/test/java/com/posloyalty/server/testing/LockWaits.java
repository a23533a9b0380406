package com.posloyalty.server.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Waits until a session of a database waits for a lock another session holds. */
public final class LockWaits {

  private LockWaits() {}

  /** Blocks until some session of {@code jdbcUrl}'s database waits on a lock (10 s at most). */
  public static void awaitOne(String jdbcUrl) {
    await(jdbcUrl, 1);
  }

  /** Blocks until {@code sessions} sessions of the database wait on locks (10 s at most). */
  public static void await(String jdbcUrl, int sessions) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
          rs.next();
          if (rs.getLong(1) >= sessions) {
            return;
          }
        }
        Thread.sleep(10);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new AssertionError(sessions + " sessions did not come to wait on locks within 10 s");
  }
}
