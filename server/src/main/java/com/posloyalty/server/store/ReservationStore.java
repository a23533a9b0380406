package com.posloyalty.server.store;

import com.posloyalty.server.store.PointsAccount.LotTake;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/** Redemption reservations and the lots their held points came from. */
@Singleton
public final class ReservationStore {

  /** A reservation as stored. */
  public record Row(
      String reservationId, String memberId, String storeId, String terminalId, String channel,
      String state, long points, String rewardId, long valueMinor, String freeSku,
      Instant createdAt, Instant expiresAt, String transactionId, String posTransactionId,
      long refundedPoints) {

    public boolean held() {
      return "HELD".equals(state);
    }
  }

  private static final String COLUMNS =
      "reservation_id, member_id, store_id, terminal_id, channel, state, points, reward_id,"
          + " value_minor, free_sku, created_at, expires_at, transaction_id, pos_transaction_id,"
          + " refunded_points";

  @Inject
  public ReservationStore() {}

  public void insert(Connection c, Row r, List<LotTake> lots) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO reservations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.reservationId());
      ps.setString(2, r.memberId());
      ps.setString(3, r.storeId());
      ps.setString(4, r.terminalId());
      ps.setString(5, r.channel());
      ps.setString(6, r.state());
      ps.setLong(7, r.points());
      ps.setString(8, r.rewardId());
      ps.setLong(9, r.valueMinor());
      ps.setString(10, r.freeSku());
      ps.setTimestamp(11, Timestamp.from(r.createdAt()));
      ps.setTimestamp(12, Timestamp.from(r.expiresAt()));
      ps.setString(13, r.transactionId());
      ps.setString(14, r.posTransactionId());
      ps.setLong(15, r.refundedPoints());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO reservation_lots (reservation_id, lot_id, points) VALUES (?, ?, ?)")) {
      for (LotTake take : lots) {
        ps.setString(1, r.reservationId());
        ps.setLong(2, take.lotId());
        ps.setLong(3, take.points());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The reservation, its row locked until the transaction ends. */
  public Optional<Row> lock(Connection c, String reservationId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM reservations WHERE reservation_id = ? FOR UPDATE")) {
      ps.setString(1, reservationId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  public List<LotTake> lots(Connection c, String reservationId) throws SQLException {
    List<LotTake> lots = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT lot_id, points FROM reservation_lots WHERE reservation_id = ?")) {
      ps.setString(1, reservationId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lots.add(new LotTake(rs.getLong(1), rs.getLong(2)));
        }
      }
    }
    return lots;
  }

  /** Moves a HELD reservation to RELEASED or EXPIRED. */
  public void finish(Connection c, String reservationId, String state) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE reservations SET state = ? WHERE reservation_id = ? AND state = 'HELD'")) {
      ps.setString(1, state);
      ps.setString(2, reservationId);
      ps.executeUpdate();
    }
  }

  public void capture(Connection c, String reservationId, String transactionId,
      String posTransactionId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE reservations SET state = 'CAPTURED', transaction_id = ?, pos_transaction_id = ?"
            + " WHERE reservation_id = ? AND state = 'HELD'")) {
      ps.setString(1, transactionId);
      ps.setString(2, posTransactionId);
      ps.setString(3, reservationId);
      ps.executeUpdate();
    }
  }

  public List<Row> capturedBy(Connection c, String transactionId) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM reservations WHERE transaction_id = ? ORDER BY reservation_id")) {
      ps.setString(1, transactionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(read(rs));
        }
      }
    }
    return rows;
  }

  public void addRefunded(Connection c, String reservationId, long points) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE reservations SET refunded_points = refunded_points + ? WHERE reservation_id = ?")) {
      ps.setLong(1, points);
      ps.setString(2, reservationId);
      ps.executeUpdate();
    }
  }

  /** Ids of HELD reservations past their expiry (optionally of one member), oldest first. */
  public List<String> overdue(Connection c, Instant now, String memberId, int limit)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT reservation_id FROM reservations WHERE state = 'HELD' AND expires_at <= ?"
            + (memberId == null ? "" : " AND member_id = ?") + " ORDER BY expires_at LIMIT ?")) {
      int i = 1;
      ps.setTimestamp(i++, Timestamp.from(now));
      if (memberId != null) {
        ps.setString(i++, memberId);
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  private static Row read(ResultSet rs) throws SQLException {
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getLong(9),
        rs.getString(10), rs.getTimestamp(11).toInstant(), rs.getTimestamp(12).toInstant(),
        rs.getString(13), rs.getString(14), rs.getLong(15));
  }
}
