package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The transactional outbox behind EventService: every change appends its event here in
 * the same transaction, so the feed can never miss or invent a change.
 */
@Singleton
public final class Outbox {

  @Inject
  public Outbox() {}

  public void append(Connection c, String eventType, String memberId, String storeId,
      byte[] payload, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO outbox_events (event_type, member_id, store_id, payload, created_at)"
            + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, eventType);
      ps.setString(2, memberId);
      ps.setString(3, storeId);
      ps.setBytes(4, payload);
      ps.setTimestamp(5, Timestamp.from(now));
      ps.executeUpdate();
    }
  }
}
