package com.posloyalty.server.store;

import com.posloyalty.server.domain.Scope;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.inject.Singleton;

/** API keys: their hashes, scopes, stores and revocation. */
@Singleton
public final class ApiKeyStore {

  /** A stored key. */
  public record StoredKey(
      String keyId, byte[] secretHash, Set<Scope> scopes, Optional<String> storeId,
      String label, Instant createdAt, Optional<Instant> revokedAt) {

    public boolean active() {
      return revokedAt.isEmpty();
    }
  }

  private static final String COLUMNS =
      "key_id, secret_hash, scopes, store_id, label, created_at, revoked_at";

  @Inject
  public ApiKeyStore() {}

  public void insert(Connection c, String keyId, byte[] hash, Set<Scope> scopes,
      Optional<String> storeId, String label, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO api_keys (key_id, secret_hash, scopes, store_id, label, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, keyId);
      ps.setBytes(2, hash);
      ps.setArray(3, c.createArrayOf("text", scopes.stream().map(Enum::name).toArray()));
      ps.setString(4, storeId.orElse(null));
      ps.setString(5, label);
      ps.setTimestamp(6, Timestamp.from(now));
      ps.executeUpdate();
    }
  }

  public Optional<StoredKey> find(Connection c, String keyId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM api_keys WHERE key_id = ?")) {
      ps.setString(1, keyId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** Where a page of keys ended: the last key's creation time and id. */
  public record Position(Instant createdAt, String keyId) {}

  /** Keys, newest first (ties by key id), after {@code after} (empty = from the newest). */
  public List<StoredKey> list(Connection c, Optional<String> storeId, boolean showRevoked,
      Optional<Position> after, int limit) throws SQLException {
    List<StoredKey> keys = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM api_keys WHERE (?::text IS NULL OR store_id = ?)"
            + " AND (? OR revoked_at IS NULL) AND (?::timestamptz IS NULL OR created_at < ?"
            + " OR (created_at = ? AND key_id > ?))"
            + " ORDER BY created_at DESC, key_id LIMIT ?")) {
      ps.setString(1, storeId.orElse(null));
      ps.setString(2, storeId.orElse(null));
      ps.setBoolean(3, showRevoked);
      Timestamp before = after.map(p -> Timestamp.from(p.createdAt())).orElse(null);
      ps.setTimestamp(4, before);
      ps.setTimestamp(5, before);
      ps.setTimestamp(6, before);
      ps.setString(7, after.map(Position::keyId).orElse(null));
      ps.setInt(8, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(read(rs));
        }
      }
    }
    return keys;
  }

  /** Revokes the key (keeping the first revocation time); empty when there is no such key. */
  public Optional<StoredKey> revoke(Connection c, String keyId, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?")) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setString(2, keyId);
      ps.executeUpdate();
    }
    return find(c, keyId);
  }

  private static StoredKey read(ResultSet rs) throws SQLException {
    Array array = rs.getArray(3);
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (Object o : (Object[]) array.getArray()) {
      scopes.add(Scope.valueOf(o.toString()));
    }
    Timestamp revoked = rs.getTimestamp(7);
    return new StoredKey(rs.getString(1), rs.getBytes(2), scopes,
        Optional.ofNullable(rs.getString(4)), rs.getString(5), rs.getTimestamp(6).toInstant(),
        revoked == null ? Optional.empty() : Optional.of(revoked.toInstant()));
  }
}
