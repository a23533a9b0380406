package com.posloyalty.server.store;

import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.ReturnCalculator.SoldLine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Committed sales, their lines and their returns. The unique key (store, terminal, POS
 * transaction id) is what makes a commit happen at most once on any number of servers.
 */
@Singleton
public final class TransactionStore {

  /** A committed sale as stored. */
  public record Sale(
      String transactionId, String storeId, String terminalId, String posTransactionId,
      String memberId, byte[] requestHash, byte[] receipt, Instant occurredAt,
      long eligibleMinor, long basketBonusPoints, long basketBonusReversed, boolean voided,
      byte[] voidReceipt) {}

  /** A line to store with a new sale. */
  public record NewLine(
      String lineId, String sku, long quantity, long netMinor, long eligibleMinor, long points) {}

  @Inject
  public TransactionStore() {}

  /** The sale's member as read when its key was claimed, and whether the claim was new. */
  public record Claim(Member member, boolean claimed) {}

  /**
   * Reads and locks the member and claims the sale's key in one round trip. Empty when there
   * is no such member (then nothing is claimed). {@code claimed} is false when the key
   * exists: a replay, or a concurrent duplicate, which waits here until the first commits or
   * rolls back. The member row is locked (FOR NO KEY UPDATE) so that sales of one member
   * decide one after the other from its newest tier and bonuses, and every sale locks the
   * member before the balance. The sale's rows name the member without a foreign key (V9):
   * they are written from this row, and a member row is never deleted.
   */
  public Optional<Claim> claim(Connection c, String transactionId, String storeId,
      String terminalId, String posTransactionId, String memberId, byte[] requestHash,
      Instant occurredAt, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "WITH claim AS (INSERT INTO transactions (transaction_id, store_id, terminal_id,"
            + " pos_transaction_id, member_id, request_hash, receipt, occurred_at, committed_at,"
            + " eligible_minor, basket_bonus_points, status)"
            + " SELECT ?, ?, ?, ?, member_id, ?, '\\x'::bytea, ?, ?, 0, 0, 'COMMITTED'"
            + " FROM members WHERE member_id = ?"
            + " ON CONFLICT (store_id, terminal_id, pos_transaction_id) DO NOTHING"
            + " RETURNING 1)"
            + " SELECT " + MemberStore.COLUMNS + ", (SELECT count(*) FROM claim) AS claimed"
            + " FROM members WHERE member_id = ? FOR NO KEY UPDATE")) {
      ps.setString(1, transactionId);
      ps.setString(2, storeId);
      ps.setString(3, terminalId);
      ps.setString(4, posTransactionId);
      ps.setBytes(5, requestHash);
      ps.setTimestamp(6, Timestamp.from(occurredAt));
      ps.setTimestamp(7, Timestamp.from(now));
      ps.setString(8, memberId);
      ps.setString(9, memberId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Claim(MemberStore.read(rs), rs.getLong("claimed") == 1))
            : Optional.empty();
      }
    }
  }

  /** A sale's key to claim in {@link #claimAll}. */
  public record ClaimRequest(String transactionId, String storeId, String terminalId,
      String posTransactionId, String memberId, byte[] requestHash, Instant occurredAt) {}

  /** The statement of {@link #claimAll} (planned as {@link GroupPlans} says). */
  static final String CLAIM_ALL =
      "WITH u AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
      + " ?::bytea[], ?::timestamptz[]) WITH ORDINALITY AS u (transaction_id, store_id,"
      + " terminal_id, pos_transaction_id, member_id, request_hash, occurred_at, ord)),"
      + " claim AS (INSERT INTO transactions (transaction_id, store_id, terminal_id,"
      + " pos_transaction_id, member_id, request_hash, receipt, occurred_at, committed_at,"
      + " eligible_minor, basket_bonus_points, status)"
      + " SELECT u.transaction_id, u.store_id, u.terminal_id, u.pos_transaction_id,"
      + " m.member_id, u.request_hash, '\\x'::bytea, u.occurred_at, ?, 0, 0, 'COMMITTED'"
      + " FROM u JOIN members m ON m.member_id = u.member_id"
      + " ON CONFLICT (store_id, terminal_id, pos_transaction_id) DO NOTHING"
      + " RETURNING transaction_id)"
      + " SELECT u.ord, m." + MemberStore.COLUMNS.replace(", ", ", m.") + ","
      + " u.transaction_id IN (SELECT transaction_id FROM claim) AS claimed"
      + " FROM members m JOIN u ON u.member_id = m.member_id"
      + " ORDER BY m.member_id FOR NO KEY UPDATE OF m";

  /**
   * {@link #claim} for several sales of different members in one round trip: for each
   * request, in order, its member (read and locked) and whether its key was newly claimed;
   * empty where there is no such member. The members are locked in the order of their ids,
   * so two such statements never wait for each other in a cycle.
   */
  public List<Optional<Claim>> claimAll(Connection c, List<ClaimRequest> requests, Instant now)
      throws SQLException {
    int n = requests.size();
    String[] ids = new String[n];
    String[] stores = new String[n];
    String[] terminals = new String[n];
    String[] pos = new String[n];
    String[] memberIds = new String[n];
    byte[][] hashes = new byte[n][];
    Timestamp[] occurred = new Timestamp[n];
    for (int k = 0; k < n; k++) {
      ClaimRequest r = requests.get(k);
      ids[k] = r.transactionId();
      stores[k] = r.storeId();
      terminals[k] = r.terminalId();
      pos[k] = r.posTransactionId();
      memberIds[k] = r.memberId();
      hashes[k] = r.requestHash();
      occurred[k] = Timestamp.from(r.occurredAt());
    }
    List<Optional<Claim>> claims = new ArrayList<>(Collections.nCopies(n, Optional.empty()));
    try (PreparedStatement ps = c.prepareStatement(CLAIM_ALL)) {
      int i = 1;
      ps.setArray(i++, c.createArrayOf("text", ids));
      ps.setArray(i++, c.createArrayOf("text", stores));
      ps.setArray(i++, c.createArrayOf("text", terminals));
      ps.setArray(i++, c.createArrayOf("text", pos));
      ps.setArray(i++, c.createArrayOf("text", memberIds));
      ps.setArray(i++, c.createArrayOf("bytea", hashes));
      ps.setArray(i++, c.createArrayOf("timestamptz", occurred));
      ps.setTimestamp(i, Timestamp.from(now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          claims.set((int) rs.getLong("ord") - 1,
              Optional.of(new Claim(MemberStore.read(rs), rs.getBoolean("claimed"))));
        }
      }
    }
    return claims;
  }

  /** A claimed sale to complete: by {@link #complete} alone, or in {@link #completeAll}. */
  public record Completion(String transactionId, byte[] receipt, long eligibleMinor,
      long basketBonusPoints, List<NewLine> lines, Outbox.Event event) {}

  /**
   * Writes a sale's lines (V10: one row a sale, an array a column, in basket order; the view
   * {@code transaction_lines} shows them a row a line), nothing returned or reversed yet. The
   * statement goes on with a FROM that names the sale's row {@code t} and its line arrays
   * {@code x} (line_ids, skus, quantities, net_minor, eligible_minor, points).
   */
  private static final String INSERT_SALE_LINES = "INSERT INTO sale_lines (transaction_id,"
      + " line_ids, skus, quantities, net_minor, eligible_minor, points, returned_quantities,"
      + " reversed_points) SELECT t.transaction_id, x.line_ids, x.skus, x.quantities,"
      + " x.net_minor, x.eligible_minor, x.points,"
      + " array_fill(0::bigint, ARRAY[cardinality(x.line_ids)]),"
      + " array_fill(0::bigint, ARRAY[cardinality(x.line_ids)])";

  /** The statement of {@link #completeAll} (planned as {@link GroupPlans} says). */
  static final String COMPLETE_ALL =
      "WITH u AS (SELECT * FROM unnest(?::text[], ?::bytea[], ?::bigint[], ?::bigint[])"
      + " AS u (transaction_id, receipt, eligible_minor, basket_bonus_points)),"
      + " t AS (UPDATE transactions SET receipt = u.receipt,"
      + " eligible_minor = u.eligible_minor, basket_bonus_points = u.basket_bonus_points"
      + " FROM u WHERE transactions.transaction_id = u.transaction_id"
      + " RETURNING transactions.transaction_id),"
      + " l AS (" + INSERT_SALE_LINES + " FROM (SELECT transaction_id,"
      + " line_ids::text[] AS line_ids, skus::text[] AS skus, quantities::bigint[] AS quantities,"
      + " net_minor::bigint[] AS net_minor, eligible_minor::bigint[] AS eligible_minor,"
      + " points::bigint[] AS points FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
      + " ?::text[], ?::text[], ?::text[]) AS u (transaction_id, line_ids, skus, quantities,"
      + " net_minor, eligible_minor, points)) x"
      + " JOIN t ON t.transaction_id = x.transaction_id) " + Outbox.INSERT_ALL;

  /** {@link #complete} for several claimed sales in one round trip. */
  public void completeAll(Connection c, List<Completion> sales) throws SQLException {
    int n = sales.size();
    String[] ids = new String[n];
    byte[][] receipts = new byte[n][];
    Long[] eligibleTotals = new Long[n];
    Long[] bonuses = new Long[n];
    List<Outbox.Event> events = new ArrayList<>(n);
    // A sale's lines, one array literal a column: arrays of different lengths do not make
    // one SQL array, so each sale's are sent as text and cast where its row is written.
    String[][] lines = new String[6][n];
    for (int k = 0; k < n; k++) {
      Completion s = sales.get(k);
      ids[k] = s.transactionId();
      receipts[k] = s.receipt();
      eligibleTotals[k] = s.eligibleMinor();
      bonuses[k] = s.basketBonusPoints();
      events.add(s.event());
      List<NewLine> sold = requireDistinctIds(s.transactionId(), s.lines());
      lines[0][k] = ArrayLiteral.ofText(sold, NewLine::lineId);
      lines[1][k] = ArrayLiteral.ofText(sold, NewLine::sku);
      lines[2][k] = ArrayLiteral.ofLong(sold, NewLine::quantity);
      lines[3][k] = ArrayLiteral.ofLong(sold, NewLine::netMinor);
      lines[4][k] = ArrayLiteral.ofLong(sold, NewLine::eligibleMinor);
      lines[5][k] = ArrayLiteral.ofLong(sold, NewLine::points);
    }
    try (PreparedStatement ps = c.prepareStatement(COMPLETE_ALL)) {
      int i = 1;
      ps.setArray(i++, c.createArrayOf("text", ids));
      ps.setArray(i++, c.createArrayOf("bytea", receipts));
      ps.setArray(i++, c.createArrayOf("int8", eligibleTotals));
      ps.setArray(i++, c.createArrayOf("int8", bonuses));
      ps.setArray(i++, c.createArrayOf("text", ids));
      for (String[] column : lines) {
        ps.setArray(i++, c.createArrayOf("text", column));
      }
      Outbox.bindAll(c, ps, i, events);
      ps.executeUpdate();
    }
  }

  /**
   * Completes a claimed sale in one round trip: its receipt and totals, its lines (one row
   * of arrays, in basket order) and the event announcing it.
   */
  public void complete(Connection c, Completion sale) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "WITH t AS (UPDATE transactions SET receipt = ?, eligible_minor = ?,"
            + " basket_bonus_points = ? WHERE transaction_id = ? RETURNING transaction_id),"
            + " l AS (" + INSERT_SALE_LINES + " FROM t, (VALUES (?::text[], ?::text[],"
            + " ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])) AS x (line_ids, skus,"
            + " quantities, net_minor, eligible_minor, points))"
            + " " + Outbox.INSERT)) {
      int i = 1;
      ps.setBytes(i++, sale.receipt());
      ps.setLong(i++, sale.eligibleMinor());
      ps.setLong(i++, sale.basketBonusPoints());
      ps.setString(i++, sale.transactionId());
      i = bindLines(c, ps, i, requireDistinctIds(sale.transactionId(), sale.lines()));
      Outbox.bind(ps, i, sale.event());
      ps.executeUpdate();
    }
  }

  /**
   * {@code lines}, when no two have one id (a line is found by its id in the sale's arrays;
   * the request's validation refuses such a basket, so this is the store's own guard).
   */
  private static List<NewLine> requireDistinctIds(String transactionId, List<NewLine> lines) {
    Set<String> seen = new HashSet<>();
    for (NewLine line : lines) {
      if (!seen.add(line.lineId())) {
        throw new IllegalArgumentException(
            "sale " + transactionId + " has two lines " + line.lineId());
      }
    }
    return lines;
  }

  /**
   * Binds the lines' six columns as arrays (id, SKU, quantity, net, eligible, points) from
   * parameter {@code first} on; returns the next parameter's index.
   */
  private static int bindLines(Connection c, PreparedStatement ps, int first,
      List<NewLine> lines) throws SQLException {
    int n = lines.size();
    String[] lineIds = new String[n];
    String[] skus = new String[n];
    Long[] quantities = new Long[n];
    Long[] net = new Long[n];
    Long[] eligible = new Long[n];
    Long[] points = new Long[n];
    for (int k = 0; k < n; k++) {
      NewLine line = lines.get(k);
      lineIds[k] = line.lineId();
      skus[k] = line.sku();
      quantities[k] = line.quantity();
      net[k] = line.netMinor();
      eligible[k] = line.eligibleMinor();
      points[k] = line.points();
    }
    int i = first;
    ps.setArray(i++, c.createArrayOf("text", lineIds));
    ps.setArray(i++, c.createArrayOf("text", skus));
    ps.setArray(i++, c.createArrayOf("int8", quantities));
    ps.setArray(i++, c.createArrayOf("int8", net));
    ps.setArray(i++, c.createArrayOf("int8", eligible));
    ps.setArray(i++, c.createArrayOf("int8", points));
    return i;
  }

  /** The sale by its key; with {@code lock}, its row is locked for a return or void. */
  public Optional<Sale> find(Connection c, String storeId, String terminalId,
      String posTransactionId, boolean lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT transaction_id, store_id, terminal_id, pos_transaction_id, member_id,"
            + " request_hash, receipt, occurred_at, eligible_minor, basket_bonus_points,"
            + " basket_bonus_reversed, status, void_receipt FROM transactions"
            + " WHERE store_id = ? AND terminal_id = ? AND pos_transaction_id = ?"
            + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, storeId);
      ps.setString(2, terminalId);
      ps.setString(3, posTransactionId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Sale(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getBytes(6), rs.getBytes(7),
            rs.getTimestamp(8).toInstant(), rs.getLong(9), rs.getLong(10), rs.getLong(11),
            "VOIDED".equals(rs.getString(12)), rs.getBytes(13)));
      }
    }
  }

  public List<SoldLine> lines(Connection c, String transactionId) throws SQLException {
    List<SoldLine> lines = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT line_id, sku, quantity, net_minor, eligible_minor, points, returned_quantity,"
            + " reversed_points"
            + " FROM transaction_lines WHERE transaction_id = ? ORDER BY line_no")) {
      ps.setString(1, transactionId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          lines.add(new SoldLine(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8)));
        }
      }
    }
    return lines;
  }

  /**
   * Adds a return to a sold line: {@code quantity} more units returned, {@code
   * pointsReversed} more of its points reversed. Throws, and changes nothing, when the line
   * does not exist or would go past what it sold or earned (the per-line constraints of the
   * table before V10).
   */
  public void addReturned(Connection c, String transactionId, String lineId, long quantity,
      long pointsReversed) throws SQLException {
    if (quantity < 0 || pointsReversed < 0) {
      throw new IllegalArgumentException("a return adds to a line, never takes away");
    }
    // The line's place in the sale's arrays; the return is bound once, as v.
    String k = "array_position(s.line_ids, v.line_id)";
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE sale_lines s SET returned_quantities[" + k + "] = s.returned_quantities[" + k
            + "] + v.quantity, reversed_points[" + k + "] = s.reversed_points[" + k
            + "] + v.points FROM (VALUES (?::text, ?::bigint, ?::bigint))"
            + " AS v (line_id, quantity, points) WHERE s.transaction_id = ?"
            + " AND s.returned_quantities[" + k + "] + v.quantity <= s.quantities[" + k + "]"
            + " AND s.reversed_points[" + k + "] + v.points <= s.points[" + k + "]")) {
      ps.setString(1, lineId);
      ps.setLong(2, quantity);
      ps.setLong(3, pointsReversed);
      ps.setString(4, transactionId);
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("line " + lineId + " of sale " + transactionId
            + " cannot take a return of " + quantity + " units and " + pointsReversed
            + " points");
      }
    }
  }

  public void addBonusReversed(Connection c, String transactionId, long points) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE transactions SET basket_bonus_reversed = basket_bonus_reversed + ?"
            + " WHERE transaction_id = ?")) {
      ps.setLong(1, points);
      ps.setString(2, transactionId);
      ps.executeUpdate();
    }
  }

  public void markVoided(Connection c, String transactionId, byte[] voidReceipt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE transactions SET status = 'VOIDED', void_receipt = ? WHERE transaction_id = ?")) {
      ps.setBytes(1, voidReceipt);
      ps.setString(2, transactionId);
      ps.executeUpdate();
    }
  }

  /** An earlier return with this id: its request hash and receipt. */
  public Optional<IdempotencyStore.Prior> findReturn(Connection c, String returnId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT request_hash, receipt FROM returns WHERE return_id = ?")) {
      ps.setString(1, returnId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new IdempotencyStore.Prior(rs.getBytes(1), rs.getBytes(2)))
            : Optional.empty();
      }
    }
  }

  public void insertReturn(Connection c, String returnId, String transactionId, byte[] hash,
      byte[] receipt, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO returns (return_id, transaction_id, request_hash, receipt, created_at)"
            + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, returnId);
      ps.setString(2, transactionId);
      ps.setBytes(3, hash);
      ps.setBytes(4, receipt);
      ps.setTimestamp(5, Timestamp.from(now));
      ps.executeUpdate();
    }
  }
}
