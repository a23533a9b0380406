package com.posloyalty.server.api;

import com.posloyalty.server.config.ServerConfig;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The fixed pool that runs the calls' blocking work: one worker per pooled connection (the
 * pool has two more, for the jobs), so a call never waits for a connection because of other
 * calls and the pool's short timeout only ever fires when PostgreSQL itself is slow or gone.
 * Calls beyond that queue here; one that waited longer than LOYALTY_MAX_QUEUE_WAIT_MS is
 * shed unrun ({@link QueueGuard}), and one whose deadline passed is dropped. A cache hit of
 * IdentifyMember only passes through: it is answered from Redis's reply (see {@link
 * CheckoutGrpcService}).
 */
@Singleton
public final class CallWorkers implements Executor {

  private final ExecutorService pool;

  @Inject
  CallWorkers(ServerConfig config) {
    this.pool = Executors.newFixedThreadPool(config.dbPoolSize(), r -> {
      Thread t = new Thread(r, "grpc-worker");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /** Finishes queued work and stops the workers. */
  public void shutdown() {
    pool.shutdown();
  }
}
