package com.posloyalty.server.cache;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

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

  /**
   * The same without waiting: the stage completes on Lettuce's event loop with the reply, or
   * exceptionally (a {@code RedisException}, e.g. the command timeout).
   */
  <T> CompletionStage<T> runAsync(StatefulRedisConnection<byte[], byte[]> connection,
      ScriptOutputType type, byte[][] keys, byte[]... args) {
    CompletionStage<T> bySha;
    try {
      bySha = connection.async().evalsha(sha, type, keys, args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
    return bySha.<CompletionStage<T>>handle((result, error) -> {
      if (error == null) {
        return CompletableFuture.completedStage(result);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (cause instanceof RedisNoScriptException) {
        return connection.async().<T>eval(text, type, keys, args);
      }
      return CompletableFuture.<T>failedStage(cause);
    }).thenCompose(stage -> stage);
  }
}
