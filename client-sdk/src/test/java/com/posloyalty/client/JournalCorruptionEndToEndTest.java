package com.posloyalty.client;

import static com.posloyalty.client.LaneFixtures.assertLedgerMatchesBalances;
import static com.posloyalty.client.LaneFixtures.awaitTrue;
import static com.posloyalty.client.LaneFixtures.earnedSales;
import static com.posloyalty.client.LaneFixtures.sale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.client.FaultyProxy.Fault;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lane's journal damaged by a crash, replayed to the real server: a last record cut short is
 * detected and dropped and the sales before it are applied; damage anywhere else stops the
 * client from starting rather than guess.
 */
class JournalCorruptionEndToEndTest {
  private static TestServer server;
  private static FaultyProxy proxy;
  private static String key;
  private static int members;

  @TempDir
  Path journal;

  private String member;

  @BeforeAll
  static void start() {
    server = TestServer.start("sdk_journal", Clock.systemUTC(), LaneFixtures.SERVER_SETTINGS);
    proxy = FaultyProxy.start(server.app().grpcPort());
    key = LaneFixtures.laneKey(server);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    proxy.close();
    server.close();
  }

  /** A new member, and the service unreachable through the proxy until a test says otherwise. */
  @BeforeEach
  void enrolAndCutTheLine() {
    proxy.reset();
    try (LoyaltyClient lane = LaneFixtures.lane(proxy.target(), key).build()) {
      member = lane.checkout().enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Ada")
          .setPhone(String.format("+49151%08d", 5000 + ++members)).build())
          .getMember().getMemberId();
    }
    proxy.onFirstAttempt(method -> Fault.REFUSE);
    proxy.onRetry(method -> Fault.REFUSE);
  }

  @Test
  void aLastRecordCutShortIsDroppedAndTheSalesBeforeItAreApplied() throws Exception {
    List<Long> sizes = journalSales(5);
    Path file = journal.resolve(ForwardJournal.FILE_NAME);
    long intact = sizes.get(3);
    // A crash while the fifth sale was being written left only part of its record.
    truncate(file, intact + (sizes.get(4) - intact) / 2);

    try (LoyaltyClient restarted = lane()) {
      assertThat(restarted.pendingForwardCount()).isEqualTo(4);
      assertThat(Files.size(file)).as("the partial record is cut away").isEqualTo(intact);

      proxy.reset();
      awaitTrue(() -> restarted.pendingForwardCount() == 0, Duration.ofSeconds(30));
      assertThat(earnedSales(server, member))
          .containsExactly(saleId(1), saleId(2), saleId(3), saleId(4));
      assertThat(restarted.deadLetters()).isEmpty();

      // The fifth sale never got its answer at the lane, so the POS sends it again.
      CommitResult resent = restarted.checkout().commitTransaction(saleOf(5));
      assertThat(resent.isPending()).isFalse();
      assertThat(resent.replayed()).isFalse();
    }
    assertThat(earnedSales(server, member))
        .containsExactly(saleId(1), saleId(2), saleId(3), saleId(4), saleId(5));
    assertLedgerMatchesBalances(server);
  }

  @Test
  void damageBeforeTheLastRecordStopsTheClientFromStartingAndNothingIsSent() throws Exception {
    journalSales(3);
    Path file = journal.resolve(ForwardJournal.FILE_NAME);
    byte[] damaged = Files.readAllBytes(file);
    damaged[RecordLog.FRAME_HEADER_BYTES + 3] ^= 0x5a; // inside the first record's payload
    Files.write(file, damaged);
    proxy.reset();

    assertThatThrownBy(this::lane)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot open the journal")
        .cause().isInstanceOf(JournalCorruptedException.class)
        .hasMessageContaining("offset 0").hasMessageContaining("CRC mismatch");
    assertThat(Files.readAllBytes(file)).as("left untouched for inspection").isEqualTo(damaged);
    assertThat(earnedSales(server, member)).isEmpty();
  }

  /** Journals sales 1..count while the service is unreachable; the file's size after each. */
  private List<Long> journalSales(int count) throws IOException {
    List<Long> sizes = new ArrayList<>();
    try (LoyaltyClient lane = lane()) {
      for (int n = 1; n <= count; n++) {
        assertThat(lane.checkout().commitTransaction(saleOf(n)).isPending()).isTrue();
        sizes.add(Files.size(journal.resolve(ForwardJournal.FILE_NAME)));
      }
    }
    return sizes;
  }

  private LoyaltyClient lane() {
    return LaneFixtures.lane(proxy.target(), key).journalDirectory(journal)
        .forwardBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).build();
  }

  private CommitTransactionRequest saleOf(int n) {
    return sale(saleId(n), member, n);
  }

  private String saleId(int n) {
    return member + "-sale-" + n;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.setLength(size);
    }
  }
}
