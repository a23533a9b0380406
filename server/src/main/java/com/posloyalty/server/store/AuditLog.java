package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Who changed what, when and why. Details never contain raw phones, e-mails or card
 * numbers: callers pass masked values.
 */
@Singleton
public final class AuditLog {

  @Inject
  public AuditLog() {}

  public void record(Connection c, String memberId, String action, String actor, String detail,
      Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO audit_log (member_id, action, actor, detail, created_at) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, memberId);
      ps.setString(2, action);
      ps.setString(3, actor);
      ps.setString(4, detail);
      ps.setTimestamp(5, Timestamp.from(now));
      ps.executeUpdate();
    }
  }
}
