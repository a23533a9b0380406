package com.posloyalty.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A long job never holds up the health probe, which reopens the database after an outage. */
class SchedulerTest {

  @Test
  void theHealthProbeRunsWhileLongJobsAreBusy() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch probes = new CountDownLatch(2);
    try (Scheduler scheduler = new Scheduler(null, null)) {
      // Two long jobs (an expiry and a tier evaluation over a large program, say) that do not
      // end while the test watches, and a sweep stuck as long.
      scheduler.every(Scheduler.Lane.BATCH, "expiry", 1, TimeUnit.SECONDS, () -> await(release));
      scheduler.every(Scheduler.Lane.BATCH, "tiers", 1, TimeUnit.SECONDS, () -> await(release));
      scheduler.every(Scheduler.Lane.FREQUENT, "sweep", 1, TimeUnit.SECONDS,
          () -> await(release));
      scheduler.every(Scheduler.Lane.HEALTH, "health", 1, TimeUnit.SECONDS, probes::countDown);

      assertThat(probes.await(10, TimeUnit.SECONDS)).as("two probes ran").isTrue();
    } finally {
      release.countDown();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
