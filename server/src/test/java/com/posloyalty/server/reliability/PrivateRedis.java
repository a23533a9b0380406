package com.posloyalty.server.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import redis.embedded.RedisServer;

/**
 * A Redis of the test's own (never the machine's shared one, which other tests and
 * workloads use) that can be killed with SIGKILL and started again, empty, on the same
 * port.
 */
final class PrivateRedis implements AutoCloseable {

  private final int port;
  private RedisServer server;

  private PrivateRedis(int port) {
    this.port = port;
  }

  static PrivateRedis start(int port) {
    PrivateRedis redis = new PrivateRedis(port);
    redis.restart();
    return redis;
  }

  int port() {
    return port;
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts Redis again (it keeps nothing on disk, so it comes back empty). */
  synchronized void restart() {
    try {
      server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
          .setting("save \"\"").setting("appendonly no").onShutdownForceStop(true).build();
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start Redis on " + port, e);
    }
  }

  /** SIGKILL, then waits until the port is closed. */
  synchronized void kill() {
    try {
      server.stop();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    long end = System.nanoTime() + 10_000_000_000L;
    while (listening()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("Redis on port " + port + " still listens 10 s after"
            + " it was killed");
      }
      ServerProcess.sleep(20);
    }
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (server != null && server.isActive()) {
      kill();
    }
  }
}
