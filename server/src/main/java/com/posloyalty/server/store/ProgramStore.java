package com.posloyalty.server.store;

import com.posloyalty.server.domain.EarningRule;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.TierRule;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The program's rules. Read on nearly every call, changed rarely: kept in memory and
 * re-read at most every {@link #REFRESH} so the hot path adds no SQL for them.
 */
@Singleton
public final class ProgramStore {

  static final Duration REFRESH = Duration.ofSeconds(5);

  private final Database db;
  private final Clock clock;
  private volatile Snapshot snapshot;

  private record Snapshot(ProgramRules rules, Instant loadedAt) {}

  @Inject
  public ProgramStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The current rules (at most {@link #REFRESH} old). */
  public ProgramRules current() {
    Snapshot s = snapshot;
    Instant now = clock.instant();
    if (s == null || now.isAfter(s.loadedAt().plus(REFRESH)) || now.isBefore(s.loadedAt())) {
      s = new Snapshot(db.read(ProgramStore::load), now);
      snapshot = s;
    }
    return s.rules();
  }

  /** Forgets the cached rules so the next call reads them again. */
  public void invalidate() {
    snapshot = null;
  }

  static ProgramRules load(Connection c) throws SQLException {
    List<TierRule> tiers = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT tier_id, display_name, rank, qualifying_spend_minor, multiplier_bp FROM tiers");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        tiers.add(new TierRule(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
            rs.getInt(5)));
      }
    }
    List<EarningRule> rules = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT rule_id, kind, match_value, multiplier_bp, display_name FROM earning_rules"
                + " WHERE (start_time IS NULL OR start_time <= now())"
                + " AND (end_time IS NULL OR end_time > now()) ORDER BY rule_id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rules.add(new EarningRule(rs.getString(1), EarningRule.Kind.valueOf(rs.getString(2)),
            rs.getString(3), rs.getInt(4), rs.getString(5)));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT program_id, display_name, currency_code, points_per_unit, unit_minor,"
                + " welcome_bonus_points, birthday_bonus_points, referral_bonus_points,"
                + " points_expiry_months, allow_negative_balance, reservation_ttl_seconds,"
                + " max_basket_lines, kiosk_approval_threshold, tender_points_per_unit,"
                + " tender_unit_minor, tender_min_points, tender_max_share_bp,"
                + " backdate_window_seconds FROM program ORDER BY program_id LIMIT 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("no loyalty program is configured");
      }
      return new ProgramRules(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
          rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getInt(9),
          rs.getBoolean(10), Duration.ofSeconds(rs.getInt(11)), rs.getInt(12), rs.getLong(13),
          rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getInt(17),
          Duration.ofSeconds(rs.getLong(18)), tiers, rules);
    }
  }
}
