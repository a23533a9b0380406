package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/** The rewards catalogue. */
@Singleton
public final class RewardStore {

  /** A catalogue reward. */
  public record Reward(
      String rewardId, String displayName, String description, long pointsCost, String kind,
      long amountOffMinor, String freeSku, String state) {

    public boolean active() {
      return "ACTIVE".equals(state);
    }
  }

  private static final String COLUMNS =
      "reward_id, display_name, description, points_cost, kind, amount_off_minor, free_sku, state";

  @Inject
  public RewardStore() {}

  public Optional<Reward> find(Connection c, String rewardId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM rewards WHERE reward_id = ?")) {
      ps.setString(1, rewardId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** Active rewards costing at most {@code points}, cheapest first. */
  public List<Reward> affordable(Connection c, long points, int limit) throws SQLException {
    List<Reward> rewards = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM rewards WHERE state = 'ACTIVE' AND points_cost <= ?"
            + " ORDER BY points_cost, reward_id LIMIT ?")) {
      ps.setLong(1, points);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rewards.add(read(rs));
        }
      }
    }
    return rewards;
  }

  private static Reward read(ResultSet rs) throws SQLException {
    return new Reward(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
        rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8));
  }
}
