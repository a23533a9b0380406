package com.posloyalty.server.store;

import com.posloyalty.server.domain.RewardTerms;
import java.sql.Array;
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
 * The rewards catalogue. Rewards are never deleted, only retired, so old reservations and
 * receipts keep naming them; every change bumps {@code version} and {@code updated_at}.
 */
@Singleton
public final class RewardStore {

  /** A catalogue reward; {@code freeSku} is null and {@code amountOffMinor} 0 when unused. */
  public record Reward(
      String rewardId, String displayName, String description, long pointsCost, String kind,
      long amountOffMinor, String freeSku, String state, List<String> storeIds,
      List<String> channels, Instant createdAt, Instant updatedAt) {

    public boolean active() {
      return "ACTIVE".equals(state);
    }

    /** The editable terms; the amount off is in the program's {@code currency}. */
    public RewardTerms terms(String currency) {
      return new RewardTerms(displayName, description, pointsCost, RewardTerms.Kind.valueOf(kind),
          amountOffMinor > 0 ? Optional.of(new RewardTerms.Amount(amountOffMinor, currency))
              : Optional.empty(),
          freeSku == null ? "" : freeSku, storeIds, channels);
    }
  }

  /** Where a page of the list ends: the last reward's cost and id. */
  public record Position(long pointsCost, String rewardId) {}

  private static final String COLUMNS = "reward_id, display_name, description, points_cost, kind,"
      + " amount_off_minor, free_sku, state, store_ids, channels, created_at, updated_at";
  /** A reward with no stores listed is redeemable in every store (one parameter: the store). */
  private static final String IN_STORE = "(cardinality(store_ids) = 0 OR ? = ANY (store_ids))";

  @Inject
  public RewardStore() {}

  public Optional<Reward> find(Connection c, String rewardId) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM rewards WHERE reward_id = ?", rewardId);
  }

  /** Reads the reward and locks its row until the transaction ends. */
  public Optional<Reward> lock(Connection c, String rewardId) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM rewards WHERE reward_id = ? FOR UPDATE", rewardId);
  }

  /** Adds an ACTIVE reward; false when the id is taken. */
  public boolean insert(Connection c, String rewardId, RewardTerms terms, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO rewards (display_name, description, points_cost, amount_off_minor,"
            + " free_sku, store_ids, channels, kind, reward_id, state, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?) ON CONFLICT DO NOTHING")) {
      int i = setTerms(c, ps, terms);
      ps.setString(i++, terms.kind().name());
      ps.setString(i++, rewardId);
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setTimestamp(i, Timestamp.from(now));
      return ps.executeUpdate() == 1;
    }
  }

  /** Replaces the editable terms of a reward (its kind never changes). */
  public void update(Connection c, String rewardId, RewardTerms terms, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE rewards SET display_name = ?, description = ?, points_cost = ?,"
            + " amount_off_minor = ?, free_sku = ?, store_ids = ?, channels = ?,"
            + " version = version + 1, updated_at = ? WHERE reward_id = ?")) {
      int i = setTerms(c, ps, terms);
      ps.setTimestamp(i++, Timestamp.from(now));
      ps.setString(i, rewardId);
      ps.executeUpdate();
    }
  }

  public void retire(Connection c, String rewardId, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE rewards SET state = 'RETIRED', version = version + 1, updated_at = ?"
            + " WHERE reward_id = ? AND state = 'ACTIVE'")) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setString(2, rewardId);
      ps.executeUpdate();
    }
  }

  /**
   * Up to {@code limit} rewards after {@code after}, cheapest first, then by id; only those
   * in {@code state} and redeemable in {@code storeId} when given.
   */
  public List<Reward> list(Connection c, Optional<String> state, Optional<String> storeId,
      Optional<Position> after, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM rewards WHERE TRUE");
    List<Object> args = new ArrayList<>();
    state.ifPresent(s -> {
      sql.append(" AND state = ?");
      args.add(s);
    });
    storeId.ifPresent(s -> {
      sql.append(" AND " + IN_STORE);
      args.add(s);
    });
    after.ifPresent(p -> {
      sql.append(" AND (points_cost, reward_id) > (?, ?)");
      args.add(p.pointsCost());
      args.add(p.rewardId());
    });
    sql.append(" ORDER BY points_cost, reward_id LIMIT ?");
    args.add(limit);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        ps.setObject(i + 1, args.get(i));
      }
      return all(ps);
    }
  }

  /** Active rewards costing at most {@code points}, cheapest first. */
  public List<Reward> affordable(Connection c, long points, String storeId, String channel,
      int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM rewards WHERE state = 'ACTIVE' AND points_cost <= ?"
            + " AND " + IN_STORE
            + " AND (cardinality(channels) = 0 OR ? = ANY (channels))"
            + " ORDER BY points_cost, reward_id LIMIT ?")) {
      ps.setLong(1, points);
      ps.setString(2, storeId);
      ps.setString(3, channel);
      ps.setInt(4, limit);
      return all(ps);
    }
  }

  /** Binds the seven editable columns in the order insert and update name them. */
  private static int setTerms(Connection c, PreparedStatement ps, RewardTerms terms)
      throws SQLException {
    ps.setString(1, terms.displayName());
    ps.setString(2, terms.description());
    ps.setLong(3, terms.pointsCost());
    ps.setLong(4, terms.amountOff().map(RewardTerms.Amount::minor).orElse(0L));
    ps.setString(5, terms.freeItemSku().isEmpty() ? null : terms.freeItemSku());
    ps.setArray(6, c.createArrayOf("text", terms.storeIds().toArray()));
    ps.setArray(7, c.createArrayOf("text", terms.channels().toArray()));
    return 8;
  }

  private static Optional<Reward> one(Connection c, String sql, String rewardId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, rewardId);
      List<Reward> found = all(ps);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  private static List<Reward> all(PreparedStatement ps) throws SQLException {
    List<Reward> rewards = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rewards.add(new Reward(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
            rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8), texts(rs.getArray(9)),
            texts(rs.getArray(10)), rs.getTimestamp(11).toInstant(),
            rs.getTimestamp(12).toInstant()));
      }
    }
    return rewards;
  }

  private static List<String> texts(Array array) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) array.getArray()) {
      out.add((String) o);
    }
    return out;
  }
}
