package com.posloyalty.server.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived QR tokens the member's app shows: {@code v1.<kid>.<member id>.<expiry>.<mac>},
 * HMAC-SHA256 (truncated to 128 bits) under a server-side key. The first key signs; every
 * configured key verifies, so keys rotate without breaking tokens already issued.
 */
public final class AppTokens {

  private static final int MAC_BYTES = 16;
  private final Map<String, byte[]> keys;
  private final String signingKid;

  /** @param keys key id → secret, in order; the first one signs */
  public AppTokens(Map<String, byte[]> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one app token key is needed");
    }
    this.keys = new LinkedHashMap<>(keys);
    this.signingKid = keys.keySet().iterator().next();
  }

  /** Parses "kid=base64,kid=base64". */
  public static AppTokens parse(String spec) {
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (String entry : spec.split(",")) {
      String[] kv = entry.strip().split("=", 2);
      keys.put(kv[0], Base64.getDecoder().decode(kv[1].strip()));
    }
    return new AppTokens(keys);
  }

  public String issue(String memberId, Instant now, Duration ttl) {
    String body = "v1." + signingKid + "." + memberId + "." + now.plus(ttl).getEpochSecond();
    return body + "." + mac(keys.get(signingKid), body);
  }

  /** The member a valid, unexpired token names; refuses anything else with a clear reason. */
  public String verify(String token, Instant now) {
    String[] parts = token.split("\\.");
    if (parts.length != 5 || !parts[0].equals("v1") || !keys.containsKey(parts[1])) {
      throw invalid();
    }
    String body = token.substring(0, token.lastIndexOf('.'));
    byte[] expected = mac(keys.get(parts[1]), body).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[4].getBytes(StandardCharsets.US_ASCII))) {
      throw invalid();
    }
    long expiry;
    try {
      expiry = Long.parseLong(parts[3]);
    } catch (NumberFormatException e) {
      throw invalid();
    }
    if (!now.isBefore(Instant.ofEpochSecond(expiry))) {
      throw Refusal.precondition("APP_TOKEN_EXPIRED",
          "the app token has expired; ask the member to refresh the QR code");
    }
    return parts[2];
  }

  private static Refusal invalid() {
    return Refusal.invalid("APP_TOKEN_INVALID", "app_token", "is not a valid app token");
  }

  private static String mac(byte[] key, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] full = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, MAC_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
