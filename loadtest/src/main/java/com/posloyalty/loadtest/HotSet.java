package com.posloyalty.loadtest;

import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The members who shop while the benchmark runs: {@code size} of the seeded population,
 * spread evenly over it so their rows are scattered like real customers' rather than
 * packed at the start of each table. Lanes identify them by loyalty card.
 */
final class HotSet {

  private static final int WARM_CONCURRENCY = 64;
  /** The server keeps a summary 5 minutes by default; a warm-up older than this is redone. */
  private static final long WARM_FOR_NANOS = TimeUnit.MINUTES.toNanos(2);

  private final long population;
  private final int size;
  private final AtomicReference<String> lastFailure = new AtomicReference<>();
  private long warmedAt;
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
   * Identifies every hot member once, at lanes of every store (spreading the calls over
   * the stores' keys), so the measured runs are cache hits; members whose call failed (a
   * cold database can be slow) get a second try. Does nothing if the last warm-up is
   * recent; fails when a member still cannot be identified.
   */
  synchronized void warm(GrpcClient client, Lanes lanes) throws InterruptedException {
    if (warmed && System.nanoTime() - warmedAt < WARM_FOR_NANOS) {
      return;
    }
    List<Integer> failed = identifyAll(client, lanes, IntStream.range(0, size).boxed().toList());
    if (!failed.isEmpty()) {
      failed = identifyAll(client, lanes, failed);
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException("cache warm-up failed for " + failed.size() + " of " + size
          + " members (" + lastFailure.get() + "); NOT_FOUND means the population is not"
          + " seeded in the server's database");
    }
    warmed = true;
    warmedAt = System.nanoTime();
  }

  /** Identifies the hot members numbered {@code ks}; returns those whose call failed. */
  private List<Integer> identifyAll(GrpcClient client, Lanes lanes, List<Integer> ks)
      throws InterruptedException {
    Semaphore slots = new Semaphore(WARM_CONCURRENCY);
    Queue<Integer> failed = new ConcurrentLinkedQueue<>();
    for (int k : ks) {
      slots.acquire();
      Lanes.Lane lane = lanes.pick();
      client.call(CheckoutServiceGrpc.getIdentifyMemberMethod(),
              identify(member(k), lane.pos()), lane.apiKey())
          .whenComplete((answer, error) -> {
            if (error != null) {
              lastFailure.set(Failures.reason(error));
              failed.add(k);
            }
            slots.release();
          });
    }
    slots.acquire(WARM_CONCURRENCY);
    return List.copyOf(failed);
  }

  private long member(int k) {
    return k * (population / size);
  }
}
