package com.posloyalty.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Transport and access settings. TLS is the default; plaintext only when explicitly
 * enabled ({@code LOYALTY_PLAINTEXT=true}), which the embedded default does on loopback.
 */
public record SecurityConfig(
    /* LOYALTY_PLAINTEXT */ boolean plaintext,
    /* LOYALTY_TLS_CERT_FILE: PEM certificate chain */ Optional<Path> certChain,
    /* LOYALTY_TLS_KEY_FILE: PEM private key */ Optional<Path> privateKey,
    /* LOYALTY_TLS_CLIENT_CA_FILE: PEM CA; set = mutual TLS required */ Optional<Path> clientCa,
    /* LOYALTY_API_KEY_CACHE_SECONDS, default 5: how fast a revocation takes effect */
    int apiKeyCacheSeconds,
    /* LOYALTY_RATE_LIMIT_CHECKOUT, default 100 calls/s per key */ int checkoutRate,
    /* LOYALTY_RATE_LIMIT_BACKOFFICE, default 20 calls/s per key */ int backofficeRate,
    /* LOYALTY_RATE_LIMIT_ADMIN, default 10 calls/s per key */ int adminRate,
    /* LOYALTY_IDENTIFY_FAILURES_PER_MINUTE, default 20 per key */ int identifyFailuresPerMinute,
    /* LOYALTY_APP_TOKEN_KEYS: "kid=base64secret,…", first signs */ Optional<String> appTokenKeys,
    /* LOYALTY_APP_TOKEN_TTL_SECONDS, default 120 */ int appTokenTtlSeconds,
    /* LOYALTY_MAX_MESSAGE_BYTES, default 1 MiB */ int maxMessageBytes) {

  /** The same settings with these app token keys (the embedded default generates some). */
  public SecurityConfig withAppTokenKeys(String keys) {
    return new SecurityConfig(plaintext, certChain, privateKey, clientCa, apiKeyCacheSeconds,
        checkoutRate, backofficeRate, adminRate, identifyFailuresPerMinute, Optional.of(keys),
        appTokenTtlSeconds, maxMessageBytes);
  }

  static SecurityConfig from(Settings s, boolean embedded) {
    Optional<Path> cert = file(s, "LOYALTY_TLS_CERT_FILE");
    Optional<Path> key = file(s, "LOYALTY_TLS_KEY_FILE");
    Optional<Path> ca = file(s, "LOYALTY_TLS_CLIENT_CA_FILE");
    if (cert.isPresent() != key.isPresent()) {
      throw new ConfigException((cert.isPresent() ? "LOYALTY_TLS_KEY_FILE" : "LOYALTY_TLS_CERT_FILE")
          + ": TLS needs both LOYALTY_TLS_CERT_FILE and LOYALTY_TLS_KEY_FILE");
    }
    boolean plaintext = s.bool("LOYALTY_PLAINTEXT", embedded && cert.isEmpty());
    if (!plaintext && cert.isEmpty()) {
      throw new ConfigException("LOYALTY_TLS_CERT_FILE: required (with LOYALTY_TLS_KEY_FILE);"
          + " set LOYALTY_PLAINTEXT=true to serve without TLS on a trusted network");
    }
    if (plaintext && cert.isPresent()) {
      throw new ConfigException("LOYALTY_PLAINTEXT: set together with LOYALTY_TLS_CERT_FILE and"
          + " LOYALTY_TLS_KEY_FILE; unset LOYALTY_PLAINTEXT to serve TLS, or the TLS files to"
          + " serve plaintext");
    }
    if (plaintext && ca.isPresent()) {
      throw new ConfigException("LOYALTY_TLS_CLIENT_CA_FILE: mutual TLS needs TLS;"
          + " unset LOYALTY_PLAINTEXT");
    }
    Optional<String> appKeys = s.string("LOYALTY_APP_TOKEN_KEYS");
    appKeys.ifPresent(SecurityConfig::checkAppKeys);
    return new SecurityConfig(plaintext, cert, key, ca,
        s.integer("LOYALTY_API_KEY_CACHE_SECONDS", 5, 1, 300),
        s.integer("LOYALTY_RATE_LIMIT_CHECKOUT", 100, 1, 1_000_000),
        s.integer("LOYALTY_RATE_LIMIT_BACKOFFICE", 20, 1, 1_000_000),
        s.integer("LOYALTY_RATE_LIMIT_ADMIN", 10, 1, 1_000_000),
        s.integer("LOYALTY_IDENTIFY_FAILURES_PER_MINUTE", 20, 1, 100_000),
        appKeys,
        s.integer("LOYALTY_APP_TOKEN_TTL_SECONDS", 120, 30, 900),
        s.integer("LOYALTY_MAX_MESSAGE_BYTES", 1024 * 1024, 4096, 64 * 1024 * 1024));
  }

  private static Optional<Path> file(Settings s, String key) {
    Optional<Path> path = s.string(key).map(Path::of);
    path.ifPresent(p -> {
      if (!Files.isReadable(p)) {
        throw new ConfigException(key + ": cannot read " + p);
      }
    });
    return path;
  }

  private static void checkAppKeys(String spec) {
    for (String entry : spec.split(",")) {
      String[] kv = entry.strip().split("=", 2);
      if (kv.length != 2 || !kv[0].matches("[A-Za-z0-9]{1,16}")) {
        throw new ConfigException("LOYALTY_APP_TOKEN_KEYS: expected kid=base64secret[,kid=…]");
      }
      try {
        if (java.util.Base64.getDecoder().decode(kv[1].strip()).length < 32) {
          throw new ConfigException("LOYALTY_APP_TOKEN_KEYS: key " + kv[0]
              + " must be at least 32 bytes (base64)");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException("LOYALTY_APP_TOKEN_KEYS: key " + kv[0] + " is not base64");
      }
    }
  }
}
