package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.posloyalty.server.testing.LockWaits;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.BirthDate;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.VerifyLedgerRequest;
import io.grpc.Status;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A commit at its edges: a birthday bonus raced by another sale, a sale stamped a little in
 * the future, a replay after the sale's time left the window, and a sale that earns nothing
 * but reaches a tier.
 */
class CommitEdgesTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private static TestServer server;
  private static int phones;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("commit_edges", clock, Map.of(),
        "UPDATE program SET birthday_bonus_points = 200",
        "INSERT INTO tiers VALUES ('silver', 'Silver', 1, 10000, 10000)");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String enroll(int birthMonth) {
    phones++;
    return server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
        .setRequestId("edge-" + phones).setPointOfSale(LANE).setGivenName("E")
        .setPhone("+49151000007" + String.format("%02d", phones))
        .setBirthDate(BirthDate.newBuilder().setMonth(birthMonth).setDay(15)).build())
        .getMember().getMemberId();
  }

  private static CommitTransactionRequest sale(String posId, String member, long price,
      Instant occurred) {
    return CommitTransactionRequest.newBuilder().setPointOfSale(LANE).setPosTransactionId(posId)
        .setMemberId(member).setBasket(eur(line("1", "X", "", 1, price)))
        .setOccurTime(Timestamp.newBuilder().setSeconds(occurred.getEpochSecond())).build();
  }

  private static CommitTransactionResponse commit(CommitTransactionRequest request) {
    return server.checkout().commitTransaction(request);
  }

  private static MemberSummary identify(String member) {
    return server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(LANE).setMemberId(member).build()).getMember();
  }

  @Test
  void ofTwoSalesAtOnceOnlyOnePaysTheBirthdayBonus() throws Exception {
    String member = enroll(3);
    // Another sale of the member has paid this year's bonus and not committed yet: this
    // sale's claim waits for its lock on the member, then reads the year set.
    try (Connection other = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
      other.setAutoCommit(false);
      try (PreparedStatement ps = other.prepareStatement(
          "UPDATE members SET last_birthday_bonus_year = 2026 WHERE member_id = ?")) {
        ps.setString(1, member);
        ps.executeUpdate();
      }
      CompletableFuture<Receipt> racing = CompletableFuture.supplyAsync(
          () -> commit(sale("bd-2", member, 1000, clock.instant())).getReceipt());
      LockWaits.awaitOne(server.jdbcUrl());
      other.commit();

      Receipt receipt = racing.get(10, TimeUnit.SECONDS);
      assertThat(receipt.getEarning().getBasketBonusesList()).isEmpty();
      assertThat(receipt.getEarning().getTotalPoints()).isEqualTo(10);
      assertThat(receipt.getAvailablePoints()).isEqualTo(10);
    }
    assertThat(server.queryLong("SELECT count(*) FROM ledger_entries WHERE member_id = '"
        + member + "'")).isEqualTo(1);
  }

  @Test
  void aSaleStampedAheadOfTheServerClockCountsTowardsTheTierAtOnce() {
    String member = enroll(8);
    Receipt receipt = commit(sale("ahead-1", member, 10_000, clock.instant().plusSeconds(60)))
        .getReceipt();

    assertThat(receipt.getTierUpgraded()).isTrue();
    assertThat(receipt.getTier().getTierId()).isEqualTo("silver");
    assertThat(receipt.getQualifyingSpend().getAmountMinor()).isEqualTo(10_000);
    server.flushCache();
    assertThat(identify(member).getQualifyingSpend().getAmountMinor()).isEqualTo(10_000);
  }

  @Test
  void aReplayIsAnsweredAfterTheSaleTimeHasLeftTheWindow() {
    String member = enroll(8);
    // Seven days is the program's backdate window: a forwarded sale near its far edge.
    CommitTransactionRequest old = sale("late-1", member, 500,
        clock.instant().minus(Duration.ofDays(7)).plusSeconds(30));
    Receipt first = commit(old).getReceipt();
    clock.advance(Duration.ofMinutes(2));

    CommitTransactionResponse replay = commit(old);
    assertThat(replay.getReplayed()).isTrue();
    assertThat(replay.getReceipt()).isEqualTo(first);
    // A new sale with that time is refused, and leaves nothing behind.
    CommitTransactionRequest fresh = old.toBuilder().setPosTransactionId("late-2").build();
    assertThat(reason(expect(Status.Code.INVALID_ARGUMENT, () -> commit(fresh))))
        .isEqualTo("OCCUR_TIME_OUT_OF_WINDOW");
    assertThat(server.queryLong("SELECT count(*) FROM transactions"
        + " WHERE pos_transaction_id = 'late-2'")).isZero();
  }

  @Test
  void aSaleThatEarnsNothingButReachesATierShowsItInTheCachedView() {
    String member = enroll(8);
    assertThat(commit(sale("zero-1", member, 9_950, clock.instant())).getReceipt()
        .getAvailablePoints()).isEqualTo(99);
    assertThat(identify(member).getTier().getTierId()).isEqualTo("member");

    Receipt receipt = commit(sale("zero-2", member, 99, clock.instant())).getReceipt();
    assertThat(receipt.getEarning().getTotalPoints()).isZero();
    assertThat(receipt.getTierUpgraded()).isTrue();
    MemberSummary cached = identify(member);
    assertThat(cached.getTier().getTierId()).isEqualTo("silver");
    assertThat(cached.getQualifyingSpend().getAmountMinor()).isEqualTo(10_049);
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }

  @Test
  void aReplayRepublishesTheMemberWhenTheFirstCommitsPublishWasLost() {
    String member = enroll(7);
    commit(sale("pub-1", member, 1000, clock.instant()));
    RedisClient client = RedisClient.create(server.redisUrl());
    try (var redis = client.connect(ByteArrayCodec.INSTANCE)) {
      byte[] key = (server.keyPrefix() + ":m:" + member).getBytes(StandardCharsets.UTF_8);
      Map<byte[], byte[]> afterFirst = redis.sync().hgetall(key);
      assertThat(afterFirst).isNotEmpty();
      CommitTransactionRequest second = sale("pub-2", member, 500, clock.instant());
      commit(second);
      // As if the second sale's COMMIT had been applied but its acknowledgement lost: the
      // server never published it, and Redis still holds the member after the first sale.
      redis.sync().del(key);
      redis.sync().hset(key, afterFirst);
      assertThat(identify(member).getAvailablePoints()).as("stale until republished")
          .isEqualTo(10);

      CommitTransactionResponse replayed = commit(second);

      assertThat(replayed.getReplayed()).isTrue();
      assertThat(replayed.getReceipt().getAvailablePoints()).isEqualTo(15);
      assertThat(identify(member).getAvailablePoints()).isEqualTo(15);
    } finally {
      client.shutdown();
    }
  }
}
