package com.posloyalty.server.flow;

import java.security.SecureRandom;

/** Server-assigned ids: a type prefix and 20 random base-32 characters (100 bits). */
final class Ids {

  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static String next(String prefix) {
    char[] out = new char[20];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return prefix + "_" + new String(out);
  }

  static SecureRandom random() {
    return RANDOM;
  }
}
