package com.posloyalty.server.store;

import com.posloyalty.server.domain.Balance;
import com.posloyalty.server.domain.Origin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * A sale's bookkeeping in one round trip: the points it earns ({@link PointsAccount}'s
 * credit: balance, lot, ledger entry), its qualifying spend ({@link SpendStore}) and what
 * the member's view needs afterwards — the balance, the spend in the tier window and the
 * points expiring soon, each including what this statement wrote. One statement sees the
 * database as it was before it began, so the row it inserts into spend and the lot it
 * creates are added to the sums explicitly.
 */
@Singleton
public final class SalePosting {

  /** What the member's view needs after the sale. */
  public record Posted(Balance balance, long qualifyingSpendMinor,
      PointsAccount.ExpiringPoints expiring) {}

  /** The sale's spend to record: amount, occurred at, and the window to sum, (since, until]. */
  public record Spend(long amountMinor, Instant occurredAt, String referenceId, Instant since,
      Instant until) {}

  /**
   * For a sale that earns nothing: the balance as {@code b}, its version still bumped, since
   * the sale's spend (and perhaps the tier it reaches) changes what the lane's view shows.
   */
  private static final String NO_CREDIT_CTES =
      "WITH b AS (UPDATE balances SET version = version + 1, updated_at = ? WHERE member_id = ?"
          + " RETURNING member_id, available, held, version),"
          + " lot AS (SELECT NULL::bigint AS remaining, NULL::timestamptz AS expires_at"
          + " WHERE false)";

  private static final String REST =
      ", sp AS (INSERT INTO spend_events (member_id, occurred_at, amount_minor, reference_id)"
          + " VALUES (?, ?, ?, ?) RETURNING occurred_at, amount_minor),"
          + " ex AS (SELECT COALESCE(SUM(remaining), 0) AS points, MIN(expires_at) AS first"
          + " FROM (" + PointsAccount.EXPIRING_LOTS
          + " UNION ALL SELECT remaining, expires_at FROM lot WHERE expires_at <= ?) e)"
          + " SELECT b.available, b.held, b.version, (" + SpendStore.WINDOW_SUM + ")"
          + " + COALESCE((SELECT SUM(amount_minor) FROM sp WHERE occurred_at > ?"
          + " AND occurred_at <= ?), 0), ex.points, ex.first FROM b, ex";

  @Inject
  public SalePosting() {}

  /**
   * One sale of {@link #postAll}: its member's credit ({@code points}, zero for none; a
   * lot expiring at {@code lotExpiry}), the ledger entry's origin and text, and its spend.
   */
  public record Sale(String memberId, long points, Instant occurredAt,
      Optional<Instant> lotExpiry, Origin origin, String referenceId, String description,
      String actor, long spendMinor, String transactionId) {}

