package com.posloyalty.server;

import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.wiring.ServerComponent;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the background work: health probes, the reservation sweeper, cache repair, point
 * expiry and tier evaluation. Every job is idempotent and safe on several instances at
 * once (they take the same row locks as the calls).
 */
final class Scheduler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final ServerComponent component;
  private final ServerConfig config;
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "loyalty-jobs");
    t.setDaemon(true);
    return t;
  });

  Scheduler(ServerComponent component, ServerConfig config) {
    this.component = component;
    this.config = config;
  }

  void start() {
    every("health", 1, TimeUnit.SECONDS, () -> component.health().probe());
    every("reservation sweeper", config.sweepIntervalSeconds(), TimeUnit.SECONDS,
        () -> component.redemptions().expireOverdue(500));
    every("cache repair", 1, TimeUnit.SECONDS, () -> component.jobs().repairCache());
    every("point expiry", 60, TimeUnit.MINUTES, () -> component.jobs().expirePoints());
    every("tier evaluation", 24, TimeUnit.HOURS, () -> component.jobs().evaluateTiers());
  }

  private void every(String name, long period, TimeUnit unit, Runnable job) {
    executor.scheduleWithFixedDelay(() -> {
      try {
        job.run();
      } catch (RuntimeException e) {
        log.warn("{} failed: {}", name, e.toString());
      }
    }, unit == TimeUnit.SECONDS ? period : 1, period, unit);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
