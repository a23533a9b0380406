package com.posloyalty.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.testing.TestServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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
            + " WHERE conrelid = 'sale_lines'::regclass AND contype = 'f'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("V6: no key check of a sale's lines").isZero();
    }
    assertThat(flyway.migrate().migrationsExecuted).isZero();
  }

  /**
   * V8: a sale's row, inserted small by its claim and rewritten with its receipt, is
   * nearly always rewritten on its own page (HOT: no index entries added), for pages of claims
   * rewritten together as a group does. Counted by PostgreSQL within the transaction.
   */
  @Test
  void aClaimedSaleIsRewrittenWithItsReceiptOnItsOwnPage() throws Exception {
    String url = TestServices.migratedDatabase("schemahot");
    int sales = 60;
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      c.setAutoCommit(false);
      c.createStatement().execute("INSERT INTO members (member_id, status, tier_id,"
          + " created_at, updated_at) SELECT 'm' || i, 'ACTIVE', 'member', now(), now()"
          + " FROM generate_series(1, " + sales + ") i");
      c.createStatement().execute("INSERT INTO transactions (transaction_id, store_id,"
          + " terminal_id, pos_transaction_id, member_id, request_hash, receipt, occurred_at,"
          + " committed_at, eligible_minor, basket_bonus_points, status)"
          + " SELECT 'txn_' || lpad(i::text, 26, '0'), 'store-1', 'lane-1',"
          + " 'pos-' || lpad(i::text, 12, '0'), 'm' || i, sha256(i::text::bytea), '\\x',"
          + " now(), now(), 0, 0, 'COMMITTED' FROM generate_series(1, " + sales + ") i");
      // A receipt of the load test's size (about 450 bytes).
      c.createStatement().execute("UPDATE transactions SET receipt ="
          + " decode(repeat(md5(transaction_id), 28), 'hex'), eligible_minor = 1000");
      try (ResultSet rs = c.createStatement().executeQuery("SELECT n_tup_upd, n_tup_hot_upd"
          + " FROM pg_stat_xact_user_tables WHERE relname = 'transactions'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(sales);
        // 54 of 60 here (a page's last claim may not find room), 0 of 60 without V8.
        assertThat(rs.getLong(2)).as("rewrites on the row's own page")
            .isGreaterThanOrEqualTo(sales * 8 / 10);
      }
      c.rollback();
    }
  }

  /**
   * V10: the lines of the sales made before it, a row a line, become one row of arrays a
   * sale; read through the view {@code transaction_lines} they are the same lines, in the
   * same order, returns included. A line then takes a return only up to what it sold.
   */
  @Test
  void linesWrittenARowALineAreKeptWhenTheyBecomeOneRowASale() throws Exception {
    String url = TestServices.newDatabase("schemalines");
    Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration")
        .target("9").load().migrate();
    String lines = "SELECT transaction_id, line_no, line_id, sku, quantity, net_minor,"
        + " eligible_minor, points, returned_quantity, reversed_points FROM transaction_lines"
        + " ORDER BY transaction_id, line_no";
    List<List<Object>> before;
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      c.createStatement().execute("INSERT INTO members (member_id, status, tier_id,"
          + " created_at, updated_at) VALUES ('m1', 'ACTIVE', 'member', now(), now())");
      for (String txn : new String[] {"txn_a", "txn_b"}) {
        c.createStatement().execute("INSERT INTO transactions (transaction_id, store_id,"
            + " terminal_id, pos_transaction_id, member_id, request_hash, receipt, occurred_at,"
            + " committed_at, eligible_minor, basket_bonus_points, status) VALUES ('" + txn
            + "', 'store-1', 'lane-1', '" + txn + "', 'm1', '\\x00', '\\x00', now(), now(),"
            + " 0, 0, 'COMMITTED')");
      }
      // Inserted out of order, and one line partly returned.
      c.createStatement().execute("INSERT INTO transaction_lines (transaction_id, line_no,"
          + " line_id, sku, quantity, net_minor, eligible_minor, points, returned_quantity,"
          + " reversed_points) VALUES ('txn_a', 1, '2', 'APPLES', 3, 450, 450, 8, 1, 2),"
          + " ('txn_a', 0, '1', 'MILK', 2, 398, 398, 3, 0, 0),"
          + " ('txn_b', 0, 'x', 'CIGS', 1, 1000, 0, 0, 0, 0),"
          + " ('txn_a', 2, '3', 'COFFEE', 1, 900, 900, 27, 0, 0)");
      before = rows(c, lines);
    }
    Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration")
        .load().migrate();
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      assertThat(rows(c, lines)).hasSize(4).isEqualTo(before);
      assertThat(rows(c, "SELECT count(*) FROM sale_lines")).containsExactly(List.of(2L));

      TransactionStore store = new TransactionStore();
      c.setAutoCommit(false);
      store.addReturned(c, "txn_a", "2", 2, 6);
      assertThat(store.lines(c, "txn_a")).extracting(l -> l.returnedQuantity())
          .containsExactly(0L, 3L, 0L);
      for (long[] tooMuch : new long[][] {{1, 0}, {0, 1}}) {
        assertThatThrownBy(() -> store.addReturned(c, "txn_a", "2", tooMuch[0], tooMuch[1]))
            .isInstanceOf(IllegalStateException.class);
      }
      assertThatThrownBy(() -> store.addReturned(c, "txn_a", "9", 1, 0))
          .as("no such line").isInstanceOf(IllegalStateException.class);
      assertThat(store.lines(c, "txn_a")).extracting(l -> l.reversedPoints())
          .containsExactly(0L, 8L, 0L);
      c.rollback();
    }
  }

  private static List<List<Object>> rows(Connection c, String sql) throws SQLException {
    List<List<Object>> out = new ArrayList<>();
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
    }
    return out;
  }

  /**
   * V9: a sale's rows name their member without a foreign key, on the rule that a member row
   * is never deleted (erasure and merging keep it). The schema refuses a delete or a truncate.
   */
  @Test
  void aMemberRowIsNeverDeleted() throws Exception {
    String url = TestServices.migratedDatabase("schemamember");
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      c.createStatement().execute("INSERT INTO members (member_id, status, tier_id,"
          + " created_at, updated_at) VALUES ('m1', 'ERASED', 'member', now(), now())");
      for (String sql : new String[] {"DELETE FROM members WHERE member_id = 'm1'",
          "TRUNCATE members CASCADE"}) {
        assertThatThrownBy(() -> c.createStatement().execute(sql)).as(sql)
            .isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("23001"))
            .hasMessageContaining("members are never deleted");
      }
      try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM members")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
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
