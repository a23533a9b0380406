package com.posloyalty.server.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * API key secrets: {@code plk_<key id>_<secret>}. The key id (12 characters) is safe to log
 * and finds the key; the secret part (32 characters, 160 random bits) is only ever stored
 * as its SHA-256, so a leaked database does not leak usable keys. A salt adds nothing for
 * random 160-bit secrets.
 */
public final class ApiKeySecret {

  private static final String PREFIX = "plk_";
  private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

  /** A parsed bearer token. */
  public record Parsed(String keyId, String secret) {}

  private ApiKeySecret() {}

  /** A new key id and secret: {@code [keyId, fullToken]}. */
  public static String[] generate(RandomGenerator random) {
    String keyId = random(random, 12);
    return new String[] {keyId, PREFIX + keyId + "_" + random(random, 32)};
  }

  /** Splits a bearer token, or empty when it is not shaped like one of ours. */
  public static Optional<Parsed> parse(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() != PREFIX.length() + 45
        || token.charAt(PREFIX.length() + 12) != '_') {
      return Optional.empty();
    }
    return Optional.of(new Parsed(token.substring(PREFIX.length(), PREFIX.length() + 12), token));
  }

  public static byte[] hash(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of a presented token with a stored hash. */
  public static boolean matches(String token, byte[] storedHash) {
    return MessageDigest.isEqual(hash(token), storedHash);
  }

  private static String random(RandomGenerator random, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
