package com.posloyalty.server.cache;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so the script text is neither sent nor
 * hashed by Redis on every call. A Redis that does not know the script (restarted, or
 * flushed with {@code SCRIPT FLUSH}) answers {@code NOSCRIPT}; the script is then sent
 * once with {@code EVAL}, which also loads it.
 */
final class RedisScript {

  private final String text;
  private final String sha;

  RedisScript(String text) {
    this.text = text;
    try {
      this.sha = HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  <T> T run(StatefulRedisConnection<byte[], byte[]> connection, ScriptOutputType type,
      byte[][] keys, byte[]... args) {
    try {
      return connection.sync().evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      return connection.sync().eval(text, type, keys, args);
    }
  }
}
