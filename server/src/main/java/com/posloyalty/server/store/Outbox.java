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

  /** An event to append. */
  public record Event(String eventType, String memberId, String storeId, byte[] payload,
      Instant createdAt) {}

  /** The insert with its five parameters (in {@link #bind} order) as values. */
  static final String INSERT = "INSERT INTO outbox_events (event_type, member_id, store_id,"
      + " payload, created_at) VALUES (?, ?, ?, ?, ?)";

  @Inject
  public Outbox() {}

  public void append(Connection c, String eventType, String memberId, String storeId,
      byte[] payload, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      bind(ps, 1, new Event(eventType, memberId, storeId, payload, now));
      ps.executeUpdate();
    }
  }

  /** Binds the event's five values from parameter {@code first} on; returns the next index. */
  static int bind(PreparedStatement ps, int first, Event e) throws SQLException {
    int i = first;
    ps.setString(i++, e.eventType());
    ps.setString(i++, e.memberId());
    ps.setString(i++, e.storeId());
    ps.setBytes(i++, e.payload());
    ps.setTimestamp(i++, Timestamp.from(e.createdAt()));
    return i;
  }
}
