package com.posloyalty.server.domain;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Server-assigned ids: a type prefix, then the creation time (milliseconds since the epoch
 * as ten base-32 characters, most significant first) and 16 random base-32 characters
 * (80 bits), e.g. {@code txn_01hx7c2k3d8q0w5r9tbm4nj6va}.
 *
 * <p>Time first, so that ids sort by creation: a new sale's key, and its lines' keys, land at
 * the right-hand edge of their B-tree indexes, where the pages are already in memory and
 * already written since the last checkpoint, instead of on a random leaf page each — which
 * on a large table means a page read, and after every checkpoint a full-page image in the
 * write-ahead log, per insert. The random part keeps ids unguessable and unique across
 * servers within the same millisecond. Ids stay opaque to callers.
 */
public final class Ids {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final int TIME_CHARS = 10;
  private static final int RANDOM_CHARS = 16;
  private static final int RANDOM_BYTES = RANDOM_CHARS * 5 / 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** A new id with {@code prefix}, created at {@code now} (from the caller's clock). */
  public static String next(String prefix, Instant now) {
    long millis = now.toEpochMilli();
    if (millis < 0 || millis >= 1L << (5 * TIME_CHARS)) {
      throw new IllegalArgumentException("id time out of range: " + now);
    }
    char[] out = new char[TIME_CHARS + RANDOM_CHARS];
    for (int i = TIME_CHARS - 1; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 80 random bits drawn at once, five to a character: one call into the secure source
    // (which locks, and mixes in a digest per call) per id rather than one per character.
    byte[] random = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(random);
    long high = 0;
    for (int b = 0; b < 5; b++) {
      high = high << 8 | (random[b] & 0xff);
    }
    long low = 0;
    for (int b = 5; b < RANDOM_BYTES; b++) {
      low = low << 8 | (random[b] & 0xff);
    }
    for (int i = 0; i < RANDOM_CHARS / 2; i++) {
      out[TIME_CHARS + RANDOM_CHARS / 2 - 1 - i] = ALPHABET[(int) (high & 31)];
      high >>>= 5;
      out[TIME_CHARS + RANDOM_CHARS - 1 - i] = ALPHABET[(int) (low & 31)];
      low >>>= 5;
    }
    return prefix + "_" + new String(out);
  }

  /** The secure random source ids are drawn from, shared with card-number issuing. */
  public static SecureRandom random() {
    return RANDOM;
  }
}
