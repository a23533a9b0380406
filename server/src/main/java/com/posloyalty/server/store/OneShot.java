package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.PGStatement;

/**
 * Statements PostgreSQL plans on every execution, with the values bound, instead of the
 * generic plan it caches for a prepared statement after a few executions. For the
 * statements that join arrays of rows (a commit group's) the generic plan guesses ten rows
 * per array and the table sizes of the moment it was made: made while a table is small, it
 * scans that table whole, and keeps doing so as the table grows (measured: 411 buffer reads
 * per completion, 2.1 ms, after a few thousand sales on a fresh database). Planned with the
 * arrays' true lengths, they use the indexes whatever the tables' sizes; the planning costs
 * a fraction of a millisecond per group, shared by its sales.
 */
final class OneShot {

  private OneShot() {}

  static PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    return ps;
  }
}
