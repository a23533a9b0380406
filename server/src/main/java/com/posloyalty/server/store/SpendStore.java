package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.inject.Inject;
import javax.inject.Singleton;

/** Qualifying spend for tiers: purchases add, returns subtract. */
@Singleton
public final class SpendStore {

  /** A member's spend in (since, until]; parameters member id, since, until. */
  static final String WINDOW_SUM = windowSum("?");

  /**
   * The spend of {@code member} (an SQL expression: a parameter, or a column of the enclosing
   * query) in (since, until]; parameters since, until.
   */
  static String windowSum(String member) {
    return "SELECT COALESCE(SUM(amount_minor), 0) FROM spend_events WHERE member_id = "
        + member + " AND occurred_at > ? AND occurred_at <= ?";
  }

  @Inject
  public SpendStore() {}

  public void record(Connection c, String memberId, Instant occurredAt, long amountMinor,
      String referenceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO spend_events (member_id, occurred_at, amount_minor, reference_id) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, memberId);
      ps.setTimestamp(2, Timestamp.from(occurredAt));
      ps.setLong(3, amountMinor);
      ps.setString(4, referenceId);
      ps.executeUpdate();
    }
  }

  /** Spend in (since, until]. */
  public long sum(Connection c, String memberId, Instant since, Instant until) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(WINDOW_SUM)) {
      ps.setString(1, memberId);
      ps.setTimestamp(2, Timestamp.from(since));
      ps.setTimestamp(3, Timestamp.from(until));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return Math.max(0, rs.getLong(1));
      }
    }
  }
}
