package com.posloyalty.loadtest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: arrivals at fixed intervals from one scheduler thread, each started
 * without waiting for earlier ones, so a slow response never delays the next send. At
 * most {@code maxInFlight} arrivals are outstanding; an arrival beyond that is refused
 * and counted as an OVERLOAD error rather than queued, which would hide the overload.
 */
final class OpenLoopDriver {

  private final int maxInFlight;
  private final Duration drainTimeout;

  OpenLoopDriver(int maxInFlight, Duration drainTimeout) {
    this.maxInFlight = maxInFlight;
    this.drainTimeout = drainTimeout;
  }

  /** Runs {@code scenario} at {@code rate} arrivals a second: warm-up, then the measured window. */
  RunResult run(Scenario scenario, double rate, Duration warmup, Duration measured, String mode)
      throws InterruptedException {
    double nanosPerArrival = 1e9 / rate;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    long measureFrom = start + warmup.toNanos();
    long end = measureFrom + measured.toNanos();
    Recording warm = new Recording(scenario.operations(), measureFrom);
    Recording window = new Recording(scenario.operations(), end);
    Semaphore inFlight = new Semaphore(maxInFlight);
    for (long i = 0; ; i++) {
      long due = start + (long) (i * nanosPerArrival);
      if (due >= end) {
        break;
      }
      waitUntil(due);
      Recording recording = due < measureFrom ? warm : window;
      if (!inFlight.tryAcquire()) {
        recording.op(scenario.arrival()).error(Failures.OVERLOAD);
        continue;
      }
      CompletableFuture<?> arrival;
      try {
        arrival = scenario.arrive(due, recording);
      } catch (RuntimeException e) {
        recording.op(scenario.arrival()).error(Failures.reason(e));
        inFlight.release();
        continue;
      }
      arrival.whenComplete((result, failure) -> inFlight.release());
    }
    if (inFlight.tryAcquire(maxInFlight, drainTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
      inFlight.release(maxInFlight);
    } else {
      for (int stuck = maxInFlight - inFlight.availablePermits(); stuck > 0; stuck--) {
        window.op(scenario.arrival()).error("NOT_FINISHED");
      }
    }
    double seconds = measured.toNanos() / 1e9;
    return new RunResult(scenario.name(), mode, rate, seconds, scenario.headline(),
        scenario.arrival(), window.results(seconds), null, null);
  }

  /** Parks until {@code due}; a late scheduler sends at once and the lateness counts as latency. */
  private static void waitUntil(long due) {
    long remaining;
    while ((remaining = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(remaining);
    }
  }
}
