package com.posloyalty.loadtest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies and errors of one operation (an RPC, a SQL transaction, a whole sale) in one
 * run. A latency counts from when the request was due, not from when it was sent, so a
 * client or server stall shows up in the histogram instead of silently delaying later
 * requests (coordinated omission).
 */
final class OperationStats {

  /** Latencies are recorded in microseconds, up to a minute. */
  static final long HIGHEST_MICROS = 60_000_000L;

  private final String name;
  private final long windowEndNanos;
  private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
  private final LongAdder completedInWindow = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  OperationStats(String name, long windowEndNanos) {
    this.name = name;
    this.windowEndNanos = windowEndNanos;
  }

  /** Records a success that was due at {@code dueNanos} and finished at {@code endNanos}. */
  void success(long dueNanos, long endNanos) {
    recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (endNanos - dueNanos) / 1000)));
    if (endNanos <= windowEndNanos) {
      completedInWindow.increment();
    }
  }

  void error(String reason) {
    errors.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /**
   * Starts {@code call}, due at {@code dueNanos}, and records its outcome when it
   * completes. A call that throws before returning a future counts as an error too.
   */
  <R> CompletableFuture<R> time(long dueNanos, Supplier<CompletableFuture<R>> call) {
    CompletableFuture<R> started;
    try {
      started = call.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    return started.whenComplete((result, failure) -> {
      if (failure == null) {
        success(dueNanos, System.nanoTime());
      } else {
        error(Failures.reason(failure));
      }
    });
  }

  OperationResult result(double seconds) {
    Histogram histogram = recorder.getIntervalHistogram();
    Map<String, Long> byReason = new TreeMap<>();
    errors.forEach((reason, count) -> byReason.put(reason, count.sum()));
    long errorCount = byReason.values().stream().mapToLong(Long::longValue).sum();
    return new OperationResult(name, histogram.getTotalCount(),
        completedInWindow.sum() / seconds, millis(histogram, 50), millis(histogram, 99),
        millis(histogram, 99.9), histogram.getTotalCount() == 0 ? 0
            : histogram.getMaxValue() / 1000.0, errorCount, byReason, histogram);
  }

  private static double millis(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
