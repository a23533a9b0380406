package com.posloyalty.server.store;

import com.posloyalty.server.domain.Balance;
import com.posloyalty.server.domain.Origin;
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

/**
 * A member's points: the balance row, the append-only ledger and the expiring lots, always
 * changed together inside the caller's transaction. Every change first updates the
 * balance row, which takes its row lock, so lot changes for one member are serialised
 * by it. Invariant kept here: available + held = sum of ledger entries, and the lots'
 * remaining points sum to max(available, 0).
 */
@Singleton
public final class PointsAccount {

  /** A ledger entry to write. Positive points add, negative remove. */
  public record Entry(
      String memberId, String type, long points, Instant occurredAt, Origin origin,
      String referenceId, String description, String actor) {}

  /**
   * Bumps the balance version (after a change the lane view shows, such as the tier), which
   * also locks the row until the transaction ends; returns the balance.
   */
  public Balance touch(Connection c, String memberId, Instant now) throws SQLException {
    return moveAvailable(c, memberId, 0, now);
  }

  /** Points taken from one lot by a hold. */
  public record LotTake(long lotId, long points) {}

  @Inject
  public PointsAccount() {}

  public void open(Connection c, String memberId, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO balances (member_id, available, held, version, updated_at) VALUES (?, 0, 0, 0, ?)")) {
      ps.setString(1, memberId);
      ps.setTimestamp(2, Timestamp.from(now));
      ps.executeUpdate();
    }
  }

  public Optional<Balance> balance(Connection c, String memberId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT available, held, version FROM balances WHERE member_id = ?")) {
      ps.setString(1, memberId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Balance(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
            : Optional.empty();
      }
    }
  }

  /**
   * Writes a ledger entry and moves available points by {@code entry.points()}. Credits
   * become a lot expiring at {@code lotExpiry} (none when empty); debits consume the
   * oldest lots first.
   */
  public Balance post(Connection c, Entry entry, Instant now, Optional<Instant> lotExpiry)
      throws SQLException {
    if (entry.points() >= 0) {
      return credit(c, entry, now, lotExpiry);
    }
    // A debit: the lots give up what leaves the positive part of available.
    Balance after = moveAvailable(c, entry.memberId(), entry.points(), now);
    long before = after.available() - entry.points();
    long consumed = Math.max(0, before) - Math.max(0, after.available());
    if (consumed > 0) {
      consumeLots(c, entry.memberId(), consumed);
    }
    appendLedger(c, entry, after.available(), now);
    return after;
  }

  /**
   * Moves {@code points} from available to held if, and only if, that many are available:
   * a conditional update, so two concurrent holds can never spend the same points.
   *
   * @return the lots the points came from, or empty when not enough are available
   */
  public Optional<List<LotTake>> hold(Connection c, String memberId, long points, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE balances SET available = available - ?, held = held + ?, version = version + 1,"
            + " updated_at = ? WHERE member_id = ? AND available >= ?")) {
      ps.setLong(1, points);
      ps.setLong(2, points);
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setString(4, memberId);
      ps.setLong(5, points);
      if (ps.executeUpdate() == 0) {
        return Optional.empty();
      }
    }
    return Optional.of(consumeLots(c, memberId, points));
  }

  /**
   * Gives held points back to available and to the lots they came from. When a return
   * overdrew the balance meanwhile, the points first pay that back and only the rest goes
   * back to the lots, so the lots still sum to max(available, 0).
   */
  public Balance release(Connection c, String memberId, long points, List<LotTake> lots, Instant now)
      throws SQLException {
    Balance after = update(c,
        "UPDATE balances SET available = available + ?, held = held - ?, version = version + 1,"
            + " updated_at = ? WHERE member_id = ? RETURNING available, held, version",
        memberId, points, points, now);
    long restore = Math.max(0, after.available()) - Math.max(0, after.available() - points);
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE point_lots SET remaining = remaining + ? WHERE lot_id = ?")) {
      for (LotTake take : lots) {
        long back = Math.min(restore, take.points());
        if (back > 0) {
          ps.setLong(1, back);
          ps.setLong(2, take.lotId());
          ps.addBatch();
          restore -= back;
        }
      }
      ps.executeBatch();
    }
    return after;
  }

  /** Spends held points: the held balance and the ledger both go down by {@code points}. */
  public Balance capture(Connection c, Entry entry, Instant now) throws SQLException {
    long points = -entry.points();
    Balance after = update(c,
        "UPDATE balances SET held = held - ?, version = version + 1, updated_at = ?"
            + " WHERE member_id = ? RETURNING available, held, version",
        entry.memberId(), points, null, now);
    appendLedger(c, entry, after.available(), now);
    return after;
  }

  /** The member's lots with points left that expire by a time; parameters member id, until. */
  static final String EXPIRING_LOTS = expiringLots("?");

  /**
   * The lots of {@code member} (an SQL expression: a parameter, or a column of the enclosing
   * query) with points left that expire by a time; parameter until.
   */
  static String expiringLots(String member) {
    return "SELECT remaining, expires_at FROM point_lots WHERE member_id = " + member
        + " AND remaining > 0 AND expires_at <= ?";
  }

  /** Points of the member's lots expiring before {@code until}, and the earliest expiry. */
  public ExpiringPoints expiring(Connection c, String memberId, Instant until) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(SUM(remaining), 0), MIN(expires_at) FROM (" + EXPIRING_LOTS + ") e")) {
      ps.setString(1, memberId);
      ps.setTimestamp(2, Timestamp.from(until));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Timestamp first = rs.getTimestamp(2);
        return new ExpiringPoints(rs.getLong(1),
            first == null ? Optional.empty() : Optional.of(first.toInstant()));
      }
    }
  }

  /**
   * Expires the member's lots that reached their expiry: zeroes them and writes one
   * EXPIRE entry for their sum. Held points are not in any lot, so they never expire.
   *
   * @return the points expired (0 when nothing was due)
   */
  public long expireLots(Connection c, String memberId, Instant now) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(
        "SELECT 1 FROM balances WHERE member_id = ? FOR UPDATE")) {
      lock.setString(1, memberId);
      lock.executeQuery().close();
    }
    long total = 0;
    try (PreparedStatement ps = c.prepareStatement(
        "WITH due AS (SELECT lot_id, remaining FROM point_lots WHERE member_id = ?"
            + " AND remaining > 0 AND expires_at <= ? FOR UPDATE)"
            + " UPDATE point_lots p SET remaining = 0 FROM due WHERE p.lot_id = due.lot_id"
            + " RETURNING due.remaining")) {
      ps.setString(1, memberId);
      ps.setTimestamp(2, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          total += rs.getLong(1);
        }
      }
    }
    if (total > 0) {
      Balance after = moveAvailable(c, memberId, -total, now);
      appendLedger(c, new Entry(memberId, "EXPIRE", -total, now, null, "expiry",
          "Points expired", "system"), after.available(), now);
    }
    return total;
  }

  /** Members with lots due to expire at {@code now}, at most {@code limit}. */
  public List<String> membersWithExpiringLots(Connection c, Instant now, int limit)
      throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT DISTINCT member_id FROM point_lots WHERE remaining > 0 AND expires_at <= ?"
            + " LIMIT ?")) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * Members whose balance differs from the sum of their ledger entries (should be none),
   * among {@code memberIds} (all members when empty).
   */
  public List<Mismatch> verify(Connection c, List<String> memberIds) throws SQLException {
    List<Mismatch> out = new ArrayList<>();
    String filter = memberIds.isEmpty() ? "" : " AND b.member_id = ANY(?)";
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT b.member_id, b.available, b.held, COALESCE(l.total, 0) FROM balances b"
            + " LEFT JOIN (SELECT member_id, SUM(points) AS total FROM ledger_entries"
            + " GROUP BY member_id) l ON l.member_id = b.member_id"
            + " WHERE b.available + b.held <> COALESCE(l.total, 0)" + filter
            + " ORDER BY b.member_id")) {
      if (!memberIds.isEmpty()) {
        ps.setArray(1, c.createArrayOf("text", memberIds.toArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Mismatch(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return out;
  }

  /** How many balance rows exist among {@code memberIds} (all of them when empty). */
  public long count(Connection c, List<String> memberIds) throws SQLException {
    String filter = memberIds.isEmpty() ? "" : " WHERE member_id = ANY(?)";
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM balances" + filter)) {
      if (!memberIds.isEmpty()) {
        ps.setArray(1, c.createArrayOf("text", memberIds.toArray()));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A member whose balance row disagrees with the ledger. */
  public record Mismatch(String memberId, long available, long held, long ledgerSum) {}

  /** Points expiring soon and when the first of them expire. */
  public record ExpiringPoints(long points, Optional<Instant> first) {}

  private Balance moveAvailable(Connection c, String memberId, long delta, Instant now)
      throws SQLException {
    return update(c,
        "UPDATE balances SET available = available + ?, version = version + 1, updated_at = ?"
            + " WHERE member_id = ? RETURNING available, held, version",
        memberId, delta, null, now);
  }

  private static Balance update(
      Connection c, String sql, String memberId, long first, Long second, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setLong(i++, first);
      if (second != null) {
        ps.setLong(i++, second);
      }
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setString(i, memberId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no balance row for member " + memberId);
        }
        return new Balance(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  /** The ledger's columns as every insert names them. */
  static final String LEDGER_COLUMNS = "(member_id, entry_type, points, balance_after,"
      + " created_at, occurred_at, store_id, terminal_id, channel, operator_id, reference_id,"
      + " description, actor)";

  /**
   * A credit as data-modifying CTEs: {@code b} updates the balance (and returns it after),
   * {@code lot} inserts the part of the credit that lifts available above zero (none while
   * it only pays back an overdraft; it returns its remaining points and expiry) and
   * {@code led} appends the ledger entry with the balance after it. A credit never
   * consumes lots, so nothing else is needed; a member without a balance row gets no row
   * written at all. Parameters are bound by {@link #bindCredit}; a statement goes on with
   * more CTEs or its final SELECT.
   */
  static final String CREDIT_CTES =
      "WITH b AS (UPDATE balances SET available = available + ?, version = version + 1,"
          + " updated_at = ? WHERE member_id = ? RETURNING member_id, available, held, version),"
          + " lot AS (INSERT INTO point_lots (member_id, points, remaining, earned_at,"
          + " expires_at, reference_id)"
          + " SELECT member_id, d, d, ?::timestamptz, ?::timestamptz, ?::text FROM"
          + " (SELECT member_id, GREATEST(available, 0) - GREATEST(available - ?, 0) AS d"
          + " FROM b) x WHERE d > 0 RETURNING remaining, expires_at),"
          + " led AS (INSERT INTO ledger_entries " + LEDGER_COLUMNS
          + " SELECT member_id, ?::text, ?::bigint, available, ?::timestamptz, ?::timestamptz,"
          + " ?::text, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text FROM b)";

  /** Binds {@link #CREDIT_CTES}' parameters from 1 on; returns the next parameter's index. */
  static int bindCredit(PreparedStatement ps, Entry e, Instant now, Optional<Instant> lotExpiry)
      throws SQLException {
    Timestamp at = Timestamp.from(now);
    Timestamp occurred = Timestamp.from(e.occurredAt());
    int i = 1;
    ps.setLong(i++, e.points());
    ps.setTimestamp(i++, at);
    ps.setString(i++, e.memberId());
    ps.setTimestamp(i++, occurred);
    ps.setTimestamp(i++, lotExpiry.map(Timestamp::from).orElse(null));
    ps.setString(i++, e.referenceId());
    ps.setLong(i++, e.points());
    ps.setString(i++, e.type());
    ps.setLong(i++, e.points());
    ps.setTimestamp(i++, at);
    ps.setTimestamp(i++, occurred);
    bindWhereAndWhy(ps, i, e);
    return i + 7;
  }

  /** {@link #post} of a credit in one round trip: {@link #CREDIT_CTES}. */
  private static Balance credit(Connection c, Entry e, Instant now, Optional<Instant> lotExpiry)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        CREDIT_CTES + " SELECT available, held, version FROM b")) {
      bindCredit(ps, e, now, lotExpiry);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no balance row for member " + e.memberId());
        }
        return new Balance(rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  /** Takes up to {@code points} from the member's oldest lots. */
  private static List<LotTake> consumeLots(Connection c, String memberId, long points)
      throws SQLException {
    List<LotTake> taken = new ArrayList<>();
    long left = points;
    try (PreparedStatement select = c.prepareStatement(
            "SELECT lot_id, remaining FROM point_lots WHERE member_id = ? AND remaining > 0"
                + " ORDER BY earned_at, lot_id");
        PreparedStatement update = c.prepareStatement(
            "UPDATE point_lots SET remaining = remaining - ? WHERE lot_id = ?")) {
      select.setString(1, memberId);
      try (ResultSet rs = select.executeQuery()) {
        while (left > 0 && rs.next()) {
          long take = Math.min(left, rs.getLong(2));
          taken.add(new LotTake(rs.getLong(1), take));
          left -= take;
        }
      }
      for (LotTake take : taken) {
        update.setLong(1, take.points());
        update.setLong(2, take.lotId());
        update.addBatch();
      }
      update.executeBatch();
    }
    return taken;
  }

  private static void appendLedger(Connection c, Entry e, long balanceAfter, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_entries " + LEDGER_COLUMNS
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, e.memberId());
      ps.setString(2, e.type());
      ps.setLong(3, e.points());
      ps.setLong(4, balanceAfter);
      ps.setTimestamp(5, Timestamp.from(now));
      ps.setTimestamp(6, Timestamp.from(e.occurredAt()));
      bindWhereAndWhy(ps, 7, e);
      ps.executeUpdate();
    }
  }

  /**
   * Binds the entry's last seven ledger columns from parameter {@code first} on: store,
   * terminal, channel, operator (none without an origin), reference, description, actor.
   */
  private static void bindWhereAndWhy(PreparedStatement ps, int first, Entry e)
      throws SQLException {
    Origin o = e.origin();
    int i = first;
    ps.setString(i++, o == null ? null : o.storeId());
    ps.setString(i++, o == null ? null : o.terminalId());
    ps.setString(i++, o == null ? null : o.channel());
    ps.setString(i++, o == null ? null : emptyToNull(o.operatorId()));
    ps.setString(i++, e.referenceId());
    ps.setString(i++, e.description());
    ps.setString(i, e.actor());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
