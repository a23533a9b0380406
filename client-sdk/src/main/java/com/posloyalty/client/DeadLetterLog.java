package com.posloyalty.client;

import com.google.protobuf.Message;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The persisted dead-letter list ({@value #FILE_NAME} in the journal directory), a
 * {@link RecordLog} with one record per refused request: {@code sequence (8) | kind (1) |
 * journal millis (8) | refusal millis (8) | status code (4) | reason (UTF) | message (UTF) |
 * request length (4) | request bytes}. A letter is added before its journal entry is
 * acknowledged, so a crash in between can offer it twice; the second is ignored. A letter is
 * the same only if its sequence, kind, journal time and request all are: a journal that was
 * set aside and started afresh numbers its entries from 1 again, and its letters are new ones.
 * A letter the store has settled is removed with {@link #settle}, which rewrites the file.
 */
final class DeadLetterLog implements Closeable {
  /** The dead-letter file's name inside the journal directory. */
  static final String FILE_NAME = "dead-letters.log";

  private final List<DeadLetter> letters = new ArrayList<>();
  private RecordLog log;

  private DeadLetterLog() {}

  /** Opens (creating if needed) the dead-letter list in {@code directory}. */
  static DeadLetterLog open(Path directory) throws IOException {
    DeadLetterLog deadLetters = new DeadLetterLog();
    Path file = directory.resolve(FILE_NAME);
    deadLetters.log = RecordLog.open(file,
        payload -> deadLetters.letters.add(decode(file, payload)));
    return deadLetters;
  }

  /** Adds a dead letter and forces it to disk, unless the same letter is listed. */
  synchronized void add(DeadLetter letter) throws IOException {
    if (letters.stream().anyMatch(known -> same(known, letter))) {
      return;
    }
    log.append(encode(letter));
    letters.add(letter);
  }

  /**
   * Removes a settled letter from the list and from the file (rewritten atomically).
   *
   * @return false when no such letter is listed (already settled)
   */
  synchronized boolean settle(DeadLetter letter) throws IOException {
    List<DeadLetter> kept = new ArrayList<>(letters);
    if (!kept.removeIf(known -> same(known, letter))) {
      return false;
    }
    List<byte[]> payloads = new ArrayList<>(kept.size());
    for (DeadLetter known : kept) {
      payloads.add(encode(known));
    }
    log.rewrite(payloads);
    letters.clear();
    letters.addAll(kept);
    return true;
  }

  private static boolean same(DeadLetter a, DeadLetter b) {
    return a.sequence() == b.sequence() && a.kind() == b.kind()
        && a.journalTime().equals(b.journalTime()) && a.request().equals(b.request());
  }

  /** Every dead letter, oldest first. */
  synchronized List<DeadLetter> list() {
    return List.copyOf(letters);
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }

  private static byte[] encode(DeadLetter letter) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(letter.sequence());
      out.writeByte(letter.kind().code());
      out.writeLong(letter.journalTime().toEpochMilli());
      out.writeLong(letter.refusalTime().toEpochMilli());
      out.writeInt(letter.code().value());
      out.writeUTF(letter.reason());
      out.writeUTF(truncate(letter.message()));
      byte[] request = letter.request().toByteArray();
      out.writeInt(request.length);
      out.write(request);
    }
    return bytes.toByteArray();
  }

  private static DeadLetter decode(Path file, ByteBuffer payload) throws IOException {
    try (DataInputStream in = new DataInputStream(
        new ByteArrayInputStream(payload.array(), payload.position(), payload.remaining()))) {
      long sequence = in.readLong();
      byte code = in.readByte();
      ForwardKind kind = ForwardKind.fromCode(code);
      if (kind == null) {
        throw new JournalCorruptedException(file + ": unknown request kind " + code);
      }
      Instant journalTime = Instant.ofEpochMilli(in.readLong());
      Instant refusalTime = Instant.ofEpochMilli(in.readLong());
      Status.Code status = Status.fromCodeValue(in.readInt()).getCode();
      String reason = in.readUTF();
      String message = in.readUTF();
      byte[] request = in.readNBytes(in.readInt());
      Message parsed = kind.parse(request);
      return new DeadLetter(sequence, kind, parsed, journalTime, refusalTime, status, reason,
          message);
    }
  }

  /** writeUTF takes at most 65535 bytes; a refusal's description is far shorter in practice. */
  private static String truncate(String message) {
    return message.length() > 2000 ? message.substring(0, 2000) : message;
  }
}
