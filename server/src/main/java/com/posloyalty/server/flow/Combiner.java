package com.posloyalty.server.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Runs the items of concurrent callers in batches, without waiting to fill one and without
 * parking the callers. A caller that finds fewer than {@code maxRunning} batches running
 * runs one at once, on its own thread, holding its own item (unless a running batch holds
 * its key, below) and whatever else waits, and goes on with the next batch while items
 * keep waiting. A caller that finds them all busy leaves its item and returns: its future
 * completes when a batch holding it ends. Alone on an idle server an item is a batch of
 * one; under load a batch holds what arrived while the ones before were out.
 *
 * <p>Items that conflict (share a key from {@code keys}) never share a batch, nor run in two
 * batches at once: an item whose key is in a batch still running waits for a batch taken
 * after that one ends, even while fewer than {@code maxRunning} run. So a batch never waits
 * for another (for a row lock the other holds until it ends) with all of its items held up
 * behind that one item. An item that waited longer than {@code maxWaitNanos} is not run:
 * its future fails with what {@code overdue} makes of the wait, so an overloaded server
 * keeps its queue short instead of running everything late. A batch's work returns one
 * result per item, in order; when it throws, every item of the batch fails with that
 * exception.
 *
 * @param <T> an item
 * @param <R> its result
 */
final class Combiner<T, R> {

  /** The work for one batch: one result per item, in the batch's order. */
  interface Work<T, R> {
    List<R> run(List<T> batch);
  }

  private record Slot<T, R>(T item, long arrivedNanos, CompletableFuture<R> answer) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Slot<T, R>> waiting = new ArrayDeque<>();
  private final int maxBatch;
  private final int maxRunning;
  private final long maxWaitNanos;
  private final Function<T, List<Object>> keys;
  private final LongFunction<RuntimeException> overdue;
  private final Work<T, R> work;
  /** The keys of the items in the batches running, under the lock. */
  private final Set<Object> held = new HashSet<>();
  private int running;

  Combiner(int maxBatch, int maxRunning, long maxWaitNanos, Function<T, List<Object>> keys,
      LongFunction<RuntimeException> overdue, Work<T, R> work) {
    if (maxBatch < 1 || maxRunning < 1) {
      throw new IllegalArgumentException("a batch holds at least one item, and one runs");
    }
    this.maxBatch = maxBatch;
    this.maxRunning = maxRunning;
    this.maxWaitNanos = maxWaitNanos;
    this.keys = keys;
    this.overdue = overdue;
    this.work = work;
  }

  /**
   * Leaves {@code item} to be run in a batch; the answer completes with its result or its
   * batch's failure. The calling thread may run batches (its own item's, and those after it
   * while items wait) before this returns.
   */
  CompletableFuture<R> submit(T item) {
    Slot<T, R> slot = new Slot<>(item, System.nanoTime(), new CompletableFuture<>());
    List<Slot<T, R>> batch = null;
    List<Slot<T, R>> late = new ArrayList<>();
    lock.lock();
    try {
      waiting.add(slot);
      if (running < maxRunning) {
        running++;
        batch = nextOrStop(late);
      }
    } finally {
      lock.unlock();
    }
    fail(late);
    while (batch != null) {
      batch = run(batch);
    }
    return slot.answer();
  }

  /** Items waiting for a batch. */
  int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a batch and answers its items; returns the next batch for this thread to run, or
   * null when nothing waits (or enough batches run without it).
   */
  private List<Slot<T, R>> run(List<Slot<T, R>> batch) {
    List<T> items = new ArrayList<>(batch.size());
    batch.forEach(s -> items.add(s.item()));
    List<R> results = null;
    RuntimeException failure = null;
    try {
      results = work.run(items);
      if (results.size() != items.size()) {
        failure = new IllegalStateException(
            "a batch of " + items.size() + " returned " + results.size() + " results");
      }
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      // Answered like any failure, so that the count of running batches stays true.
      failure = new IllegalStateException("the batch failed: " + e, e);
    }
    List<Slot<T, R>> next = null;
    List<Slot<T, R>> late = new ArrayList<>();
    lock.lock();
    try {
      items.forEach(item -> held.removeAll(keys.apply(item)));
      next = nextOrStop(late);
    } finally {
      lock.unlock();
    }
    // The next batch is taken before these callers are answered, so it is not held up by
    // their answers being sent.
    for (int i = 0; i < batch.size(); i++) {
      if (failure != null) {
        batch.get(i).answer().completeExceptionally(failure);
      } else {
        batch.get(i).answer().complete(results.get(i));
      }
    }
    fail(late);
    return next;
  }

  /**
   * Under the lock, for a thread counted as running a batch: the next batch for it to run;
   * null, and the thread no longer counted, when nothing waits that may run now (nothing
   * waits, everything that waited was overdue, or the rest's keys are held by running
   * batches).
   */
  private List<Slot<T, R>> nextOrStop(List<Slot<T, R>> late) {
    List<Slot<T, R>> batch = take(late);
    if (batch.isEmpty()) {
      running--;
      return null;
    }
    return batch;
  }

  /**
   * Under the lock: the waiting items, from the head, that conflict with none taken before
   * them and none in a running batch, up to {@code maxBatch}, their keys then counted as
   * held; the overdue ones are moved to {@code late} instead.
   */
  private List<Slot<T, R>> take(List<Slot<T, R>> late) {
    List<Slot<T, R>> batch = new ArrayList<>();
    Set<Object> taken = new HashSet<>();
    long now = System.nanoTime();
    Iterator<Slot<T, R>> it = waiting.iterator();
    while (it.hasNext() && batch.size() < maxBatch) {
      Slot<T, R> s = it.next();
      if (now - s.arrivedNanos() > maxWaitNanos) {
        it.remove();
        late.add(s);
        continue;
      }
      List<Object> k = keys.apply(s.item());
      if (k.stream().noneMatch(key -> taken.contains(key) || held.contains(key))) {
        taken.addAll(k);
        batch.add(s);
        it.remove();
      }
    }
    held.addAll(taken);
    return batch;
  }

  private void fail(List<Slot<T, R>> late) {
    long now = System.nanoTime();
    for (Slot<T, R> s : late) {
      s.answer().completeExceptionally(overdue.apply(now - s.arrivedNanos()));
    }
  }
}
