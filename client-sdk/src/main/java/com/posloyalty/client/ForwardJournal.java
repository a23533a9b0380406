package com.posloyalty.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The durable store-and-forward journal of one terminal: the requests that could not reach the
 * service, in the order they were made, until the service has acknowledged each one.
 *
 * <p>It is a {@link RecordLog} ({@value #FILE_NAME}) whose payloads are
 * {@code type (1 byte) | sequence (8) | epoch millis (8) | request bytes}: type 0 is the header
 * written by compaction (its sequence is the next one to assign), types 1–3 are
 * {@link ForwardKind} requests, type 10 acknowledges the request with that sequence. Reopening
 * replays the file, so what was pending before a restart is pending after it. When nothing is
 * pending, or when the size limit is reached and acknowledged records can be reclaimed, the file
 * is rewritten with only the header and the pending requests. A lock file keeps a second client
 * out of the same directory.
 */
final class ForwardJournal implements Closeable {
  /** The journal's file name inside the journal directory. */
  static final String FILE_NAME = "forward.journal";

  private static final byte HEADER = 0;
  private static final byte ACK = 10;
  private static final int FIXED_BYTES = 1 + 8 + 8;

  private final Path file;
  private final int maxRecords;
  private final long maxBytes;
  private final Clock clock;
  private final FileChannel lockChannel;
  private final TreeMap<Long, JournalEntry> pending = new TreeMap<>();
  private RecordLog log;
  private long nextSequence = 1;
  private long pendingBytes;

  private ForwardJournal(Path file, int maxRecords, long maxBytes, Clock clock, FileChannel lock) {
    this.file = file;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.lockChannel = lock;
  }

  /**
   * Opens the journal in {@code directory}, creating both if needed, with room for at most
   * {@code maxRecords} pending requests in a file of at most {@code maxBytes}.
   */
  static ForwardJournal open(Path directory, int maxRecords, long maxBytes, Clock clock)
      throws IOException {
    Files.createDirectories(directory);
    FileChannel lock = FileChannel.open(directory.resolve(FILE_NAME + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (tryLock(lock) == null) {
        throw new IOException("journal directory " + directory + " is in use by another client");
      }
      ForwardJournal journal = new ForwardJournal(
          directory.resolve(FILE_NAME), maxRecords, maxBytes, clock, lock);
      journal.log = RecordLog.open(journal.file, journal::replay);
      return journal;
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Writes a request to the journal and forces it to disk.
   *
   * @return the request's sequence
   * @throws JournalFullException when the journal is at its record or byte limit
   */
  synchronized long append(ForwardKind kind, byte[] request) throws IOException {
    long frame = RecordLog.frameBytes(FIXED_BYTES + request.length);
    if (pending.size() >= maxRecords) {
      throw full(pending.size() + " requests are waiting (limit " + maxRecords + ")");
    }
    if (log.size() + frame > maxBytes && log.size() > liveBytes()) {
      compact();
    }
    if (log.size() + frame > maxBytes) {
      throw full("the journal file would exceed its limit of " + maxBytes + " bytes");
    }
    JournalEntry entry = new JournalEntry(nextSequence, kind, clock.instant(), request);
    log.append(encode(kind.code(), entry.sequence(), entry.journalTime(), request));
    nextSequence++;
    pending.put(entry.sequence(), entry);
    pendingBytes += frame;
    return entry.sequence();
  }

  /** The pending request with the lowest sequence, the next to replay. */
  synchronized Optional<JournalEntry> oldest() {
    return pending.isEmpty() ? Optional.empty() : Optional.of(pending.firstEntry().getValue());
  }

  /**
   * Records that the request with {@code sequence} needs no more replaying (delivered or
   * dead-lettered). Compacts the file once nothing is pending. Unknown sequences are ignored.
   */
  synchronized void acknowledge(long sequence) throws IOException {
    JournalEntry entry = pending.get(sequence);
    if (entry == null) {
      return;
    }
    log.append(encode(ACK, sequence, clock.instant(), new byte[0]));
    pending.remove(sequence);
    pendingBytes -= RecordLog.frameBytes(FIXED_BYTES + entry.request().length);
    if (pending.isEmpty()) {
      compact();
    }
  }

  /** How many requests are waiting to be forwarded. */
  synchronized int pendingCount() {
    return pending.size();
  }

  /** The journal file's size in bytes. */
  synchronized long sizeBytes() {
    return log.size();
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      log.close();
    } finally {
      lockChannel.close();
    }
  }

  private void compact() throws IOException {
    List<byte[]> payloads = new ArrayList<>();
    payloads.add(encode(HEADER, nextSequence, clock.instant(), new byte[0]));
    for (JournalEntry entry : pending.values()) {
      payloads.add(encode(entry.kind().code(), entry.sequence(), entry.journalTime(),
          entry.request()));
    }
    log.rewrite(payloads);
  }

  /** The bytes a compacted file would take: the header and the pending requests. */
  private long liveBytes() {
    return RecordLog.frameBytes(FIXED_BYTES) + pendingBytes;
  }

  private void replay(ByteBuffer payload) throws IOException {
    if (payload.remaining() < FIXED_BYTES) {
      throw new JournalCorruptedException(file + ": journal record of " + payload.remaining()
          + " bytes is too short");
    }
    byte type = payload.get();
    long sequence = payload.getLong();
    Instant time = Instant.ofEpochMilli(payload.getLong());
    byte[] request = new byte[payload.remaining()];
    payload.get(request);
    if (type == HEADER) {
      nextSequence = Math.max(nextSequence, sequence);
    } else if (type == ACK) {
      JournalEntry entry = pending.remove(sequence);
      if (entry != null) {
        pendingBytes -= RecordLog.frameBytes(FIXED_BYTES + entry.request().length);
      }
    } else {
      ForwardKind kind = ForwardKind.fromCode(type);
      if (kind == null) {
        throw new JournalCorruptedException(file + ": unknown journal record type " + type);
      }
      pending.put(sequence, new JournalEntry(sequence, kind, time, request));
      pendingBytes += RecordLog.frameBytes(FIXED_BYTES + request.length);
      nextSequence = Math.max(nextSequence, sequence + 1);
    }
  }

  private JournalFullException full(String why) {
    String since = oldest().map(e -> "; the oldest was written at " + e.journalTime()).orElse("");
    return new JournalFullException("the store-and-forward journal " + file + " is full: " + why
        + since + ". The service has been unreachable too long; nothing more can be recorded"
        + " until it is reachable again");
  }

  private static byte[] encode(byte type, long sequence, Instant time, byte[] request) {
    return ByteBuffer.allocate(FIXED_BYTES + request.length)
        .put(type).putLong(sequence).putLong(time.toEpochMilli()).put(request).array();
  }

  private static FileLock tryLock(FileChannel lock) throws IOException {
    try {
      return lock.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by another client in this process
    }
  }
}
