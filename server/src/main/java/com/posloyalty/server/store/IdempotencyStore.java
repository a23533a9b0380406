package com.posloyalty.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Stored results of idempotent calls keyed by (scope, request id). The row is inserted
 * in the same transaction as the effect, so an effect and its record exist together or
 * not at all.
 */
@Singleton
public final class IdempotencyStore {

  /** An earlier result for the same key. */
  public record Prior(byte[] requestHash, byte[] response) {
    public boolean samePayload(byte[] hash) {
      return Arrays.equals(requestHash, hash);
    }
  }

  @Inject
  public IdempotencyStore() {}

  public Optional<Prior> find(Connection c, String scope, String requestId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT request_hash, response FROM idempotency_records WHERE scope = ? AND request_id = ?")) {
      ps.setString(1, scope);
      ps.setString(2, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Prior(rs.getBytes(1), rs.getBytes(2))) : Optional.empty();
      }
    }
  }

  /**
   * Claims the key before doing the work: true when this caller owns it; false when
   * another call already claimed it (a concurrent duplicate waits here for the first to
   * finish, thanks to the unique key, and then sees it).
   */
  public boolean claim(Connection c, String scope, String requestId, byte[] hash, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO idempotency_records (scope, request_id, request_hash, response, created_at)"
            + " VALUES (?, ?, ?, '\\x'::bytea, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, scope);
      ps.setString(2, requestId);
      ps.setBytes(3, hash);
      ps.setTimestamp(4, Timestamp.from(now));
      return ps.executeUpdate() == 1;
    }
  }

  /** Stores the response of a claimed key. */
  public void complete(Connection c, String scope, String requestId, byte[] response)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE idempotency_records SET response = ? WHERE scope = ? AND request_id = ?")) {
      ps.setBytes(1, response);
      ps.setString(2, scope);
      ps.setString(3, requestId);
      ps.executeUpdate();
    }
  }
}
