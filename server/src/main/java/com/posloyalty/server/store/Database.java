package com.posloyalty.server.store;

import com.posloyalty.server.domain.Refusal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import javax.inject.Inject;
import javax.inject.Singleton;
import javax.sql.DataSource;

/**
 * The one place transactions begin and end. Work runs in READ COMMITTED with the
 * conditional updates and unique keys of the repositories providing the invariants;
 * a deadlock or serialization failure reruns the whole unit of work, and an unreachable
 * database becomes {@link StoreUnavailableException} at once.
 *
 * <p>A circuit breaker keeps an outage from costing every call the pool's connection
 * timeout: once a connection attempt or a session fails for want of PostgreSQL, calls fail
 * immediately until the next {@link #probe} (every second, from the health reporter)
 * reaches it again, so recovery needs no restart.
 */
@Singleton
public final class Database {

  private static final int MAX_ATTEMPTS = 3;

  private final DataSource dataSource;
  private volatile boolean reachable = true;

  @Inject
  public Database(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Runs {@code work} in a transaction, committing if it returns and rolling back if it throws.
   * When the connection is lost during the COMMIT itself, PostgreSQL may or may not have
   * committed: that failure says so ({@link StoreUnavailableException#outcomeUnknown()}), so
   * it is never reported as a change that certainly did not happen.
   */
  public <T> T inTransaction(SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = connect()) {
        return transaction(c, work, true);
      } catch (SQLException e) {
        if (isRetryable(e) && attempt < MAX_ATTEMPTS) {
          continue;
        }
        throw failure(e);
      }
    }
  }

  /**
   * Runs read-only work in one REPEATABLE READ transaction: every statement sees the same
   * snapshot, taken at the first.
   */
  public <T> T snapshot(SqlWork<T> work) {
    try (Connection c = connect()) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      return transaction(c, work, false);
    } catch (SQLException e) {
      throw translate(e);
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

  /**
   * Asks PostgreSQL itself (past the breaker) whether it answers, and opens or closes the
   * breaker accordingly.
   */
  public boolean probe() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      s.execute("SELECT 1");
      reachable = true;
    } catch (SQLTransientConnectionException e) {
      // Every pooled connection busy (no cause) means PostgreSQL is answering the calls.
      reachable = e.getCause() == null;
    } catch (SQLException | RuntimeException e) {
      reachable = false;
    }
    return reachable;
  }

  private Connection connect() throws SQLException {
    if (!reachable) {
      throw new StoreUnavailableException("database unavailable (last probe failed)", null);
    }
    try {
      return dataSource.getConnection();
    } catch (SQLTransientConnectionException e) {
      // A pool timeout with a cause means opening a connection failed; without one, the
      // pool was merely busy and PostgreSQL itself is fine.
      if (e.getCause() != null) {
        reachable = false;
      }
      throw new StoreUnavailableException("database unavailable: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} on {@code c} as one transaction: committed when it returns, rolled back
   * when it throws. Only a transaction that {@code writes} can leave its outcome unknown.
   */
  private <T> T transaction(Connection c, SqlWork<T> work, boolean writes) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run(c);
      if (writes) {
        commit(c);
      } else {
        c.commit();
      }
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    }
  }

  private void commit(Connection c) throws SQLException {
    try {
      c.commit();
    } catch (SQLException e) {
      if (translate(e) instanceof StoreUnavailableException) {
        reachable = false;
        throw new StoreUnavailableException("the connection to the database was lost while"
            + " committing: the change may have been applied (" + e.getMessage() + ")", e, true);
      }
      throw e;
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

  private RuntimeException failure(SQLException e) {
    RuntimeException translated = translate(e);
    if (translated instanceof StoreUnavailableException) {
      reachable = false;
    }
    return translated;
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
    if ("22021".equals(state)) {
      // Text PostgreSQL cannot store (U+0000) that got past the edge checks: the caller's input.
      return Refusal.of(Refusal.Kind.INVALID_ARGUMENT, "INVALID_CHARACTERS",
          "a text field contains a character that cannot be stored (U+0000)");
    }
    return new IllegalStateException("database error " + state + ": " + e.getMessage(), e);
  }
}
