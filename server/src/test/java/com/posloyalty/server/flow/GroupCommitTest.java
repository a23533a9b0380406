package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Timestamp;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.LockWaits;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.VerifyLedgerRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Gauge;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sales that wait together are committed together, in one transaction (decision 33), and
 * each is answered exactly as it would be on its own: a replay, a reused key, an unknown
 * or blocked member, a sale out of its time window and a referral bonus in the same group
 * as plain sales get their own answers, and write nothing or exactly their own sale.
 *
 * <p>A group forms deterministically: the test locks two members' rows, commits a sale of
 * each (the two groups this server allows at once then wait on those locks), lets the
 * other sales queue behind them (the {@code loyalty.commit.waiting} gauge counts them),
 * then releases the locks.
 */
class GroupCommitTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static TestServer server;

  @BeforeAll
  static void start() {
    // Two groups at once, so that the two held sales occupy both.
    server = TestServer.startWithProgram("groupcommit", Clock.systemUTC(),
        Map.of("LOYALTY_COMMIT_GROUPS_RUNNING", "2"),
        "UPDATE program SET referral_bonus_points = 250");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static EnrollMemberResponse enroll(String id, String phone, String referrerCard) {
    return server.checkout().enrollMember(EnrollMemberRequest.newBuilder().setRequestId(id)
        .setPointOfSale(LANE).setGivenName("G").setPhone(phone).setReferrer(referrerCard)
        .build());
  }

  private static String member(String id, String phone) {
    return enroll(id, phone, "").getMember().getMemberId();
  }

  private static CommitTransactionRequest sale(String posId, String memberId, long cents) {
    return CommitTransactionRequest.newBuilder().setPointOfSale(LANE).setPosTransactionId(posId)
        .setMemberId(memberId).setBasket(eur(line("1", "COFFEE", "coffee", 2, cents))).build();
  }

  private static ListenableFuture<CommitTransactionResponse> send(CommitTransactionRequest r) {
    return CheckoutServiceGrpc.newFutureStub(server.channel())
        .withCallCredentials(TestServer.bearer(server.apiKey()))
        .withDeadlineAfter(30, TimeUnit.SECONDS).commitTransaction(r);
  }

  private static double waiting() {
    Gauge gauge = server.app().component().metrics().find("loyalty.commit.waiting").gauge();
    return gauge == null ? -1 : gauge.value();
  }

  /**
   * Runs {@code held}'s sales first, each blocked on its member's row lock, then sends
   * {@code queued} while both groups wait, and releases the locks once all of them queue.
   */
  private static Map<String, Object> commitBehindLocks(List<CommitTransactionRequest> held,
      List<CommitTransactionRequest> queued) throws Exception {
    Map<String, ListenableFuture<CommitTransactionResponse>> calls = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      List<String> ids = held.stream().map(r -> "'" + r.getMemberId() + "'").toList();
      s.execute("SELECT 1 FROM members WHERE member_id IN (" + String.join(",", ids)
          + ") FOR UPDATE");
      for (CommitTransactionRequest r : held) {
        calls.put(r.getPosTransactionId(), send(r));
      }
      LockWaits.await(server.jdbcUrl(), held.size());
      for (CommitTransactionRequest r : queued) {
        calls.put(r.getPosTransactionId(), send(r));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (waiting() < queued.size() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(waiting()).isEqualTo(queued.size());
      c.rollback();
    }
    Map<String, Object> answers = new LinkedHashMap<>();
    for (Map.Entry<String, ListenableFuture<CommitTransactionResponse>> e : calls.entrySet()) {
      try {
        answers.put(e.getKey(), e.getValue().get(30, TimeUnit.SECONDS));
      } catch (ExecutionException failed) {
        answers.put(e.getKey(), failed.getCause());
      }
    }
    return answers;
  }

  /** The distinct PostgreSQL transactions that wrote the sales with these POS ids. */
  private static long writers(List<String> posIds) {
    List<String> quoted = posIds.stream().map(p -> "'" + p + "'").toList();
    return server.queryLong("SELECT count(DISTINCT xmin::text) FROM transactions"
        + " WHERE pos_transaction_id IN (" + String.join(",", quoted) + ")");
  }

  private static long balance(String memberId) {
    return server.queryLong("SELECT available FROM balances WHERE member_id = '" + memberId + "'");
  }

  @Test
  void salesThatWaitedTogetherCommitInOneTransaction() throws Exception {
    List<String> m = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      m.add(member("one-" + i, "+491520000010" + i));
    }
    List<CommitTransactionRequest> queued = new ArrayList<>();
    for (int i = 2; i < 6; i++) {
      queued.add(sale("one-sale-" + i, m.get(i), 1000 + i));
    }
    Map<String, Object> answers = commitBehindLocks(
        List.of(sale("one-sale-0", m.get(0), 1000), sale("one-sale-1", m.get(1), 1001)), queued);

    for (Object a : answers.values()) {
      assertThat(a).isInstanceOf(CommitTransactionResponse.class);
    }
    assertThat(writers(List.of("one-sale-2", "one-sale-3", "one-sale-4", "one-sale-5")))
        .isEqualTo(1);
    assertThat(writers(List.of("one-sale-0", "one-sale-1", "one-sale-2"))).isEqualTo(3);
    for (int i = 0; i < 6; i++) {
      CommitTransactionResponse r = (CommitTransactionResponse) answers.get("one-sale-" + i);
      assertThat(r.getReplayed()).isFalse();
      assertThat(r.getReceipt().getMemberId()).isEqualTo(m.get(i));
      assertThat(r.getReceipt().getEarning().getTotalPoints()).isPositive();
      // Each receipt shows its own member's balance, which is what the sale earned.
      assertThat(r.getReceipt().getAvailablePoints())
          .isEqualTo(r.getReceipt().getEarning().getTotalPoints())
          .isEqualTo(balance(m.get(i)));
      assertThat(server.queryLong("SELECT count(*) FROM transaction_lines l JOIN transactions t"
          + " USING (transaction_id) WHERE t.pos_transaction_id = 'one-sale-" + i + "'"))
          .isEqualTo(1);
    }
    assertThat(server.queryLong("SELECT count(*) FROM outbox_events"
        + " WHERE event_type = 'TRANSACTION_COMMITTED'")).isGreaterThanOrEqualTo(6);
    assertThat(server.app().component().metrics().find("loyalty.commit.group.sales")
        .summary().max()).isGreaterThanOrEqualTo(4);
    // The cache holds what each sale acknowledged: a lookup is answered with the new balance.
    for (int i = 0; i < 6; i++) {
      assertThat(server.checkout().identifyMember(com.posloyalty.v1.IdentifyMemberRequest
          .newBuilder().setPointOfSale(LANE).setMemberId(m.get(i)).build()).getMember()
          .getAvailablePoints()).isEqualTo(balance(m.get(i)));
    }
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }

  @Test
  void aGroupAnswersEachSaleAsItWouldOnItsOwn() throws Exception {
    String h0 = member("mix-h0", "+4915200000200");
    String h1 = member("mix-h1", "+4915200000201");
    String plainA = member("mix-a", "+4915200000202");
    String plainB = member("mix-b", "+4915200000203");
    String replayed = member("mix-r", "+4915200000204");
    String reused = member("mix-k", "+4915200000205");
    String blocked = member("mix-x", "+4915200000206");
    String late = member("mix-l", "+4915200000207");
    EnrollMemberResponse referrer = enroll("mix-ref", "+4915200000208", "");
    String referred = enroll("mix-red", "+4915200000209", referrer.getCardNumber())
        .getMember().getMemberId();

    CommitTransactionResponse first = server.checkout().commitTransaction(
        sale("mix-earlier-r", replayed, 1500));
    server.checkout().commitTransaction(sale("mix-earlier-k", reused, 1500));
    server.sql("UPDATE members SET status = 'BLOCKED' WHERE member_id = '" + blocked + "'");
    long before = server.queryLong("SELECT count(*) FROM transactions");

    Map<String, Object> answers = commitBehindLocks(
        List.of(sale("mix-h0", h0, 1000), sale("mix-h1", h1, 1000)),
        List.of(sale("mix-a", plainA, 1200),
            sale("mix-earlier-r", replayed, 1500),
            sale("mix-earlier-k", reused, 9999),
            sale("mix-unknown", "mem_doesnotexist000000", 1000),
            sale("mix-x", blocked, 1000),
            sale("mix-l", late, 1000).toBuilder().setOccurTime(Timestamp.newBuilder()
                .setSeconds(Instant.now().minusSeconds(90 * 86400).getEpochSecond())).build(),
            sale("mix-red", referred, 1000),
            sale("mix-b", plainB, 1300)));

    CommitTransactionResponse again = (CommitTransactionResponse) answers.get("mix-earlier-r");
    assertThat(again.getReplayed()).isTrue();
    assertThat(again.getReceipt()).isEqualTo(first.getReceipt());
    assertThat(reason(answers.get("mix-earlier-k"), Status.Code.ALREADY_EXISTS))
        .isEqualTo("TRANSACTION_KEY_REUSED");
    assertThat(reason(answers.get("mix-unknown"), Status.Code.NOT_FOUND))
        .isEqualTo("MEMBER_NOT_FOUND");
    assertThat(reason(answers.get("mix-x"), Status.Code.FAILED_PRECONDITION))
        .isEqualTo("MEMBER_NOT_ACTIVE");
    assertThat(reason(answers.get("mix-l"), Status.Code.INVALID_ARGUMENT))
        .isEqualTo("OCCUR_TIME_OUT_OF_WINDOW");
    // The refused sales wrote nothing: five new sales (two held, two plain, the referral).
    assertThat(server.queryLong("SELECT count(*) FROM transactions")).isEqualTo(before + 5);
    for (String refused : List.of("mix-unknown", "mix-x", "mix-l")) {
      assertThat(server.queryLong("SELECT count(*) FROM transactions"
          + " WHERE pos_transaction_id = '" + refused + "'")).isZero();
    }
    // The referral bonus was paid once, by the referred member's sale on its own.
    assertThat(answers.get("mix-red")).isInstanceOf(CommitTransactionResponse.class);
    assertThat(balance(referrer.getMember().getMemberId())).isEqualTo(250);
    // The plain sales of the group committed in one transaction, each with its own points.
    assertThat(writers(List.of("mix-a", "mix-b"))).isEqualTo(1);
    for (String plain : List.of("mix-a", "mix-b")) {
      CommitTransactionResponse r = (CommitTransactionResponse) answers.get(plain);
      assertThat(r.getReceipt().getAvailablePoints())
          .isEqualTo(r.getReceipt().getEarning().getTotalPoints())
          .isEqualTo(balance(r.getReceipt().getMemberId()));
    }
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }

  @Test
  void oneSalesBadTextDoesNotRefuseTheOthersOfItsGroup() throws Exception {
    String h0 = member("nul-h0", "+4915200000300");
    String h1 = member("nul-h1", "+4915200000301");
    String bad = member("nul-bad", "+4915200000302");
    String c = member("nul-c", "+4915200000303");
    String d = member("nul-d", "+4915200000304");
    CommitTransactionRequest nul = sale("nul-bad", bad, 1000).toBuilder()
        .setBasket(eur(line("1", "COF\u0000FEE", "coffee", 1, 1000))).build();

    Map<String, Object> answers = commitBehindLocks(
        List.of(sale("nul-h0", h0, 1000), sale("nul-h1", h1, 1000)),
        List.of(sale("nul-c", c, 1100), nul, sale("nul-d", d, 1200)));

    // PostgreSQL refuses the text when the group writes its lines; nothing of the group is
    // written then, and each of its sales is committed on its own.
    assertThat(reason(answers.get("nul-bad"), Status.Code.INVALID_ARGUMENT))
        .isEqualTo("INVALID_CHARACTERS");
    assertThat(server.queryLong("SELECT count(*) FROM transactions"
        + " WHERE pos_transaction_id = 'nul-bad'")).isZero();
    assertThat(balance(bad)).isZero();
    for (String ok : List.of("nul-c", "nul-d")) {
      CommitTransactionResponse r = (CommitTransactionResponse) answers.get(ok);
      assertThat(r.getReceipt().getAvailablePoints()).isPositive()
          .isEqualTo(balance(r.getReceipt().getMemberId()));
    }
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }

  private static String reason(Object answer, Status.Code code) {
    assertThat(answer).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException e = (StatusRuntimeException) answer;
    assertThat(e.getStatus().getCode()).isEqualTo(code);
    return GrpcErrors.reason(e);
  }
}
