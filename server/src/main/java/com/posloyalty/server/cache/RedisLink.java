package com.posloyalty.server.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one Redis connection (Lettuce connections are thread-safe and
 * multiplexed). Commands time out after the configured bound and are rejected at once
 * while disconnected, so a dead or stalled Redis costs a lane call at most that bound.
 * If Redis is down at start, the server starts anyway and keeps trying to connect; once
 * connected, a lost connection is retried at least every second (Lettuce's default
 * back-off grows to 30 s, which would leave a restarted Redis unused that long).
 */
public final class RedisLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

  private static final Delay RECONNECT =
      Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS);

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final ScheduledExecutorService reconnector;
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile ScheduledFuture<?> retrying;

  public RedisLink(String url, Duration commandTimeout) {
    this.uri = RedisURI.create(url);
    uri.setTimeout(commandTimeout);
    this.resources = ClientResources.builder().reconnectDelay(RECONNECT).build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder()
            .connectTimeout(Duration.ofMillis(Math.max(1000, commandTimeout.toMillis() * 4)))
            .keepAlive(true)
            .build())
        .build());
    this.reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "redis-connect");
      t.setDaemon(true);
      return t;
    });
    if (!tryConnect()) {
      log.warn("Redis at {} is unreachable; serving from PostgreSQL until it is back", safeUri());
      retrying = reconnector.scheduleWithFixedDelay(this::retry, 1, 1, TimeUnit.SECONDS);
    }
  }

  /** The connection, when one has been established (it may be reconnecting). */
  public Optional<StatefulRedisConnection<byte[], byte[]>> connection() {
    return Optional.ofNullable(connection);
  }

  private void retry() {
    if (tryConnect()) {
      log.info("Connected to Redis at {}", safeUri());
      retrying.cancel(false);
    }
  }

  private synchronized boolean tryConnect() {
    if (connection != null) {
      return true;
    }
    try {
      connection = client.connect(ByteArrayCodec.INSTANCE, uri);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String safeUri() {
    return uri.getHost() + ":" + uri.getPort();
  }

  @Override
  public void close() {
    reconnector.shutdownNow();
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
