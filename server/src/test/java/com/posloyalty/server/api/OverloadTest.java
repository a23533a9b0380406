package com.posloyalty.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.Lane;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.PointOfSale;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An overloaded server answers the calls it can in time and sheds the rest without running
 * them: a call that waited longer than LOYALTY_MAX_QUEUE_WAIT_MS for a worker is answered
 * UNAVAILABLE / SERVER_OVERLOADED, one whose deadline passed in the queue is not run at
 * all. Either way nothing is written, and the lane's retry under the same key commits once.
 * The server here has one worker, which the first commit of each test keeps busy by
 * waiting for a balance row another connection holds.
 */
class OverloadTest {

  private static final PointOfSale LANE = TestServer.lane("store-1", "lane-1");
  private static TestServer server;
  private static Lane lane;

  @BeforeAll
  static void start() {
    server = TestServer.start("overload", Clock.systemUTC(),
        Map.of("LOYALTY_DB_POOL_SIZE", "1", "LOYALTY_MAX_QUEUE_WAIT_MS", "100"));
    lane = new Lane(server, LANE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aCallThatWaitedTooLongForAWorkerIsShedUnrunAndItsRetryCommits() throws Exception {
    String waiting = lane.enrol();
    CommitTransactionRequest late = lane.sale(waiting, 2000);
    StatusRuntimeException shed = whileTheWorkerIsBusy(400, () -> GrpcErrors.expect(
        Status.Code.UNAVAILABLE,
        () -> server.checkout().withDeadlineAfter(10, TimeUnit.SECONDS).commitTransaction(late)));

    assertThat(GrpcErrors.reason(shed)).isEqualTo("SERVER_OVERLOADED");
    assertThat(GrpcErrors.retryDelayMillis(shed)).isEqualTo(QueueGuard.RETRY_AFTER_MILLIS);
    assertNothingWritten(waiting, late);
    assertRetryCommitsOnce(late, 20);
  }

  @Test
  void aCallWhoseDeadlinePassedInTheQueueIsNotRun() throws Exception {
    String waiting = lane.enrol();
    CommitTransactionRequest late = lane.sale(waiting, 3000);
    whileTheWorkerIsBusy(600, () -> GrpcErrors.expect(Status.Code.DEADLINE_EXCEEDED,
        () -> server.checkout().withDeadlineAfter(300, TimeUnit.MILLISECONDS)
            .commitTransaction(late)));

    // A call after it runs after it would have, on the one worker: by then nothing is written.
    server.checkout().commitTransaction(lane.sale(lane.enrol(), 100));
    assertNothingWritten(waiting, late);
    assertRetryCommitsOnce(late, 30);
  }

  private interface Call {
    StatusRuntimeException run() throws Exception;
  }

  /**
   * Runs {@code call} while the only worker is held inside a commit, and frees the worker
   * {@code holdMillis} after {@code call} was sent; returns what {@code call} returned.
   */
  private static StatusRuntimeException whileTheWorkerIsBusy(long holdMillis, Call call)
      throws Exception {
    String busy = lane.enrol();
    ListenableFuture<CommitTransactionResponse> first;
    StatusRuntimeException answer;
    try (Connection blocker = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        s.execute("SELECT 1 FROM balances WHERE member_id = '" + busy + "' FOR UPDATE");
      }
      first = CheckoutServiceGrpc.newFutureStub(server.channel())
          .withCallCredentials(TestServer.bearer(server.apiKey()))
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .commitTransaction(lane.sale(busy, 1000));
      awaitLockWaiter();
      Thread releaser = new Thread(() -> {
        try {
          Thread.sleep(holdMillis);
          blocker.rollback();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      releaser.start();
      answer = call.run();
      releaser.join();
    }
    assertThat(first.get(30, TimeUnit.SECONDS).getReceipt().getEarning().getTotalPoints())
        .isEqualTo(10);
    return answer;
  }

  private static void assertNothingWritten(String member, CommitTransactionRequest sale) {
    assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE pos_transaction_id = '"
        + sale.getPosTransactionId() + "'")).isZero();
    assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '"
        + member + "'")).isZero();
  }

  private static void assertRetryCommitsOnce(CommitTransactionRequest sale, long points) {
    CommitTransactionResponse retried = server.checkout().commitTransaction(sale);
    assertThat(retried.getReplayed()).isFalse();
    assertThat(retried.getReceipt().getAvailablePoints()).isEqualTo(points);
    assertThat(server.checkout().commitTransaction(sale).getReplayed()).isTrue();
  }

  private static void awaitLockWaiter() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (server.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
          + " AND datname = current_database()") > 0) {
        return;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("the first commit never waited for the row lock");
  }
}
