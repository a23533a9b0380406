package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardJournalTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-11-23T10:00:00Z"),
      ZoneOffset.UTC);
  private static final int MAX_RECORDS = 100;
  private static final long MAX_BYTES = 1024 * 1024;

  @TempDir
  Path directory;

  private final List<ForwardJournal> opened = new ArrayList<>();

  @AfterEach
  void closeJournals() throws IOException {
    for (ForwardJournal journal : opened) {
      journal.close();
    }
  }

  @Test
  void requestsAreReplayedInOrderAfterReopening() throws IOException {
    ForwardJournal journal = open();
    assertThat(journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"))).isEqualTo(1);
    assertThat(journal.append(ForwardKind.RETURN_ITEMS, bytes("return-1"))).isEqualTo(2);
    assertThat(journal.append(ForwardKind.VOID_TRANSACTION, bytes("void-1"))).isEqualTo(3);

    assertThat(pending(reopen(journal)))
        .containsExactly("1 COMMIT_TRANSACTION sale-1", "2 RETURN_ITEMS return-1",
            "3 VOID_TRANSACTION void-1");
  }

  @Test
  void acknowledgedRequestsAreNotReplayedAfterReopening() throws IOException {
    ForwardJournal journal = open();
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"));
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-2"));
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-3"));
    journal.acknowledge(1);
    journal.acknowledge(3);

    ForwardJournal reopened = reopen(journal);
    assertThat(reopened.oldest().orElseThrow().journalTime()).isEqualTo(CLOCK.instant());
    assertThat(pending(reopened)).containsExactly("2 COMMIT_TRANSACTION sale-2");
  }

  @Test
  void aLastRecordCutShortByACrashIsDroppedAndTheRestReplayed() throws IOException {
    ForwardJournal journal = open();
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"));
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-2"));
    long intact = journal.sizeBytes();
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-3"));
    journal.close();
    opened.remove(journal);
    truncate(intact + 11);

    ForwardJournal reopened = open();
    assertThat(Files.size(journalFile())).isEqualTo(intact);
    assertThat(reopened.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-3b"))).isEqualTo(3);
    assertThat(pending(reopen(reopened))).containsExactly("1 COMMIT_TRANSACTION sale-1",
        "2 COMMIT_TRANSACTION sale-2", "3 COMMIT_TRANSACTION sale-3b");
  }

  @Test
  void aLastRecordFailingItsCrcIsDropped() throws IOException {
    ForwardJournal journal = open();
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"));
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-2"));
    long size = journal.sizeBytes();
    journal.close();
    opened.remove(journal);
    flipByte(size - 1);

    assertThat(pending(open())).containsExactly("1 COMMIT_TRANSACTION sale-1");
  }

  @Test
  void aZeroFilledTailIsDropped() throws IOException {
    ForwardJournal journal = open();
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"));
    long size = journal.sizeBytes();
    journal.close();
    opened.remove(journal);
    Files.write(journalFile(), new byte[64], StandardOpenOption.APPEND);

    ForwardJournal reopened = open();
    assertThat(Files.size(journalFile())).isEqualTo(size);
    assertThat(pending(reopened)).containsExactly("1 COMMIT_TRANSACTION sale-1");
  }

  @Test
  void damageBeforeTheLastRecordRefusesToOpenAndLeavesTheFileAlone() throws IOException {
    ForwardJournal journal = open();
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"));
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-2"));
    long size = journal.sizeBytes();
    journal.close();
    opened.remove(journal);
    flipByte(RecordLog.FRAME_HEADER_BYTES + 2);

    assertThatThrownBy(this::open)
        .isInstanceOf(JournalCorruptedException.class)
        .hasMessageContaining("offset 0").hasMessageContaining("CRC mismatch");
    assertThat(Files.size(journalFile())).isEqualTo(size);
  }

  @Test
  void aFullJournalRefusesWithAClearMessage() throws IOException {
    ForwardJournal journal = track(ForwardJournal.open(directory, 2, MAX_BYTES, CLOCK));
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"));
    journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-2"));

    assertThatThrownBy(() -> journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-3")))
        .isInstanceOf(JournalFullException.class)
        .hasMessageContaining("is full: 2 requests are waiting (limit 2)")
        .hasMessageContaining("the oldest was written at 2025-11-23T10:00:00Z")
        .satisfies(e -> assertThat(((JournalFullException) e).reason()).isEqualTo("JOURNAL_FULL"));
    assertThat(journal.pendingCount()).isEqualTo(2);
  }

  @Test
  void theByteLimitRefusesWhenNothingCanBeReclaimed() throws IOException {
    ForwardJournal journal = track(ForwardJournal.open(directory, MAX_RECORDS, 100, CLOCK));
    journal.append(ForwardKind.COMMIT_TRANSACTION, new byte[40]);

    assertThatThrownBy(() -> journal.append(ForwardKind.COMMIT_TRANSACTION, new byte[40]))
        .isInstanceOf(JournalFullException.class)
        .hasMessageContaining("would exceed its limit of 100 bytes");
  }

  @Test
  void theByteLimitReclaimsAcknowledgedRecordsByCompacting() throws IOException {
    ForwardJournal journal = track(ForwardJournal.open(directory, MAX_RECORDS, 200, CLOCK));
    journal.append(ForwardKind.COMMIT_TRANSACTION, new byte[40]);
    journal.append(ForwardKind.COMMIT_TRANSACTION, new byte[40]);
    journal.acknowledge(1);

    assertThat(journal.append(ForwardKind.COMMIT_TRANSACTION, new byte[40])).isEqualTo(3);
    assertThat(reopen(journal).pendingCount()).isEqualTo(2);
  }

  @Test
  void compactionAfterEverythingIsAcknowledgedShrinksTheFileAndKeepsSequencesGrowing()
      throws IOException {
    ForwardJournal journal = open();
    for (int i = 1; i <= 3; i++) {
      journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-" + i));
    }
    for (long sequence = 1; sequence <= 3; sequence++) {
      journal.acknowledge(sequence);
    }

    long headerOnly = RecordLog.frameBytes(1 + 8 + 8);
    assertThat(journal.sizeBytes()).isEqualTo(headerOnly);
    assertThat(Files.size(journalFile())).isEqualTo(headerOnly);
    ForwardJournal reopened = reopen(journal);
    assertThat(reopened.pendingCount()).isZero();
    assertThat(reopened.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-4"))).isEqualTo(4);
  }

  @Test
  void aRequestJournaledByAnInterruptedThreadIsWrittenAndTheJournalKeepsWorking()
      throws IOException {
    ForwardJournal journal = open();
    long sequence;
    boolean stillInterrupted;
    Thread.currentThread().interrupt();
    try {
      sequence = journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-1"));
    } finally {
      stillInterrupted = Thread.interrupted();
    }

    assertThat(sequence).isEqualTo(1);
    assertThat(stillInterrupted).as("the caller's interrupt is kept").isTrue();
    assertThat(journal.append(ForwardKind.COMMIT_TRANSACTION, bytes("sale-2"))).isEqualTo(2);
    assertThat(pending(reopen(journal)))
        .containsExactly("1 COMMIT_TRANSACTION sale-1", "2 COMMIT_TRANSACTION sale-2");
  }

  @Test
  void aSecondClientCannotOpenTheSameDirectory() throws IOException {
    open();

    assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("in use");
  }

  private ForwardJournal open() throws IOException {
    return track(ForwardJournal.open(directory, MAX_RECORDS, MAX_BYTES, CLOCK));
  }

  private ForwardJournal reopen(ForwardJournal journal) throws IOException {
    journal.close();
    opened.remove(journal);
    return open();
  }

  private ForwardJournal track(ForwardJournal journal) {
    opened.add(journal);
    return journal;
  }

  /** Drains the journal as the sender would, acknowledging each request. */
  private static List<String> pending(ForwardJournal journal) throws IOException {
    List<String> entries = new ArrayList<>();
    while (journal.oldest().isPresent()) {
      JournalEntry entry = journal.oldest().get();
      entries.add(entry.sequence() + " " + entry.kind() + " "
          + new String(entry.request(), StandardCharsets.UTF_8));
      journal.acknowledge(entry.sequence());
    }
    return entries;
  }

  private Path journalFile() {
    return directory.resolve(ForwardJournal.FILE_NAME);
  }

  private void truncate(long size) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(journalFile().toFile(), "rw")) {
      file.setLength(size);
    }
  }

  private void flipByte(long position) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(journalFile().toFile(), "rw")) {
      file.seek(position);
      int value = file.read();
      file.seek(position);
      file.write(value ^ 0xFF);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
