package com.posloyalty.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The audit's checks that no key constraint backs: each finds what it is there to find. */
class LedgerAuditTest {

  @Test
  void rowsOfAMemberThatDoesNotExistAreFound() throws Exception {
    String url = TestServices.migratedDatabase("auditmember");
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        Statement s = c.createStatement();
        LedgerAudit audit = new LedgerAudit(url)) {
      s.execute("INSERT INTO members (member_id, status, tier_id, created_at, updated_at)"
          + " VALUES ('m1', 'ACTIVE', 'member', now(), now())");
      s.execute("INSERT INTO balances (member_id, available, held, version, updated_at)"
          + " VALUES ('m1', 10, 0, 1, now())");
      s.execute("INSERT INTO ledger_entries (member_id, entry_type, points, balance_after,"
          + " created_at, occurred_at, description, actor)"
          + " VALUES ('m1', 'ADJUST', 10, 10, now(), now(), 'opening', 'test')");
      s.execute("INSERT INTO point_lots (member_id, points, remaining, earned_at)"
          + " VALUES ('m1', 10, 10, now())");
      LedgerAudit.Findings before = audit.audit();
      assertThat(before.rowsWithoutMember()).isZero();
      assertThat(before.clean()).isTrue();

      // Since V9 no foreign key refuses these: the audit has to find them.
      s.execute("INSERT INTO ledger_entries (member_id, entry_type, points, balance_after,"
          + " created_at, occurred_at, description, actor)"
          + " VALUES ('nobody', 'ADJUST', 0, 0, now(), now(), 'stray', 'test')");
      s.execute("INSERT INTO spend_events (member_id, occurred_at, amount_minor, reference_id)"
          + " VALUES ('nobody', now(), 100, 'stray')");
      s.execute("INSERT INTO point_lots (member_id, points, remaining, earned_at)"
          + " VALUES ('nobody', 5, 0, now())");
      s.execute("INSERT INTO transactions (transaction_id, store_id, terminal_id,"
          + " pos_transaction_id, member_id, request_hash, receipt, occurred_at, committed_at,"
          + " eligible_minor, basket_bonus_points, status) VALUES ('txn_stray', 'store-1',"
          + " 'lane-1', 'pos-1', 'nobody', '\\x00', '\\x00', now(), now(), 0, 0, 'COMMITTED')");
      LedgerAudit.Findings findings = audit.audit();
      assertThat(findings.rowsWithoutMember()).isEqualTo(4);
      assertThat(findings.clean()).isFalse();
    }
  }
}
