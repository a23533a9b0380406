package com.posloyalty.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The operations of one run (or of its warm-up, which is thrown away). */
final class Recording {

  private final Map<String, OperationStats> operations = new LinkedHashMap<>();

  Recording(List<String> names, long windowEndNanos) {
    names.forEach(n -> operations.put(n, new OperationStats(n, windowEndNanos)));
  }

  OperationStats op(String name) {
    OperationStats stats = operations.get(name);
    if (stats == null) {
      throw new IllegalArgumentException("operation not declared by the scenario: " + name);
    }
    return stats;
  }

  /** Each operation's result, in the order the scenario declares them. */
  Map<String, OperationResult> results(double seconds) {
    Map<String, OperationResult> out = new LinkedHashMap<>();
    operations.forEach((name, stats) -> out.put(name, stats.result(seconds)));
    return out;
  }
}
