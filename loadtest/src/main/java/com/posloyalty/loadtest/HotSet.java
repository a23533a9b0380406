package com.posloyalty.loadtest;

import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The members who shop while the benchmark runs: {@code size} of the seeded population,
 * spread evenly over it so their rows are scattered like real customers' rather than
 * packed at the start of each table. Lanes identify them by loyalty card.
 */
final class HotSet {

  private static final int WARM_CONCURRENCY = 64;
  private static final PointOfSale WARM_POS = PointOfSale.newBuilder().setStoreId("store-1")
      .setTerminalId("lane-1").setChannel(Channel.CHANNEL_STAFFED_LANE).build();

  private final long population;
  private final int size;
  private boolean warmed;

  HotSet(long population, int size) {
    this.population = population;
    this.size = (int) Math.min(population, size);
  }

  int size() {
    return size;
  }

  /** A member of the hot set, uniformly at random: its index in the population. */
  long pick() {
    return member(ThreadLocalRandom.current().nextInt(size));
  }

  IdentifyMemberRequest identify(long member, PointOfSale pos) {
    return IdentifyMemberRequest.newBuilder().setPointOfSale(pos)
        .setCardNumber(Population.cardNumber(member)).build();
  }

  /**
   * Identifies every hot member once, so the measured runs are cache hits. Idempotent;
   * fails when a member cannot be identified (the population is not seeded).
   */
  synchronized void warm(GrpcClient client) throws InterruptedException {
    if (warmed) {
      return;
    }
    Semaphore slots = new Semaphore(WARM_CONCURRENCY);
    AtomicReference<String> failure = new AtomicReference<>();
    for (int k = 0; k < size && failure.get() == null; k++) {
      slots.acquire();
      client.call(CheckoutServiceGrpc.getIdentifyMemberMethod(), identify(member(k), WARM_POS))
          .whenComplete((answer, error) -> {
            if (error != null) {
              failure.compareAndSet(null, Failures.reason(error));
            }
            slots.release();
          });
    }
    slots.acquire(WARM_CONCURRENCY);
    slots.release(WARM_CONCURRENCY);
    if (failure.get() != null) {
      throw new IllegalStateException("cache warm-up failed (" + failure.get()
          + "): is the population seeded in the server's database?");
    }
    warmed = true;
  }

  private long member(int k) {
    return k * (population / size);
  }
}
