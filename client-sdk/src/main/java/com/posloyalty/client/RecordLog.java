package com.posloyalty.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only file of records, each framed as a 4-byte big-endian payload length, the
 * payload's 4-byte CRC32 and the payload. Every append is forced to disk before it returns.
 *
 * <p>A crash can only damage the record being written, which is the last one: on open, a last
 * record that is cut short, fails its CRC or is a run of zero bytes (what some file systems show
 * for an unwritten tail) is truncated away and everything before it is kept. Damage before the
 * last record is not a crash and raises {@link JournalCorruptedException}.
 *
 * <p>A thread's interrupt closes a {@link FileChannel} for every thread
 * ({@link java.nio.channels.ClosedByInterruptException}), so the writes hold the caller's
 * interrupt back and restore it when they are done. An interrupt from another thread in the
 * middle of a write still closes the channel: that append fails, and the channel is reopened
 * and the file cut back to its last whole record, at once or, failing that, before the next
 * append. So a record whose append failed is not read back at the next open, unless the
 * terminal stopped before the cut could be made.
 */
final class RecordLog implements Closeable {
  /** Bytes of framing before each payload. */
  static final int FRAME_HEADER_BYTES = 8;
  /** A sanity limit on one payload, far above any request the API accepts. */
  static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(RecordLog.class);

  /** Receives each intact record's payload while a log is opened. */
  interface PayloadReader {
    /** Reads one payload; throws {@link JournalCorruptedException} when it makes no sense. */
    void read(ByteBuffer payload) throws IOException;
  }

  private final Path file;
  private FileChannel channel;
  /** The size of the whole records; what lies beyond is a failed append's. */
  private long end;
  /** A failed append may have left bytes beyond {@link #end}. */
  private boolean tailDamaged;
  private boolean closed;

  private RecordLog(Path file, FileChannel channel, long end) {
    this.file = file;
    this.channel = channel;
    this.end = end;
  }

  /** Opens (creating if needed) {@code file}, handing every intact payload to {@code reader}. */
  static RecordLog open(Path file, PayloadReader reader) throws IOException {
    Files.deleteIfExists(temporary(file)); // an interrupted rewrite; the original is intact
    boolean created = Files.notExists(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (created) {
        syncDirectory(file);
      }
      long end = scan(file, channel, reader);
      if (end < channel.size()) {
        LOG.warn("{}: dropping an incomplete last record ({} bytes at offset {}), left by a crash",
            file, channel.size() - end, end);
        channel.truncate(end);
        channel.force(true);
      }
      return new RecordLog(file, channel, end);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The bytes one payload of {@code payloadBytes} takes in the file. */
  static long frameBytes(int payloadBytes) {
    return FRAME_HEADER_BYTES + (long) payloadBytes;
  }

  /** The file's size in bytes. */
  long size() {
    return end;
  }

  /** Appends one record and forces it to disk; a failed append is cut away again. */
  void append(byte[] payload) throws IOException {
    ByteBuffer frame = frame(payload);
    boolean interrupted = Thread.interrupted();
    try {
      restoreTail();
      try {
        while (frame.hasRemaining()) {
          channel.write(frame, end + frame.position());
        }
        channel.force(false);
      } catch (IOException e) {
        tailDamaged = true;
        interrupted |= Thread.interrupted(); // one from another thread may have closed the channel
        try {
          restoreTail();
        } catch (IOException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
      end += frame.capacity();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Replaces the whole file by {@code payloads}, atomically: a crash leaves either the old or the
   * new file, never a mix. A rewrite that fails leaves the old file and removes its temporary one.
   */
  void rewrite(List<byte[]> payloads) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    Path temporary = temporary(file);
    boolean interrupted = Thread.interrupted();
    try {
      long size = write(temporary, payloads);
      channel.close();
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file);
        end = size;
        tailDamaged = false;
      } finally {
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      if (channel.size() != size) {
        tailDamaged = true;
        throw new IOException(file + ": rewritten file has " + channel.size()
            + " bytes, expected " + size);
      }
    } catch (IOException | RuntimeException e) {
      // A temporary file left behind would make every later rewrite fail.
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw e;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }

  /**
   * Reopens the channel if an interrupt closed it, and cuts away what a failed append left.
   *
   * @throws java.nio.channels.ClosedChannelException after {@link #close()}
   */
  private void restoreTail() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (channel.isOpen() && !tailDamaged) {
      return;
    }
    if (!channel.isOpen()) {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    channel.truncate(end);
    tailDamaged = false;
  }

  /** Writes {@code payloads} as a new file, forced to disk; returns its size. */
  private static long write(Path file, List<byte[]> payloads) throws IOException {
    long size = 0;
    // TRUNCATE_EXISTING: a rewrite that stopped half way may have left the file behind.
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      for (byte[] payload : payloads) {
        ByteBuffer frame = frame(payload);
        while (frame.hasRemaining()) {
          out.write(frame);
        }
        size += frame.capacity();
      }
      out.force(true);
    }
    return size;
  }

  private static long scan(Path file, FileChannel channel, PayloadReader reader)
      throws IOException {
    long size = channel.size();
    long position = 0;
    while (size - position >= FRAME_HEADER_BYTES) {
      ByteBuffer header = read(channel, position, FRAME_HEADER_BYTES);
      int length = header.getInt();
      int checksum = header.getInt();
      if (length <= 0 || length > MAX_PAYLOAD_BYTES) {
        if (zerosFrom(channel, position)) {
          return position;
        }
        throw corrupted(file, position, "impossible record length " + length);
      }
      long next = position + frameBytes(length);
      if (next > size) {
        return position;
      }
      ByteBuffer payload = read(channel, position + FRAME_HEADER_BYTES, length);
      if (crc(payload.array()) != checksum) {
        if (next == size) {
          return position;
        }
        throw corrupted(file, position, "CRC mismatch");
      }
      reader.read(payload);
      position = next;
    }
    return position;
  }

  private static JournalCorruptedException corrupted(Path file, long position, String what) {
    return new JournalCorruptedException(file + ": record at offset " + position + " is damaged ("
        + what + ") and records follow it; the file was left untouched for inspection");
  }

  private static boolean zerosFrom(FileChannel channel, long position) throws IOException {
    long size = channel.size();
    for (long at = position; at < size; at += MAX_PAYLOAD_BYTES) {
      ByteBuffer chunk = read(channel, at, (int) Math.min(MAX_PAYLOAD_BYTES, size - at));
      for (byte b : chunk.array()) {
        if (b != 0) {
          return false;
        }
      }
    }
    return true;
  }

  private static ByteBuffer read(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of file at offset " + position);
      }
    }
    return buffer.flip();
  }

  private static ByteBuffer frame(byte[] payload) {
    if (payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("record payload of " + payload.length + " bytes");
    }
    return ByteBuffer.allocate(FRAME_HEADER_BYTES + payload.length)
        .putInt(payload.length).putInt(crc(payload)).put(payload).flip();
  }

  private static int crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  private static Path temporary(Path file) {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  /** Makes a new or renamed directory entry durable, where the platform allows it. */
  private static void syncDirectory(Path file) {
    try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(),
        StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory; NTFS journals its metadata by itself.
      LOG.debug("cannot sync the directory of {}", file, e);
    }
  }
}
