package com.posloyalty.server.cache;

import com.posloyalty.server.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.embedded.RedisServer;

/**
 * A Redis of the test class's own (the machine's shared one must not be paused or
 * reconfigured), with an admin connection to do that.
 */
final class PrivateRedisExtension implements BeforeAllCallback, AfterAllCallback {

  private RedisServer redis;
  private String url;
  private RedisClient client;
  private StatefulRedisConnection<String, String> admin;

  @Override
  public void beforeAll(ExtensionContext context) {
    int port = TestServices.freePort();
    redis = TestServices.startRedis(port);
    url = "redis://127.0.0.1:" + port;
    client = RedisClient.create(url);
    admin = client.connect();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    admin.close();
    client.shutdown();
    redis.stop();
  }

  String url() {
    return url;
  }

  RedisCommands<String, String> admin() {
    return admin.sync();
  }
}
