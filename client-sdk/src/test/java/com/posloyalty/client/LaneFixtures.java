package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.VerifyLedgerRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the end-to-end tests share: a lane of store-1 talking to a real server, its sales, and
 * the checks that read the server's database.
 */
final class LaneFixtures {
  static final String STORE = "store-1";
  static final String TERMINAL = "lane-1";
  /**
   * Settings of every server these tests start. The database timeout is generous because a
   * loaded test machine can take longer than the server's default to open the first connection
   * to a fresh database, which the server migrates at start through the same pool.
   */
  static final Map<String, String> SERVER_SETTINGS = Map.of("LOYALTY_DB_TIMEOUT_MS", "5000");

  private LaneFixtures() {}

  /** A new checkout key bound to {@link #STORE}, as an operator issues one per terminal. */
  static String laneKey(TestServer server) {
    return server.app().component().apiKeys()
        .create(EnumSet.of(Scope.CHECKOUT), Optional.of(STORE), "lane", "test").secret();
  }

  /**
   * A client builder for lane-1 of store-1 over plaintext to {@code target}. The deadlines are
   * generous so that a loaded test machine cannot fail a call; the tests about deadlines set
   * the production ones.
   */
  static LoyaltyClientBuilder lane(String target, String apiKey) {
    return LoyaltyClient.builder().target(target).usePlaintext().apiKey(apiKey)
        .storeId(STORE).terminalId(TERMINAL)
        .checkoutDeadline(Duration.ofSeconds(30)).backOfficeDeadline(Duration.ofSeconds(30));
  }

  /** The {@code host:port} of the server's gRPC listener. */
  static String target(TestServer server) {
    return "127.0.0.1:" + server.app().grpcPort();
  }

  /** A sale of one line that earns {@code points} points under the default program. */
  static CommitTransactionRequest sale(String posTransactionId, String memberId, long points) {
    return CommitTransactionRequest.newBuilder().setPosTransactionId(posTransactionId)
        .setMemberId(memberId)
        .setBasket(Basket.newBuilder().setCurrencyCode("EUR").addLines(BasketLine.newBuilder()
            .setLineId("1").setSku("4006381333931").setCategory("dairy").setQuantity(1)
            .setUnitPriceMinor(points * 100)))
        .build();
  }

  /** The POS transaction ids of the member's EARN ledger entries, in the order written. */
  static List<String> earnedSales(TestServer server, String memberId) {
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
        PreparedStatement s = c.prepareStatement("SELECT reference_id FROM ledger_entries"
            + " WHERE member_id = ? AND entry_type = 'EARN' ORDER BY entry_id")) {
      s.setString(1, memberId);
      List<String> sales = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          sales.add(rows.getString(1));
        }
      }
      return sales;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sum of the member's ledger entries. */
  static long ledgerSum(TestServer server, String memberId) {
    return server.queryLong("SELECT COALESCE(SUM(points), 0) FROM ledger_entries"
        + " WHERE member_id = '" + memberId + "'");
  }

  /** Asserts that every member's balance equals their ledger, as the service itself checks. */
  static void assertLedgerMatchesBalances(TestServer server) {
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }

  /** Waits until {@code condition} holds, failing after {@code timeout}. */
  static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      Thread.sleep(5);
    }
  }
}
