package com.posloyalty.loadtest;

import java.util.List;
import java.util.Map;

/**
 * One row of the report: a scenario at one rate, its headline operation's figures, and
 * its throughput as a ratio to its ceiling's (measured in the same run, in the same mode).
 */
record ScenarioReport(
    String name,
    String mode,
    String headline,
    double offeredRate,
    double achievedThroughput,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    long errors,
    Map<String, Long> errorsByReason,
    Double p99BudgetMs,
    String ceiling,
    Double ceilingThroughput,
    Double ratioToCeiling,
    Double cacheHitRatio,
    Double poolCheckoutsPerArrival,
    List<OperationResult> operations,
    List<Step> steps) {

  /** One step of a --find-max search. */
  record Step(double offeredRate, double achievedThroughput, double p99Ms, long errors,
      boolean passed) {}

  static ScenarioReport of(RunResult run, Double p99BudgetMs, String ceiling,
      RunResult ceilingRun, List<Step> steps) {
    OperationResult headline = run.headlineResult();
    Double ceilingThroughput = ceilingRun == null ? null
        : ceilingRun.headlineResult().throughput();
    Double ratio = ceilingThroughput == null || ceilingThroughput == 0 ? null
        : headline.throughput() / ceilingThroughput;
    OperationResult arrival = run.operations().get(run.arrival());
    return new ScenarioReport(run.scenario(), run.mode(), run.headline(), run.offeredRate(),
        headline.throughput(), headline.p50Ms(), headline.p99Ms(), headline.p999Ms(),
        arrival.errors(), arrival.errorsByReason(), p99BudgetMs, ceiling, ceilingThroughput,
        ratio, run.cacheHitRatio(), run.poolCheckoutsPerArrival(),
        List.copyOf(run.operations().values()), steps);
  }

  OperationResult headlineResult() {
    return operations.stream().filter(o -> o.name().equals(headline)).findFirst().orElseThrow();
  }
}
