package com.posloyalty.server.store;

import com.posloyalty.server.domain.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The installation's own secrets: generated once by the first instance that needs one and
 * read by every instance after, so all of them agree without any configuration.
 */
@Singleton
public final class ServerSecrets {

  /** The key of the identifiers' keyed hash in Redis. */
  public static final String CACHE_IDENTIFIERS = "cache-identifiers";

  @Inject
  public ServerSecrets() {}

  /** The secret called {@code name}, created (32 random bytes) if there is none yet. */
  public byte[] ensure(Connection c, String name, Instant now) throws SQLException {
    byte[] fresh = new byte[32];
    Ids.random().nextBytes(fresh);
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO server_secrets"
        + " (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
      insert.setString(1, name);
      insert.setBytes(2, fresh);
      insert.setTimestamp(3, Timestamp.from(now));
      insert.executeUpdate();
    }
    try (PreparedStatement select = c.prepareStatement(
        "SELECT secret FROM server_secrets WHERE name = ?")) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }
}
