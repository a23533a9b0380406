package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How PostgreSQL plans a commit group's statements ({@link TransactionStore#claimAll},
 * {@link SalePosting#postAll}, {@link TransactionStore#completeAll}), which join arrays of
 * rows against tables.
 *
 * <p>Each is prepared once per connection and runs its cached generic plan: planning them at
 * every execution cost PostgreSQL about a millisecond per group (two-fifths of the group
 * statements' time at 1,200 sales/s, measured with {@code pg_stat_statements}). Left to
 * itself, though, the planner makes that generic plan for ten rows per array and the
 * tables' sizes of the moment: made on an empty database it hash-joins a whole scan of
 * {@code transactions} and {@code members}, and keeps doing so as they grow until their
 * statistics change. So a group's transaction first forbids the plans that read a table
 * whole ({@link #SETTINGS}): every row a group touches is then found through its index,
 * whatever the tables' sizes when the plan was made. The settings are {@code SET LOCAL}:
 * they end with the transaction.
 */
public final class GroupPlans {

  /** The settings for the rest of a group's transaction (one round trip). */
  static final String SETTINGS = "SET LOCAL plan_cache_mode = force_generic_plan;"
      + " SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off;"
      + " SET LOCAL enable_mergejoin = off";

  private GroupPlans() {}

  /** Applies {@link #SETTINGS} to the rest of {@code c}'s transaction; call it first. */
  public static void apply(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(SETTINGS);
    }
  }
}
