package com.posloyalty.loadtest;

import java.util.Map;

/**
 * One run of a scenario at one arrival rate.
 *
 * @param mode "fixed" (the requested rate), "max" (the highest rate meeting the p99 budget)
 *     or "half-ceiling" (half the ceiling's highest rate)
 * @param cacheHitRatio the server's cache hit ratio during the run, when its metrics were
 *     readable and the scenario reads the cache; otherwise null
 * @param poolCheckoutsPerArrival how often the server took a connection from its database
 *     pool per arrival (warm-up included), when its metrics were readable; otherwise null
 */
record RunResult(
    String scenario,
    String mode,
    double offeredRate,
    double seconds,
    String headline,
    String arrival,
    Map<String, OperationResult> operations,
    Double cacheHitRatio,
    Double poolCheckoutsPerArrival) {

  OperationResult headlineResult() {
    return operations.get(headline);
  }

  /** Failed arrivals, overload included. */
  long errors() {
    return operations.get(arrival).errors();
  }

  RunResult withMode(String newMode) {
    return new RunResult(scenario, newMode, offeredRate, seconds, headline, arrival, operations,
        cacheHitRatio, poolCheckoutsPerArrival);
  }

  RunResult withServerCounters(Double hitRatio, Double checkoutsPerArrival) {
    return new RunResult(scenario, mode, offeredRate, seconds, headline, arrival, operations,
        hitRatio, checkoutsPerArrival);
  }
}
