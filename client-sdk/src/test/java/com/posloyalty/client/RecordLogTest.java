package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordLogTest {
  @TempDir
  Path directory;

  @Test
  void interruptsDuringAppendsNeverKeepAFailedRecordNorStopLaterAppends() throws Exception {
    Path file = directory.resolve("records");
    List<String> appended = new ArrayList<>();
    Thread writer = Thread.currentThread();
    AtomicBoolean storming = new AtomicBoolean(true);
    // Another thread's interrupt closes the channel in the middle of a write or an fsync.
    Thread interrupter = new Thread(() -> {
      while (storming.get()) {
        writer.interrupt();
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
      }
    });
    try (RecordLog log = RecordLog.open(file, payload -> { })) {
      interrupter.start();
      try {
        for (int i = 0; i < 300; i++) {
          try {
            log.append(bytes("record-" + i));
            appended.add("record-" + i);
          } catch (IOException refused) {
            // The caller is told this record failed: it must not come back.
          }
        }
      } finally {
        storming.set(false);
        while (interrupter.isAlive()) {
          try {
            interrupter.join();
          } catch (InterruptedException lastOfTheStorm) {
            // The interrupter's last interrupts can still arrive here.
          }
        }
        Thread.interrupted();
      }

      log.append(bytes("after the storm"));
      appended.add("after the storm");
    }

    assertThat(readBack(file)).containsExactlyElementsOf(appended);
  }

  @Test
  void aRewriteThatFailsHalfWayLeavesNoTemporaryFileAndTheNextOneWorks() throws IOException {
    Path file = directory.resolve("records");
    try (RecordLog log = RecordLog.open(file, payload -> { })) {
      log.append(bytes("kept"));
      // An empty payload cannot be framed: the rewrite fails after writing its first record,
      // as it would on a full disk.
      assertThatThrownBy(() -> log.rewrite(List.of(bytes("lost"), new byte[0])))
          .isInstanceOf(IllegalArgumentException.class);

      assertThat(Files.exists(directory.resolve("records.tmp"))).isFalse();
      log.append(bytes("appended"));
      assertThat(readBack(file)).containsExactly("kept", "appended");
      log.rewrite(List.of(bytes("compacted")));
    }

    assertThat(readBack(file)).containsExactly("compacted");
  }

  @Test
  void aTemporaryFileLeftBehindIsOverwrittenByTheNextRewrite() throws IOException {
    Path file = directory.resolve("records");
    try (RecordLog log = RecordLog.open(file, payload -> { })) {
      log.append(bytes("old"));
      Files.write(directory.resolve("records.tmp"), new byte[4096]);

      log.rewrite(List.of(bytes("new")));

      assertThat(log.size()).isEqualTo(RecordLog.frameBytes(3));
    }
    assertThat(readBack(file)).containsExactly("new");
  }

  private static List<String> readBack(Path file) throws IOException {
    List<String> payloads = new ArrayList<>();
    RecordLog.open(file, payload -> payloads.add(StandardCharsets.UTF_8.decode(payload)
        .toString())).close();
    return payloads;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
