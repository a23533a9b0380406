package com.posloyalty.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A commit group's statements keep the plan they are first given on a connection, so that plan
 * must find rows through the indexes even when it is made on an empty database: under {@link
 * GroupPlans#SETTINGS} no generic plan of theirs reads a table whole; without them, on the
 * same empty tables, PostgreSQL's generic plan for a group's completion does.
 */
class GroupPlansTest {

  private static final Map<String, String> STATEMENTS = Map.of(
      "claimAll", TransactionStore.CLAIM_ALL,
      "postAll", SalePosting.POST_ALL,
      "completeAll", TransactionStore.COMPLETE_ALL);

  private static String url;

  @BeforeAll
  static void emptyDatabase() {
    url = TestServices.migratedDatabase("groupplans");
  }

  @Test
  void underTheGroupSettingsNoStatementScansATableWhole() throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      c.setAutoCommit(false);
      GroupPlans.apply(c);
      for (Map.Entry<String, String> s : STATEMENTS.entrySet()) {
        String plan = genericPlan(c, s.getKey(), s.getValue());
        assertThat(plan).as(s.getKey()).doesNotContain("Seq Scan", "Hash Join", "Merge Join")
            .contains("Index");
      }
      c.rollback();
    }
  }

  @Test
  void theSettingsEndWithTheTransaction() throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      c.setAutoCommit(false);
      GroupPlans.apply(c);
      assertThat(setting(c, "enable_seqscan")).isEqualTo("off");
      c.commit();
      assertThat(setting(c, "enable_seqscan")).isEqualTo("on");
      assertThat(setting(c, "plan_cache_mode")).isEqualTo("auto");
    }
  }

  @Test
  void withoutThemTheGenericPlanOfACompletionScansTransactionsWhole() throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
      }
      assertThat(genericPlan(c, "completeAll", TransactionStore.COMPLETE_ALL))
          .contains("Seq Scan on transactions");
      c.rollback();
    }
  }

  /** The plan PostgreSQL caches for {@code sql} on this connection, under its settings. */
  private static String genericPlan(Connection c, String name, String sql) throws Exception {
    StringBuilder numbered = new StringBuilder();
    int params = 0;
    for (char ch : sql.toCharArray()) {
      if (ch == '?') {
        numbered.append('$').append(++params);
      } else {
        numbered.append(ch);
      }
    }
    StringBuilder plan = new StringBuilder();
    try (Statement s = c.createStatement()) {
      s.execute("PREPARE " + name + " AS " + numbered);
      try (ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) EXECUTE " + name + "("
          + String.join(", ", Collections.nCopies(params, "NULL")) + ")")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      s.execute("DEALLOCATE " + name);
    }
    return plan.toString();
  }

  private static String setting(Connection c, String name) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
