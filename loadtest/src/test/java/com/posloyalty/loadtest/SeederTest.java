package com.posloyalty.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.server.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeded population, on a database of its own migrated by a real server. */
class SeederTest {

  @Test
  void seedsThePopulationOnceAndLeavesItVacuumed() throws Exception {
    String url = TestServices.newDatabase("loadtest_seeder");
    try (TestServer server = TestServer.start(url, TestServices.redisUrl(), "seeder",
        Clock.systemUTC(), Map.of())) {
      PostgresTarget db = new PostgresTarget(url, "postgres", "");
      Seeder.Dataset seeded = new Seeder(db, 2).ensure(300, 3_000);
      assertThat(seeded.reused()).isFalse();
      assertThat(seeded.ledgerRowsInDatabase()).isEqualTo(3_000);

      try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
          "SELECT relpages, relallvisible FROM pg_class WHERE relname = ?")) {
        for (String table : new String[] {"point_lots", "ledger_entries", "members"}) {
          ps.setString(1, table);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            // Every page all-visible: a sale's index-only reads of the history touch no heap.
            assertThat(rs.getInt(1)).as(table + " pages").isPositive();
            assertThat(rs.getInt(2)).as(table + " pages all-visible").isEqualTo(rs.getInt(1));
          }
        }
      }

      Seeder.Dataset again = new Seeder(db, 2).ensure(300, 3_000);
      assertThat(again.reused()).isTrue();
      assertThat(again.ledgerRowsInDatabase()).isEqualTo(3_000);
    }
  }
}
