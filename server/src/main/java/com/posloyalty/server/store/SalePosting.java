package com.posloyalty.server.store;

import com.posloyalty.server.domain.Balance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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