  /** The statement of {@link #postAll} (planned as {@link GroupPlans} says). */
  static final String POST_ALL =
      "WITH u AS (SELECT * FROM unnest(?::text[], ?::bigint[], ?::timestamptz[],"
      + " ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
      + " ?::text[], ?::text[], ?::bigint[], ?::text[]) AS u (member_id, points,"
      + " occurred_at, lot_expires_at, store_id, terminal_id, channel, operator_id,"
      + " reference_id, description, actor, spend_minor, transaction_id)),"
      + " dropped AS (DELETE FROM transactions WHERE transaction_id = ANY (?::text[])),"
      + " b AS (UPDATE balances SET available = balances.available + u.points,"
      + " version = balances.version + 1, updated_at = ? FROM u"
      + " WHERE balances.member_id = u.member_id"
      + " RETURNING balances.member_id, balances.available, balances.held,"
      + " balances.version, u.points, u.occurred_at, u.lot_expires_at, u.store_id,"
      + " u.terminal_id, u.channel, u.operator_id, u.reference_id, u.description, u.actor),"
      + " lot AS (INSERT INTO point_lots (member_id, points, remaining, earned_at,"
      + " expires_at, reference_id)"
      + " SELECT member_id, d, d, occurred_at, lot_expires_at, reference_id FROM"
      + " (SELECT b.*, GREATEST(available, 0) - GREATEST(available - points, 0) AS d"
      + " FROM b) x WHERE d > 0 RETURNING member_id, remaining, expires_at),"
      + " led AS (INSERT INTO ledger_entries " + PointsAccount.LEDGER_COLUMNS
      + " SELECT member_id, 'EARN', points, available, ?::timestamptz, occurred_at,"
      + " store_id, terminal_id, channel, operator_id, reference_id, description, actor"
      + " FROM b WHERE points > 0),"
      + " sp AS (INSERT INTO spend_events (member_id, occurred_at, amount_minor,"
      + " reference_id) SELECT member_id, occurred_at, spend_minor, transaction_id FROM u"
      + " RETURNING member_id, occurred_at, amount_minor)"
      + " SELECT b.member_id, b.available, b.held, b.version,"
      + " (" + SpendStore.windowSum("b.member_id") + ")"
      + " + COALESCE((SELECT SUM(amount_minor) FROM sp WHERE sp.member_id = b.member_id"
      + " AND sp.occurred_at > ? AND sp.occurred_at <= ?), 0), ex.points, ex.first"
      + " FROM b CROSS JOIN LATERAL (SELECT COALESCE(SUM(remaining), 0) AS points,"
      + " MIN(expires_at) AS first FROM (" + PointsAccount.expiringLots("b.member_id")
      + " UNION ALL SELECT remaining, expires_at FROM lot"
      + " WHERE lot.member_id = b.member_id AND lot.expires_at <= ?) e) ex";

