package com.posloyalty.server.reliability;

import java.util.Arrays;
import java.util.Locale;

/** Call durations of one kind, for the maximum and percentiles a scenario reports. */
final class Latencies {

  private long[] micros = new long[1024];
  private int count;

  synchronized void add(long nanos) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = nanos / 1000;
  }

  synchronized int count() {
    return count;
  }

  /** The {@code p}-th percentile in milliseconds (p = 100: the maximum); 0 when empty. */
  synchronized double percentileMillis(double p) {
    if (count == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))] / 1000.0;
  }

  synchronized double maxMillis() {
    return percentileMillis(100);
  }

  /** "p50 / p99 / max" in milliseconds. */
  String summary() {
    return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        percentileMillis(50), percentileMillis(99), maxMillis());
  }
}
