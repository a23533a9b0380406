package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.inject.Inject;
import javax.inject.Singleton;
import javax.sql.DataSource;

/**
 * The one place transactions begin and end. Work runs in READ COMMITTED with the
 * conditional updates and unique keys of the repositories providing the invariants;
 * a deadlock or serialization failure reruns the whole unit of work, and an unreachable
 * database becomes {@link StoreUnavailableException} at once.
 */
@Singleton
public final class Database {

  private static final int MAX_ATTEMPTS = 3;

  private final DataSource dataSource;

  @Inject
  public Database(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Runs {@code work} in a transaction, committing if it returns and rolling back if it throws. */
  public <T> T inTransaction(SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = connect()) {
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        if (isRetryable(e) && attempt < MAX_ATTEMPTS) {
          continue;
        }
        throw translate(e);
      }
    }
  }

  /** Runs read-only work on an autocommit connection. */
  public <T> T read(SqlWork<T> work) {
    try (Connection c = connect()) {
      return work.run(c);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  private Connection connect() throws SQLException {
    try {
      return dataSource.getConnection();
    } catch (SQLTransientConnectionException e) {
      throw new StoreUnavailableException("database unavailable: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it and the server never committed.
    }
  }

  private static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  static RuntimeException translate(SQLException e) {
    String state = e.getSQLState();
    if ("23505".equals(state) && e instanceof org.postgresql.util.PSQLException p
        && p.getServerErrorMessage() != null) {
      return new DuplicateKeyException(p.getServerErrorMessage().getConstraint(), e);
    }
    if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
      return new StoreUnavailableException("database unavailable: " + e.getMessage(), e);
    }
    if (e instanceof SQLTransientConnectionException) {
      return new StoreUnavailableException("database unavailable: " + e.getMessage(), e);
    }
    return new IllegalStateException("database error " + state + ": " + e.getMessage(), e);
  }
}
