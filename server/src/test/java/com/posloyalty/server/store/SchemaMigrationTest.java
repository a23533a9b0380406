package com.posloyalty.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** Migrations run from an empty database, and landed migrations are never edited. */
class SchemaMigrationTest {

  @Test
  void migrationsRunFromAnEmptyDatabase() throws Exception {
    String url = TestServices.newDatabase("schema");
    Flyway flyway = Flyway.configure().dataSource(url, "postgres", "")
        .locations("classpath:db/migration").load();
    MigrateResult result = flyway.migrate();
    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isEqualTo(landed().size());
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
                + " AND table_name IN ('members', 'cards', 'balances', 'ledger_entries',"
                + " 'transactions', 'program', 'tiers', 'earning_rules', 'point_lots',"
                + " 'reservations', 'rewards', 'outbox_events', 'audit_log')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(13);
    }
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_constraint"
            + " WHERE conrelid = 'transaction_lines'::regclass AND contype = 'f'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("V6 drops the per-line key check").isZero();
    }
    assertThat(flyway.migrate().migrationsExecuted).isZero();
  }

  @Test
  void landedMigrationsAreNeverEdited() throws Exception {
    for (Map.Entry<String, String> e : landed().entrySet()) {
      try (InputStream in = getClass().getResourceAsStream("/db/migration/" + e.getKey())) {
        assertThat(in).as("migration %s still exists", e.getKey()).isNotNull();
        String sha = HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        assertThat(sha).as("%s changed after it landed: add a new migration instead", e.getKey())
            .isEqualTo(e.getValue());
      }
    }
  }

  /** db/landed-migrations.properties: file name → SHA-256 of the landed migration. */
  private static Map<String, String> landed() throws IOException {
    Properties p = new Properties();
    try (InputStream in = SchemaMigrationTest.class.getResourceAsStream(
        "/db/landed-migrations.properties")) {
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}
