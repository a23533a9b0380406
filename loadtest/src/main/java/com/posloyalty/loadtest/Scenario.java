package com.posloyalty.loadtest;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What one arrival does. Arrivals come at a fixed rate whether or not earlier ones finished. */
interface Scenario {

  String name();

  /** The operations it records, in report order; the first is the arrival itself. */
  List<String> operations();

  /** The operation whose throughput is compared with the ceiling and held to the p99 budget. */
  String headline();

  /** Work before the first measured run, such as filling the server's cache. */
  default void prepare() throws InterruptedException {}

  /**
   * Starts one arrival due at {@code dueNanos} ({@link System#nanoTime} scale) without
   * waiting for it; the returned future completes when the arrival's work is done.
   */
  CompletableFuture<?> arrive(long dueNanos, Recording recording);

  /** The arrival operation: failed arrivals and overload are counted on it. */
  default String arrival() {
    return operations().get(0);
  }
}
