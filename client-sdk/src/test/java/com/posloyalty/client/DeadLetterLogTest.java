package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.v1.CommitTransactionRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterLogTest {
  @TempDir
  Path directory;

  private static DeadLetter letter(long sequence, String sale, Instant journaled) {
    return new DeadLetter(sequence, ForwardKind.COMMIT_TRANSACTION,
        CommitTransactionRequest.newBuilder().setPosTransactionId(sale).build(), journaled,
        journaled.plusSeconds(60), Status.Code.FAILED_PRECONDITION, "MEMBER_NOT_ACTIVE",
        "member blocked");
  }

  @Test
  void theSameLetterOfferedTwiceIsListedOnceButANewJournalsLetterWithAnOldSequenceIsKept()
      throws Exception {
    Instant t = Instant.parse("2026-11-24T10:00:00Z");
    try (DeadLetterLog log = DeadLetterLog.open(directory)) {
      log.add(letter(1, "sale-1", t));
      log.add(letter(1, "sale-1", t)); // a crash before the journal entry's acknowledgement
      // The journal was set aside and started afresh: its first entry is sequence 1 again.
      log.add(letter(1, "sale-9", t.plusSeconds(3600)));
    }
    try (DeadLetterLog reopened = DeadLetterLog.open(directory)) {
      assertThat(reopened.list()).extracting(l ->
          ((CommitTransactionRequest) l.request()).getPosTransactionId())
          .containsExactly("sale-1", "sale-9");
    }
  }

  @Test
  void aSettledLetterLeavesTheListForGood() throws Exception {
    Instant t = Instant.parse("2026-11-24T10:00:00Z");
    try (DeadLetterLog log = DeadLetterLog.open(directory)) {
      log.add(letter(1, "sale-1", t));
      log.add(letter(2, "sale-2", t.plusSeconds(1)));
      log.add(letter(3, "sale-3", t.plusSeconds(2)));

      assertThat(log.settle(log.list().get(1))).isTrue();
      assertThat(log.settle(letter(2, "sale-2", t.plusSeconds(1)))).isFalse();
      log.add(letter(4, "sale-4", t.plusSeconds(3)));
    }
    try (DeadLetterLog reopened = DeadLetterLog.open(directory)) {
      assertThat(reopened.list()).extracting(DeadLetter::sequence).containsExactly(1L, 3L, 4L);
    }
  }
}
