package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VerifyLedgerRequest;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many threads committing, replaying and returning for the same few members: every sale
 * and return applies exactly once (DESIGN §4.2) and every balance equals its ledger (§4.1).
 */
class CheckoutConcurrencyTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("concurrency", Clock.systemUTC(), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void commitsReplaysAndReturnsApplyExactlyOnce() throws Exception {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      members.add(server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
          .setRequestId("c-" + i).setPointOfSale(LANE).setGivenName("C")
          .setPhone("+491510000100" + i).build()).getMember().getMemberId());
    }
    int sales = 120;
    Map<Integer, Receipt> receipts = new ConcurrentHashMap<>();
    AtomicInteger unexpected = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<?>> work = new ArrayList<>();
    // Each sale is sent twice back to back (so the copies race), then each of its two
    // returns is sent twice back to back.
    for (int op = 0; op < sales * 6; op++) {
      boolean isReturn = op >= sales * 2;
      int sale = isReturn ? (op - sales * 2) / 4 : op / 2;
      int which = isReturn ? ((op - sales * 2) / 2) % 2 : 0;
      work.add(pool.submit(() -> {
        try {
          if (isReturn) {
            returnOne(sale, which);
          } else {
            Receipt r = server.checkout().commitTransaction(commit(sale, members)).getReceipt();
            Receipt first = receipts.putIfAbsent(sale, r);
            if (first != null && !first.equals(r)) {
              unexpected.incrementAndGet();
            }
          }
        } catch (StatusRuntimeException e) {
          unexpected.incrementAndGet();
          failures.add(e.getStatus().toString());
        }
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();

    assertThat(failures).isEmpty();
    assertThat(unexpected).hasValue(0);
    assertThat(receipts).hasSize(sales);
    assertThat(server.queryLong("SELECT count(*) FROM transactions")).isEqualTo(sales);
    assertThat(server.queryLong("SELECT count(*) FROM (SELECT reference_id FROM ledger_entries"
        + " WHERE entry_type = 'EARN' GROUP BY reference_id HAVING count(*) > 1) d")).isZero();
    assertThat(server.queryLong("SELECT count(*) FROM ledger_entries WHERE entry_type = 'EARN'"))
        .isEqualTo(sales);
    // Each sale's two returns take one unit each of line 1's two: each applied once.
    assertThat(server.queryLong("SELECT count(*) FROM returns")).isEqualTo(sales * 2L);
    assertThat(server.queryLong("SELECT count(*) FROM ledger_entries WHERE entry_type = 'RETURN'"))
        .isEqualTo(sales * 2L);
    assertThat(server.queryLong("SELECT count(*) FROM transaction_lines WHERE line_id = '1'"
        + " AND (returned_quantity <> 2 OR reversed_points <> points)")).isZero();
    long earned = receipts.values().stream().mapToLong(r -> r.getEarning().getTotalPoints()).sum();
    long reversed = receipts.values().stream()
        .mapToLong(r -> r.getEarning().getLines(0).getPoints()).sum();
    assertThat(server.queryLong("SELECT SUM(available + held) FROM balances")).isEqualTo(earned - reversed);
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }

  private static CommitTransactionRequest commit(int sale, List<String> members) {
    return CommitTransactionRequest.newBuilder().setPointOfSale(LANE)
        .setPosTransactionId("sale-" + sale).setMemberId(members.get(sale % members.size()))
        .setBasket(eur(line("1", "COFFEE", "coffee", 2, 1000 + sale), line("2", "MILK", "", 1, 250)))
        .build();
  }

  private static void returnOne(int sale, int which) {
    server.checkout().returnItems(ReturnItemsRequest.newBuilder().setPointOfSale(LANE)
        .setReturnId("ret-" + sale + "-" + which)
        .setOriginal(TransactionKey.newBuilder().setStoreId("s1").setTerminalId("lane-1")
            .setPosTransactionId("sale-" + sale))
        .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1)).build());
  }
}
