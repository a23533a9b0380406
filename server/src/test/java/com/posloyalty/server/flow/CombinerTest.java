package com.posloyalty.server.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The batching under group commits, without I/O: what waits while a batch runs goes into the
 * next one, conflicting items never share one nor run in two at once, a failure reaches
 * exactly its batch, overdue items are refused unrun, and the count of running batches
 * survives all of it.
 */
class CombinerTest {

  /** Items are "key:name"; the key is what two items of one batch may not share. */
  private static List<Object> key(String item) {
    return List.of(item.substring(0, item.indexOf(':')));
  }

  /** Work that records its batches, answers each item upper-cased, and can be held. */
  private static final class Recorded implements Combiner.Work<String, String> {
    final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold = true;

    @Override
    public List<String> run(List<String> batch) {
      batches.add(List.copyOf(batch));
      if (hold) {
        hold = false;
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (batch.stream().anyMatch(s -> s.endsWith("boom"))) {
        throw new IllegalStateException("boom");
      }
      return batch.stream().map(String::toUpperCase).toList();
    }
  }

  private static Combiner<String, String> combiner(Recorded work, int maxBatch, long maxWaitNanos) {
    return new Combiner<>(maxBatch, 1, maxWaitNanos, CombinerTest::key,
        waited -> new Overloaded(TimeUnit.NANOSECONDS.toMillis(waited), "a batch"), work);
  }

  /** Submits {@code first} on its own thread and waits until its batch is running (held). */
  private static CompletableFuture<String> holdFirst(Combiner<String, String> c, Recorded work,
      String first) throws InterruptedException {
    CompletableFuture<CompletableFuture<String>> submitted =
        CompletableFuture.supplyAsync(() -> c.submit(first));
    assertThat(work.entered.await(10, TimeUnit.SECONDS)).isTrue();
    return submitted.thenCompose(f -> f);
  }

  @Test
  void anItemAloneIsABatchOfOneRunOnTheCallersThread() throws Exception {
    Recorded work = new Recorded();
    work.hold = false;
    Combiner<String, String> c = combiner(work, 16, TimeUnit.SECONDS.toNanos(1));
    CompletableFuture<String> answer = c.submit("a:x");
    assertThat(answer).isCompletedWithValue("A:X");
    assertThat(work.batches).containsExactly(List.of("a:x"));
  }

  @Test
  void whatArrivesWhileABatchRunsIsTheNextBatch() throws Exception {
    Recorded work = new Recorded();
    Combiner<String, String> c = combiner(work, 16, TimeUnit.SECONDS.toNanos(10));
    CompletableFuture<String> first = holdFirst(c, work, "a:1");
    // The one batch allowed is running: these callers leave their items and return.
    CompletableFuture<String> b = c.submit("b:2");
    CompletableFuture<String> d = c.submit("d:3");
    CompletableFuture<String> e = c.submit("e:4");
    assertThat(b).isNotDone();
    assertThat(c.waiting()).isEqualTo(3);
    work.release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("A:1");
    assertThat(List.of(b.get(10, TimeUnit.SECONDS), d.get(10, TimeUnit.SECONDS),
        e.get(10, TimeUnit.SECONDS))).containsExactly("B:2", "D:3", "E:4");
    assertThat(work.batches).containsExactly(List.of("a:1"), List.of("b:2", "d:3", "e:4"));
    assertThat(c.waiting()).isZero();
  }

  @Test
  void conflictingItemsNeverShareABatchAndBatchesAreBounded() throws Exception {
    Recorded work = new Recorded();
    Combiner<String, String> c = combiner(work, 2, TimeUnit.SECONDS.toNanos(10));
    CompletableFuture<String> first = holdFirst(c, work, "m0:0");
    List<CompletableFuture<String>> rest = new ArrayList<>();
    for (String item : List.of("m1:a", "m1:b", "m2:c", "m3:d")) {
      rest.add(c.submit(item));
    }
    work.release.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (CompletableFuture<String> f : rest) {
      f.get(10, TimeUnit.SECONDS);
    }
    // m1:b waits for a batch without m1:a; no batch holds more than two.
    assertThat(work.batches).containsExactly(List.of("m0:0"), List.of("m1:a", "m2:c"),
        List.of("m1:b", "m3:d"));
  }

  @Test
  void anItemWhoseKeyIsInARunningBatchWaitsForItEvenWithABatchFree() throws Exception {
    Recorded work = new Recorded();
    Combiner<String, String> c = new Combiner<>(16, 2, TimeUnit.SECONDS.toNanos(10),
        CombinerTest::key, waited -> new Overloaded(0, "a batch"), work);
    CompletableFuture<String> first = holdFirst(c, work, "a:1");
    // A second batch may run, but not with a:2 while a:1's batch holds key a.
    CompletableFuture<String> second = c.submit("a:2");
    assertThat(second).isNotDone();
    assertThat(c.waiting()).isEqualTo(1);
    // Another key runs at once in the free batch, on this thread, and leaves a:2 waiting.
    assertThat(c.submit("b:3")).isCompletedWithValue("B:3");
    assertThat(second).isNotDone();
    work.release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("A:1");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("A:2");
    assertThat(work.batches).containsExactly(List.of("a:1"), List.of("b:3"), List.of("a:2"));
    // Nothing is left held: the key runs at once again.
    assertThat(c.submit("a:4")).isCompletedWithValue("A:4");
  }

  @Test
  void aFailedBatchFailsEachOfItsItemsAndOnlyThem() throws Exception {
    Recorded work = new Recorded();
    Combiner<String, String> c = combiner(work, 16, TimeUnit.SECONDS.toNanos(10));
    CompletableFuture<String> first = holdFirst(c, work, "a:1");
    CompletableFuture<String> x = c.submit("b:boom");
    CompletableFuture<String> y = c.submit("c:fine");
    work.release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("A:1");
    for (CompletableFuture<String> f : List.of(x, y)) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
    }
    // The failure did not leave a batch counted as running: the next item runs at once.
    assertThat(c.submit("d:after")).isCompletedWithValue("D:AFTER");
  }

  @Test
  void anItemThatWaitedTooLongIsRefusedUnrun() throws Exception {
    Recorded work = new Recorded();
    Combiner<String, String> c = combiner(work, 16, TimeUnit.MILLISECONDS.toNanos(20));
    CompletableFuture<String> first = holdFirst(c, work, "a:1");
    CompletableFuture<String> late = c.submit("b:late");
    Thread.sleep(60);
    work.release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("A:1");
    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(Overloaded.class);
    assertThat(work.batches).containsExactly(List.of("a:1"));
    assertThat(c.submit("b:next")).isCompletedWithValue("B:NEXT");
  }
}
