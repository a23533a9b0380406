package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.LockWaits;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.ReturnReceipt;
import com.posloyalty.v1.TransactionKey;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Returns racing other changes to the same member or the same return id. */
class ReturnRacesTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static TestServer server;
  private static int members;

  @BeforeAll
  static void start() {
    // The program's default: the balance may not go negative.
    server = TestServer.startWithProgram("return_races", Clock.systemUTC(), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String enroll() {
    members++;
    return server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
        .setRequestId("race-" + members).setPointOfSale(LANE).setGivenName("R")
        .setPhone("+49151000008" + String.format("%02d", members)).build())
        .getMember().getMemberId();
  }

  private static Receipt buy(String posId, String member) {
    return server.checkout().commitTransaction(CommitTransactionRequest.newBuilder()
        .setPointOfSale(LANE).setPosTransactionId(posId).setMemberId(member)
        .setBasket(eur(line("1", "X", "", 1, 10_000))).build()).getReceipt();
  }

  private static ReturnItemsRequest returnOf(String posId, String returnId) {
    return ReturnItemsRequest.newBuilder().setPointOfSale(LANE).setReturnId(returnId)
        .setOriginal(TransactionKey.newBuilder().setStoreId("s1").setTerminalId("lane-1")
            .setPosTransactionId(posId))
        .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1)).build();
  }

  private static long available(String member) {
    return server.queryLong("SELECT available FROM balances WHERE member_id = '" + member + "'");
  }

  @Test
  void aReturnCapsItsReversalAgainstPointsSpentWhileItRan() throws Exception {
    String member = enroll();
    assertThat(buy("cap-1", member).getAvailablePoints()).isEqualTo(100);
    // While the return runs, a hold of all 100 points (as ReserveRedemption makes it) has
    // the balance row and commits.
    ReturnReceipt receipt;
    try (Connection hold = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
      hold.setAutoCommit(false);
      try (PreparedStatement ps = hold.prepareStatement("UPDATE balances SET available ="
          + " available - 100, held = held + 100, version = version + 1 WHERE member_id = ?")) {
        ps.setString(1, member);
        ps.executeUpdate();
      }
      CompletableFuture<ReturnReceipt> returning = CompletableFuture.supplyAsync(
          () -> server.checkout().returnItems(returnOf("cap-1", "cap-ret")).getReceipt());
      LockWaits.awaitOne(server.jdbcUrl());
      hold.commit();
      receipt = returning.get(10, TimeUnit.SECONDS);
    }

    assertThat(receipt.getPointsReversed()).isZero();
    assertThat(receipt.getShortfallPoints()).isEqualTo(100);
    assertThat(receipt.getAvailablePoints()).isZero();
    assertThat(available(member)).isZero();
  }

  @Test
  void aReturnIdTakenAtOnceForAnotherSaleIsRefusedAsReused() throws Exception {
    String member = enroll();
    Receipt first = buy("dup-1", member);
    buy("dup-2", member);
    // A return against dup-1 with this id has written its row and not committed yet.
    StatusRuntimeException refused;
    try (Connection other = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
      other.setAutoCommit(false);
      try (PreparedStatement ps = other.prepareStatement("INSERT INTO returns (return_id,"
          + " transaction_id, request_hash, receipt, created_at)"
          + " VALUES ('dup-ret', ?, '\\x00', '\\x', now())")) {
        ps.setString(1, first.getTransactionId());
        ps.executeUpdate();
      }
      CompletableFuture<ReturnReceipt> returning = CompletableFuture.supplyAsync(
          () -> server.checkout().returnItems(returnOf("dup-2", "dup-ret")).getReceipt());
      LockWaits.awaitOne(server.jdbcUrl());
      other.commit();
      refused = expect(Status.Code.ALREADY_EXISTS, () -> {
        try {
          returning.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw (RuntimeException) e.getCause();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }

    assertThat(reason(refused)).isEqualTo("RETURN_ID_REUSED");
    assertThat(available(member)).isEqualTo(200);
    assertThat(server.queryLong("SELECT count(*) FROM transaction_lines l JOIN transactions t"
        + " USING (transaction_id) WHERE t.member_id = '" + member + "'"
        + " AND l.returned_quantity > 0")).isZero();
  }
}
