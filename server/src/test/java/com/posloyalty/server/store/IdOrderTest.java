package com.posloyalty.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.domain.Ids;
import com.posloyalty.server.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's default collation, the order of the primary-key indexes, sorts ids by their
 * creation time as Java does, so new rows' keys land at the indexes' right-hand edge.
 */
class IdOrderTest {

  @Test
  void postgresOrdersIdsByTheirCreationTime() throws Exception {
    // Times whose encodings mix digits and letters ("000000000z" then "0000000010" at
    // 31 and 32 ms), in creation order.
    List<Instant> times = List.of(Instant.EPOCH, Instant.ofEpochMilli(31),
        Instant.ofEpochMilli(32), Instant.parse("2026-11-24T06:00:00.123Z"),
        Instant.parse("2099-12-31T23:59:59.999Z"));
    List<String> ids = new ArrayList<>();
    for (Instant t : times) {
      ids.add(Ids.next("txn", t));
    }
    List<String> reversed = new ArrayList<>(ids);
    Collections.reverse(reversed);

    assertThat(orderedByPostgres(reversed)).isEqualTo(ids);
  }

  private static List<String> orderedByPostgres(List<String> ids) throws Exception {
    List<String> ordered = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(TestServices.newDatabase("idorder"),
            "postgres", "");
        PreparedStatement ps = c.prepareStatement(
            "SELECT id FROM unnest(?::text[]) AS id ORDER BY id")) {
      ps.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ordered.add(rs.getString(1));
        }
      }
    }
    return ordered;
  }
}
