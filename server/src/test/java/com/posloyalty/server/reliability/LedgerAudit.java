package com.posloyalty.server.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads the system of record directly (JDBC, never through the service) to check what a
 * fault may have broken: DESIGN §4.1 (balance = ledger, nothing negative, held = the
 * HELD reservations), §4.2 (each sale, return and redemption applied once) and whole
 * transactions (no sale without its lines, receipt, spend record and outbox event).
 */
final class LedgerAudit implements AutoCloseable {

  private final String jdbcUrl;
  private final ThreadLocal<Connection> connections = new ThreadLocal<>();
  private final List<Connection> opened = new CopyOnWriteArrayList<>();

  LedgerAudit(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  /** What one audit found; {@link #clean} when nothing is broken. */
  record Findings(long members, long transactions, long balanceMismatches,
      long negativeAvailable, long heldMismatches, long duplicateEffects,
      long incompleteTransactions, long transactionsWithoutEvent, long rowsWithoutMember) {

    boolean clean() {
      return balanceMismatches == 0 && negativeAvailable == 0 && heldMismatches == 0
          && duplicateEffects == 0 && incompleteTransactions == 0
          && transactionsWithoutEvent == 0 && rowsWithoutMember == 0;
    }
  }

  Findings audit() {
    return new Findings(
        count("SELECT count(*) FROM balances"),
        count("SELECT count(*) FROM transactions"),
        count("SELECT count(*) FROM balances b LEFT JOIN (SELECT member_id, sum(points) s"
            + " FROM ledger_entries GROUP BY member_id) l USING (member_id)"
            + " WHERE b.available + b.held <> coalesce(l.s, 0)"),
        count("SELECT count(*) FROM balances WHERE available < 0"),
        // Held points are exactly the points of the member's HELD reservations.
        count("SELECT count(*) FROM balances b WHERE b.held <> (SELECT coalesce(sum(r.points), 0)"
            + " FROM reservations r WHERE r.member_id = b.member_id AND r.state = 'HELD')"),
        // A sale earns once (reference: the POS transaction id, unique per store and
        // terminal), a reservation is captured once, a return id reverses once, and a sale
        // is voided once (reference "void:" + POS id, from whichever terminal voids it:
        // no more such entries than voided sales of the member with that POS id).
        count("SELECT (SELECT count(*) FROM (SELECT 1 FROM ledger_entries"
            + "   WHERE entry_type = 'EARN'"
            + "   GROUP BY member_id, store_id, terminal_id, reference_id HAVING count(*) > 1) e)"
            + " + (SELECT count(*) FROM (SELECT 1 FROM ledger_entries"
            + "   WHERE entry_type IN ('REDEEM', 'RETURN')"
            + "   GROUP BY member_id, entry_type, reference_id HAVING count(*) > 1) r)"
            + " + (SELECT count(*) FROM (SELECT l.member_id, l.reference_id FROM ledger_entries l"
            + "   WHERE l.entry_type = 'VOID' GROUP BY l.member_id, l.reference_id"
            + "   HAVING count(*) > (SELECT count(*) FROM transactions t"
            + "     WHERE t.member_id = l.member_id AND t.status = 'VOIDED'"
            + "     AND 'void:' || t.pos_transaction_id = l.reference_id)) v)"),
        // A sale without its receipt, lines or spend, or a line without its sale (no
        // foreign key checks that since V6: the lines are written from the sale's row; since
        // V10 they are one row a sale, read here a line a row through the view).
        count("SELECT (SELECT count(*) FROM transactions t WHERE length(t.receipt) = 0"
            + " OR NOT EXISTS (SELECT 1 FROM transaction_lines l"
            + "   WHERE l.transaction_id = t.transaction_id)"
            + " OR NOT EXISTS (SELECT 1 FROM spend_events s"
            + "   WHERE s.reference_id = t.transaction_id))"
            + " + (SELECT count(*) FROM transaction_lines l WHERE NOT EXISTS"
            + "   (SELECT 1 FROM transactions t WHERE t.transaction_id = l.transaction_id))"),
        count("SELECT (SELECT count(*) FROM transactions) - (SELECT count(*)"
            + " FROM outbox_events WHERE event_type = 'TRANSACTION_COMMITTED')"),
        // A sale, ledger entry, lot or spend record of no member (no foreign key checks
        // that since V9: each is written from its member's row, and members are never
        // deleted).
        count("SELECT (SELECT count(*) FROM transactions t WHERE NOT EXISTS"
            + "   (SELECT 1 FROM members m WHERE m.member_id = t.member_id))"
            + " + (SELECT count(*) FROM ledger_entries l WHERE NOT EXISTS"
            + "   (SELECT 1 FROM members m WHERE m.member_id = l.member_id))"
            + " + (SELECT count(*) FROM point_lots p WHERE NOT EXISTS"
            + "   (SELECT 1 FROM members m WHERE m.member_id = p.member_id))"
            + " + (SELECT count(*) FROM spend_events s WHERE NOT EXISTS"
            + "   (SELECT 1 FROM members m WHERE m.member_id = s.member_id))"));
  }

  /** available + held of every member. */
  Map<String, Long> balances() {
    Map<String, Long> out = new HashMap<>();
    query("SELECT member_id, available + held FROM balances",
        rs -> out.put(rs.getString(1), rs.getLong(2)));
    return out;
  }

  /** The member's available points as PostgreSQL has them now. */
  long available(String memberId) {
    return count("SELECT available FROM balances WHERE member_id = ?", memberId);
  }

  /**
   * How a sale is stored: 0 = no trace of it, 1 = fully present (row, every line, EARN
   * entry, spend record), -1 = anything in between (half-written).
   */
  int saleState(String storeId, String terminalId, String posTransactionId, int lines) {
    String sale = " FROM transactions t WHERE t.store_id = ? AND t.terminal_id = ?"
        + " AND t.pos_transaction_id = ?";
    Object[] key = {storeId, terminalId, posTransactionId};
    long rows = count("SELECT count(*)" + sale, key);
    long lineRows = count("SELECT (SELECT count(*) FROM transaction_lines l"
        + " WHERE l.transaction_id = t.transaction_id)" + sale, key);
    long spend = count("SELECT (SELECT count(*) FROM spend_events s"
        + " WHERE s.reference_id = t.transaction_id)" + sale, key);
    long earn = count("SELECT count(*) FROM ledger_entries WHERE entry_type = 'EARN'"
        + " AND reference_id = ?", posTransactionId);
    if (rows == 0 && earn == 0) {
      return 0;
    }
    return rows == 1 && lineRows == lines && earn == 1 && spend == 1 ? 1 : -1;
  }

  /** The service's id of a sale, or null. */
  String transactionId(String storeId, String terminalId, String posTransactionId) {
    String[] id = new String[1];
    query("SELECT transaction_id FROM transactions WHERE store_id = ? AND terminal_id = ?"
        + " AND pos_transaction_id = ?", rs -> id[0] = rs.getString(1),
        storeId, terminalId, posTransactionId);
    return id[0];
  }

  long count(String sql, Object... params) {
    long[] value = new long[1];
    query(sql, rs -> value[0] = rs.getLong(1), params);
    return value[0];
  }

  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  /** Runs on this thread's own connection, opened once (checks run after every call). */
  private void query(String sql, Row row, Object... params) {
    try {
      Connection c = connection();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setObject(i + 1, params[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            row.read(rs);
          }
        }
      }
    } catch (SQLException e) {
      connections.remove();
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private Connection connection() throws SQLException {
    Connection c = connections.get();
    if (c == null) {
      c = DriverManager.getConnection(jdbcUrl, "postgres", "");
      connections.set(c);
      opened.add(c);
    }
    return c;
  }

  @Override
  public void close() {
    for (Connection c : opened) {
      try {
        c.close();
      } catch (SQLException e) {
        // Closing a broken connection: nothing to do.
      }
    }
  }
}
