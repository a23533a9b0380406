package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
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

  /** The insert of several events, its five parameters arrays (in {@link #bindAll} order). */
  static final String INSERT_ALL = "INSERT INTO outbox_events (event_type, member_id, store_id,"
      + " payload, created_at) SELECT * FROM unnest(?::text[], ?::text[], ?::text[],"
      + " ?::bytea[], ?::timestamptz[])";

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

  /** {@link #bind} for several events, as five arrays; returns the next index. */
  static int bindAll(Connection c, PreparedStatement ps, int first, List<Event> events)
      throws SQLException {
    int n = events.size();
    String[] types = new String[n];
    String[] members = new String[n];
    String[] stores = new String[n];
    byte[][] payloads = new byte[n][];
    Timestamp[] created = new Timestamp[n];
    for (int k = 0; k < n; k++) {
      Event e = events.get(k);
      types[k] = e.eventType();
      members[k] = e.memberId();
      stores[k] = e.storeId();
      payloads[k] = e.payload();
      created[k] = Timestamp.from(e.createdAt());
    }
    int i = first;
    ps.setArray(i++, c.createArrayOf("text", types));
    ps.setArray(i++, c.createArrayOf("text", members));
    ps.setArray(i++, c.createArrayOf("text", stores));
    ps.setArray(i++, c.createArrayOf("bytea", payloads));
    ps.setArray(i++, c.createArrayOf("timestamptz", created));
    return i;
  }
}
