package com.posloyalty.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs scenarios in order — each ceiling before the scenario it bounds — at the fixed rate,
 * or with --find-max stepped to the highest rate each sustains, followed by a run at half
 * its ceiling's highest rate. Each scenario is prepared and primed (an unrecorded run for
 * JIT compilation on both sides) before its first measured run.
 */
final class ScenarioRuns {

  private static final Map<String, String> CEILING_OF = Map.of(
      IdentifyScenario.NAME, GrpcCeilingScenario.NAME,
      CommitScenario.NAME, SqlCeilingScenario.NAME,
      CheckoutScenario.NAME, SqlCeilingScenario.NAME);

  private final Main o;
  private final OpenLoopDriver driver;
  private final ServerMetrics metrics;
  private final Map<String, RunResult> ceilings = new HashMap<>();
  private final List<ScenarioReport> rows = new ArrayList<>();

  ScenarioRuns(Main options, ServerMetrics metrics) {
    this.o = options;
    this.metrics = metrics;
    this.driver = new OpenLoopDriver(options.maxInFlight,
        options.deadline.multipliedBy(6).plusSeconds(5));
  }

  List<ScenarioReport> rows() {
    return rows;
  }

  void run(Scenario scenario) throws InterruptedException {
    scenario.prepare();
    driver.run(scenario, o.rate, Duration.ZERO, o.prime, "prime");
    String name = scenario.name();
    Duration budget = name.equals(IdentifyScenario.NAME) || name.equals(GrpcCeilingScenario.NAME)
        ? o.identifyBudget : o.commitBudget;
    String ceilingName = CEILING_OF.get(name);
    RunResult ceiling = ceilingName == null ? null : ceilings.get(ceilingName);
    if (!o.findMax) {
      RunResult run = measure(scenario, o.rate, o.duration, "fixed");
      if (ceilingName == null) {
        ceilings.put(name, run);
      }
      rows.add(ScenarioReport.of(run, millis(budget), ceilingName, ceiling, List.of()));
      return;
    }
    FindMax.Search search = new FindMax(
        (s, rate) -> measure(s, rate, o.stepDuration, "step"), o.maxRate, o.refineSteps,
        o.stepRetries)
        .search(scenario, o.rate, budget);
    List<ScenarioReport.Step> steps = search.steps().stream().map(r -> new ScenarioReport.Step(
        r.offeredRate(), r.headlineResult().throughput(), r.headlineResult().p99Ms(),
        r.errors(), FindMax.passes(r, budget))).toList();
    if (search.best() == null) {
      // Nothing sustained: show the first step, with no ceiling ratio to misread.
      rows.add(ScenarioReport.of(search.steps().get(0).withMode("none-passed"), millis(budget),
          null, null, steps));
      return;
    }
    if (ceilingName == null) {
      ceilings.put(name, search.best());
    }
    rows.add(ScenarioReport.of(search.best(), millis(budget), ceilingName, ceiling, steps));
    if (ceiling != null) {
      RunResult half = measure(scenario, Math.rint(ceiling.offeredRate() / 2), o.duration,
          "half-ceiling");
      rows.add(ScenarioReport.of(half, millis(budget), ceilingName, ceiling, List.of()));
    }
  }

  /** One measured run, with the server's cache and pool counters around it. */
  private RunResult measure(Scenario scenario, double rate, Duration length, String mode)
      throws InterruptedException {
    Optional<ServerMetrics.Counters> before = metrics.read();
    RunResult run = driver.run(scenario, rate, o.warmup, length, mode);
    Optional<ServerMetrics.Counters> after = metrics.read();
    double arrivals = rate * (o.warmup.plus(length).toNanos() / 1e9);
    run = run.withServerCounters(
        scenario.name().startsWith("ceiling") ? null : ServerMetrics.hitRatio(before, after),
        ServerMetrics.checkoutsPerArrival(before, after, arrivals));
    OperationResult h = run.headlineResult();
    System.err.printf("%-13s %-12s offered %8.0f/s  %s %8.0f/s  p50 %7.3f  p99 %8.3f"
            + "  p99.9 %8.3f ms  errors %d%n", scenario.name(), mode, rate, run.headline(),
        h.throughput(), h.p50Ms(), h.p99Ms(), h.p999Ms(), run.errors());
    return run;
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }
}
