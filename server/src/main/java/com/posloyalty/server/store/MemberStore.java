package com.posloyalty.server.store;

import com.posloyalty.server.domain.Balance;
import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.MonthDay;
import com.posloyalty.server.domain.Origin;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/** Members, their cards and their identifiers. */
@Singleton
public final class MemberStore {

  static final String COLUMNS =
      "member_id, status, given_name, family_name, phone_e164, email, birth_year, birth_month,"
          + " birth_day, marketing_consent, consent_time, tier_id, referrer_member_id,"
          + " referral_bonus_paid, last_birthday_bonus_year, merged_into, created_at";

  @Inject
  public MemberStore() {}

  public Optional<Member> find(Connection c, String memberId) throws SQLException {
    return select(c, memberId, "");
  }

  /**
   * The member, its row locked until the transaction ends (FOR NO KEY UPDATE: plain reads
   * and the key-share locks of foreign keys go on). Every change that decides from the
   * member's tier or bonuses takes this lock first, then the balance row: one order.
   */
  public Optional<Member> lock(Connection c, String memberId) throws SQLException {
    return select(c, memberId, " FOR NO KEY UPDATE");
  }

  private static Optional<Member> select(Connection c, String memberId, String lock)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM members WHERE member_id = ?" + lock)) {
      ps.setString(1, memberId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** A member with its balance (zeros without a balance row) and its spend in a window. */
  public record Standing(Member member, Balance balance, long spendMinor) {}

  /**
   * {@link #find}, the balance and the spend in (since, until] in one round trip, each from
   * the same snapshot: what a quote or a member view needs before it can decide anything.
   */
  public Optional<Standing> standing(Connection c, String memberId, Instant since,
      Instant until) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT m." + COLUMNS.replace(", ", ", m.") + ", b.available AS b_available,"
            + " b.held AS b_held, b.version AS b_version,"
            + " (" + SpendStore.WINDOW_SUM + ") AS spend"
            + " FROM members m LEFT JOIN balances b ON b.member_id = m.member_id"
            + " WHERE m.member_id = ?")) {
      ps.setString(1, memberId);
      ps.setTimestamp(2, Timestamp.from(since));
      ps.setTimestamp(3, Timestamp.from(until));
      ps.setString(4, memberId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Balance balance = new Balance(rs.getLong("b_available"), rs.getLong("b_held"),
            rs.getLong("b_version"));
        return Optional.of(new Standing(read(rs), balance, Math.max(0, rs.getLong("spend"))));
      }
    }
  }

  /** The member holding an ACTIVE or BLOCKED card; replaced cards no longer identify. */
  public Optional<String> findIdByCard(Connection c, String cardNumber) throws SQLException {
    return findId(c, "SELECT member_id FROM cards WHERE card_number = ? AND state <> 'REPLACED'",
        cardNumber);
  }

  public Optional<String> findIdByPhone(Connection c, String e164) throws SQLException {
    return findId(c, "SELECT member_id FROM members WHERE phone_e164 = ?", e164);
  }

  public Optional<String> findIdByEmail(Connection c, String email) throws SQLException {
    return findId(c, "SELECT member_id FROM members WHERE email = ?", email);
  }

  public void insert(Connection c, Member m, Origin origin, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO members (" + COLUMNS + ", enrolled_store_id, enrolled_channel, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, m.memberId());
      ps.setString(2, m.status().name());
      ps.setString(3, m.givenName());
      ps.setString(4, m.familyName());
      ps.setString(5, m.phone().orElse(null));
      ps.setString(6, m.email().orElse(null));
      setIntOrNull(ps, 7, m.birthYear());
      setIntOrNull(ps, 8, m.birthday().map(MonthDay::month).orElse(0));
      setIntOrNull(ps, 9, m.birthday().map(MonthDay::day).orElse(0));
      ps.setBoolean(10, m.marketingConsent());
      ps.setTimestamp(11, m.consentTime().map(Timestamp::from).orElse(null));
      ps.setString(12, m.tierId());
      ps.setString(13, m.referrerId().orElse(null));
      ps.setBoolean(14, m.referralBonusPaid());
      setIntOrNull(ps, 15, m.lastBirthdayBonusYear());
      ps.setString(16, m.mergedInto().orElse(null));
      ps.setTimestamp(17, Timestamp.from(m.createdAt()));
      ps.setString(18, origin.storeId());
      ps.setString(19, origin.channel());
      ps.setTimestamp(20, Timestamp.from(now));
      ps.executeUpdate();
    }
  }

  public void insertCard(Connection c, String cardNumber, String memberId, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO cards (card_number, member_id, state, issued_at) VALUES (?, ?, 'ACTIVE', ?)")) {
      ps.setString(1, cardNumber);
      ps.setString(2, memberId);
      ps.setTimestamp(3, Timestamp.from(now));
      ps.executeUpdate();
    }
  }

  public boolean cardExists(Connection c, String cardNumber) throws SQLException {
    return findId(c, "SELECT member_id FROM cards WHERE card_number = ?", cardNumber).isPresent();
  }

  public void setTier(Connection c, String memberId, String tierId, Instant now) throws SQLException {
    update(c, "UPDATE members SET tier_id = ?, updated_at = ? WHERE member_id = ?", tierId, now, memberId);
  }

  public void setBirthdayBonusYear(Connection c, String memberId, int year, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE members SET last_birthday_bonus_year = ?, updated_at = ? WHERE member_id = ?")) {
      ps.setInt(1, year);
      ps.setTimestamp(2, Timestamp.from(now));
      ps.setString(3, memberId);
      ps.executeUpdate();
    }
  }

  /** Active members above the entry tier: those the tier evaluation looks at. */
  public List<String> aboveEntryTier(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
            "SELECT m.member_id FROM members m JOIN tiers t ON t.tier_id = m.tier_id"
                + " WHERE t.rank > 0 AND m.status = 'ACTIVE'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Marks the referral bonus paid; false when it already was (so it is paid once). */
  public boolean claimReferralBonus(Connection c, String memberId, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE members SET referral_bonus_paid = TRUE, updated_at = ?"
            + " WHERE member_id = ? AND referral_bonus_paid = FALSE AND referrer_member_id IS NOT NULL")) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setString(2, memberId);
      return ps.executeUpdate() == 1;
    }
  }

  private static void update(Connection c, String sql, String value, Instant now, String memberId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      ps.setTimestamp(2, Timestamp.from(now));
      ps.setString(3, memberId);
      ps.executeUpdate();
    }
  }

  private static Optional<String> findId(Connection c, String sql, String key) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static void setIntOrNull(PreparedStatement ps, int index, int value) throws SQLException {
    if (value == 0) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }

  static Member read(ResultSet rs) throws SQLException {
    int month = rs.getInt("birth_month");
    Timestamp consent = rs.getTimestamp("consent_time");
    return new Member(
        rs.getString("member_id"),
        Member.Status.valueOf(rs.getString("status")),
        rs.getString("given_name"),
        rs.getString("family_name"),
        Optional.ofNullable(rs.getString("phone_e164")),
        Optional.ofNullable(rs.getString("email")),
        month == 0 ? Optional.empty() : Optional.of(new MonthDay(month, rs.getInt("birth_day"))),
        rs.getInt("birth_year"),
        rs.getBoolean("marketing_consent"),
        consent == null ? Optional.empty() : Optional.of(consent.toInstant()),
        rs.getString("tier_id"),
        Optional.ofNullable(rs.getString("referrer_member_id")),
        rs.getBoolean("referral_bonus_paid"),
        rs.getInt("last_birthday_bonus_year"),
        Optional.ofNullable(rs.getString("merged_into")),
        rs.getTimestamp("created_at").toInstant());
  }
}
