package com.posloyalty.server;

import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.wiring.ServerComponent;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the background work: health probes, the reservation sweeper, cache repair, point
 * expiry and tier evaluation. Every job is idempotent and safe on several instances at
 * once (they take the same row locks as the calls).
 *
 * <p>Jobs run on three threads of their own ({@link Lane}), so a job that takes long (the
 * daily tier evaluation or the hourly expiry over a large program, or a sweep stuck on an
 * unreachable database) never delays the health probe, which is what reopens the database
 * breaker after an outage, nor the per-second jobs.
 */
final class Scheduler implements AutoCloseable {

  /** Which thread a job runs on. */
  enum Lane {
    /** The health probe alone. */
    HEALTH,
    /** Short jobs every few seconds: the reservation sweeper, cache repair. */
    FREQUENT,
    /** Long jobs: point expiry, tier evaluation. */
    BATCH
  }

  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final ServerComponent component;
  private final ServerConfig config;
  private final Map<Lane, ScheduledExecutorService> lanes = new EnumMap<>(Lane.class);

  Scheduler(ServerComponent component, ServerConfig config) {
    this.component = component;
    this.config = config;
    for (Lane lane : Lane.values()) {
      lanes.put(lane, Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loyalty-jobs-" + lane.name().toLowerCase(Locale.ROOT));
        t.setDaemon(true);
        return t;
      }));
    }
  }

  void start() {
    every(Lane.HEALTH, "health", 1, TimeUnit.SECONDS, () -> component.health().probe());
    every(Lane.FREQUENT, "reservation sweeper", config.sweepIntervalSeconds(), TimeUnit.SECONDS,
        () -> component.redemptions().expireOverdue(500));
    every(Lane.FREQUENT, "cache repair", 1, TimeUnit.SECONDS,
        () -> component.jobs().repairCache());
    every(Lane.BATCH, "point expiry", 60, TimeUnit.MINUTES,
        () -> component.jobs().expirePoints());
    every(Lane.BATCH, "tier evaluation", 24, TimeUnit.HOURS,
        () -> component.jobs().evaluateTiers());
  }

  /** Runs {@code job} on {@code lane} every {@code period}, the first time soon after start. */
  void every(Lane lane, String name, long period, TimeUnit unit, Runnable job) {
    lanes.get(lane).scheduleWithFixedDelay(() -> {
      try {
        job.run();
      } catch (RuntimeException | Error e) {
        // A periodic task that throws is never run again: the health probe above all must
        // outlive any one failure.
        log.warn("{} failed: {}", name, e.toString());
      }
    }, unit == TimeUnit.SECONDS ? period : 1, period, unit);
  }

  @Override
  public void close() {
    lanes.values().forEach(ScheduledExecutorService::shutdownNow);
  }
}