  /**
   * {@link #post} for the sales of several different members in one round trip, which also
   * deletes the claims {@code dropClaims} (sales of the group that are not posted). Returns,
   * by member, the balance after, the spend in (since, until] and the points expiring by
   * {@code expiringUntil}.
   */
  public Map<String, Posted> postAll(Connection c, List<Sale> sales, List<String> dropClaims,
      Instant now, Instant since, Instant until, Instant expiringUntil) throws SQLException {
    int n = sales.size();
    String[] members = new String[n];
    Long[] points = new Long[n];
    Timestamp[] occurred = new Timestamp[n];
    Timestamp[] expires = new Timestamp[n];
    String[] stores = new String[n];
    String[] terminals = new String[n];
    String[] channels = new String[n];
    String[] operators = new String[n];
    String[] references = new String[n];
    String[] descriptions = new String[n];
    String[] actors = new String[n];
    Long[] spends = new Long[n];
    String[] transactionIds = new String[n];
    for (int k = 0; k < n; k++) {
      Sale s = sales.get(k);
      if (s.points() < 0) {
        throw new IllegalArgumentException("a sale's credit is never negative");
      }
      members[k] = s.memberId();
      points[k] = s.points();
      occurred[k] = Timestamp.from(s.occurredAt());
      expires[k] = s.lotExpiry().map(Timestamp::from).orElse(null);
      Origin o = s.origin();
      stores[k] = o.storeId();
      terminals[k] = o.terminalId();
      channels[k] = o.channel();
      operators[k] = o.operatorId() == null || o.operatorId().isEmpty() ? null : o.operatorId();
      references[k] = s.referenceId();
      descriptions[k] = s.description();
      actors[k] = s.actor();
      spends[k] = s.spendMinor();
      transactionIds[k] = s.transactionId();
    }
    Map<String, Posted> posted = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(POST_ALL)) {
      int i = 1;
      ps.setArray(i++, c.createArrayOf("text", members));
      ps.setArray(i++, c.createArrayOf("int8", points));
      ps.setArray(i++, c.createArrayOf("timestamptz", occurred));
      ps.setArray(i++, c.createArrayOf("timestamptz", expires));
      ps.setArray(i++, c.createArrayOf("text", stores));
      ps.setArray(i++, c.createArrayOf("text", terminals));
      ps.setArray(i++, c.createArrayOf("text", channels));
      ps.setArray(i++, c.createArrayOf("text", operators));
      ps.setArray(i++, c.createArrayOf("text", references));
      ps.setArray(i++, c.createArrayOf("text", descriptions));
      ps.setArray(i++, c.createArrayOf("text", actors));
      ps.setArray(i++, c.createArrayOf("int8", spends));
      ps.setArray(i++, c.createArrayOf("text", transactionIds));
      ps.setArray(i++, c.createArrayOf("text", dropClaims.toArray(new String[0])));
      Timestamp at = Timestamp.from(now);
      ps.setTimestamp(i++, at);
      ps.setTimestamp(i++, at);
      Timestamp from = Timestamp.from(since);
      Timestamp to = Timestamp.from(until);
      Timestamp expiring = Timestamp.from(expiringUntil);
      ps.setTimestamp(i++, from);
      ps.setTimestamp(i++, to);
      ps.setTimestamp(i++, from);
      ps.setTimestamp(i++, to);
      ps.setTimestamp(i++, expiring);
      ps.setTimestamp(i, expiring);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Timestamp first = rs.getTimestamp(7);
          posted.put(rs.getString(1), new Posted(
              new Balance(rs.getLong(2), rs.getLong(3), rs.getLong(4)),
              Math.max(0, rs.getLong(5)), new PointsAccount.ExpiringPoints(rs.getLong(6),
                  first == null ? Optional.empty() : Optional.of(first.toInstant()))));
        }
      }
    }
    for (Sale s : sales) {
      if (!posted.containsKey(s.memberId())) {
        throw new IllegalStateException("no balance row for member " + s.memberId());
      }
    }
    return posted;
  }


  /**
   * Credits {@code credit} (when present: a positive entry, its lot expiring at {@code
   * lotExpiry}) and records {@code spend} for {@code memberId}; returns the balance after,
   * the spend in the window and the points expiring by {@code expiringUntil}.
   */
  public Posted post(Connection c, String memberId, Optional<PointsAccount.Entry> credit,
      Optional<Instant> lotExpiry, Spend spend, Instant now, Instant expiringUntil)
      throws SQLException {
    credit.ifPresent(e -> {
      if (e.points() <= 0 || !e.memberId().equals(memberId)) {
        throw new IllegalArgumentException("a sale's credit is positive and the member's own");
      }
    });
    String sql = (credit.isPresent() ? PointsAccount.CREDIT_CTES : NO_CREDIT_CTES) + REST;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i;
      if (credit.isPresent()) {
        i = PointsAccount.bindCredit(ps, credit.get(), now, lotExpiry);
      } else {
        ps.setTimestamp(1, Timestamp.from(now));
        ps.setString(2, memberId);
        i = 3;
      }
      Timestamp since = Timestamp.from(spend.since());
      Timestamp until = Timestamp.from(spend.until());
      Timestamp expiring = Timestamp.from(expiringUntil);
      ps.setString(i++, memberId);
      ps.setTimestamp(i++, Timestamp.from(spend.occurredAt()));
      ps.setLong(i++, spend.amountMinor());
      ps.setString(i++, spend.referenceId());
      ps.setString(i++, memberId);
      ps.setTimestamp(i++, expiring);
      ps.setTimestamp(i++, expiring);
      ps.setString(i++, memberId);
      ps.setTimestamp(i++, since);
      ps.setTimestamp(i++, until);
      ps.setTimestamp(i++, since);
      ps.setTimestamp(i, until);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no balance row for member " + memberId);
        }
        Timestamp first = rs.getTimestamp(6);
        return new Posted(new Balance(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
            Math.max(0, rs.getLong(4)), new PointsAccount.ExpiringPoints(rs.getLong(5),
                first == null ? Optional.empty() : Optional.of(first.toInstant())));
      }
    }
  }
}
