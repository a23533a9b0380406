package com.posloyalty.server.flow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * List page tokens: a version tag, the list's filters and where the page ended, joined by
 * newlines and base64url-encoded. Opaque to callers; each list checks its own filters.
 */
public final class PageTokens {

  private PageTokens() {}

  /** The token of {@code fields}, the first of which is the list's version tag. */
  public static String encode(String... fields) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(String.join("\n", fields).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The {@code count} fields of {@code token}, provided it decodes, has that many, starts with
   * {@code version} and its last field is not empty; else empty.
   */
  public static Optional<String[]> fields(String token, String version, int count) {
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
          .split("\n", -1);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (parts.length != count || !parts[0].equals(version) || parts[count - 1].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(parts);
  }
}
