package com.posloyalty.loadtest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The SQL ceiling: the write a commit cannot do without — update one balance row, insert
 * one ledger row, commit — straight over JDBC with the server's pool size, on the hot
 * set's members, against the same PostgreSQL. The entry moves 0 points, so the ledger
 * and balance invariants hold; the rows stay in the ledger like any other entry.
 */
final class SqlCeilingScenario implements Scenario, AutoCloseable {

  static final String NAME = "ceiling-sql";
  private static final String UPDATE_BALANCE = "UPDATE balances SET available = available + ?,"
      + " version = version + 1, updated_at = ? WHERE member_id = ? RETURNING available";
  private static final String INSERT_ENTRY = "INSERT INTO ledger_entries (member_id, entry_type,"
      + " points, balance_after, created_at, occurred_at, store_id, terminal_id, channel,"
      + " operator_id, reference_id, description, actor)"
      + " VALUES (?, 'ADJUST', 0, ?, ?, ?, 'store-1', 'lane-1', 'STAFFED_LANE', NULL,"
      + " 'sql-ceiling', 'Load test SQL ceiling (0 points)', 'loadtest')";

  private final HotSet hot;
  private final HikariDataSource pool;
  private final ExecutorService workers;

  SqlCeilingScenario(PostgresTarget db, int poolSize, HotSet hot) {
    this.hot = hot;
    HikariConfig config = new HikariConfig();
    config.setPoolName("sql-ceiling");
    config.setJdbcUrl(db.url());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(poolSize);
    this.pool = new HikariDataSource(config);
    // One thread per connection, like the server's workers blocking on JDBC.
    this.workers = Executors.newFixedThreadPool(poolSize);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> operations() {
    return List.of("sql-transaction");
  }

  @Override
  public String headline() {
    return "sql-transaction";
  }

  @Override
  public CompletableFuture<?> arrive(long dueNanos, Recording recording) {
    String memberId = Population.memberId(hot.pick());
    return recording.op("sql-transaction").time(dueNanos,
        () -> CompletableFuture.runAsync(() -> transact(memberId), workers));
  }

  private void transact(String memberId) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        Timestamp now = Timestamp.from(Instant.now());
        long available;
        try (PreparedStatement ps = c.prepareStatement(UPDATE_BALANCE)) {
          ps.setLong(1, 0);
          ps.setTimestamp(2, now);
          ps.setString(3, memberId);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              throw new SQLException("no balance row for " + memberId, "02000");
            }
            available = rs.getLong(1);
          }
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_ENTRY)) {
          ps.setString(1, memberId);
          ps.setLong(2, available);
          ps.setTimestamp(3, now);
          ps.setTimestamp(4, now);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    pool.close();
  }
}
