package com.posloyalty.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the highest arrival rate a scenario sustains: the rate doubles from the start
 * rate (the last step clamped to {@code --max-rate}) until a step fails, then the gap
 * between the last pass and the first failure is halved a few times. A step passes when no
 * arrival failed, the headline operation kept up with the offered rate (at least
 * {@value #KEEP_UP} of it) and its p99 stayed within the budget.
 *
 * <p>A failed step is run again at the same rate ({@code --step-retries} times, once by
 * default) and counts as failed only when every run of it failed: on a shared virtual
 * machine one stall of the host can fail a ten-second step far below the real limit, and
 * a search that stops there under-reports the rate — for a ceiling, that over-states every
 * ratio to it. Every run is kept in the steps, the failed ones too.
 */
final class FindMax {

  static final double KEEP_UP = 0.95;

  /** Runs one step of a search at a rate. */
  interface Step {
    RunResult run(Scenario scenario, double rate) throws InterruptedException;
  }

  /** The best passing step (null when none passed) and every step in the order run. */
  record Search(RunResult best, List<RunResult> steps) {}

  private final Step step;
  private final double maxRate;
  private final int refinements;
  private final int retries;

  FindMax(Step step, double maxRate, int refinements, int retries) {
    this.step = step;
    this.maxRate = maxRate;
    this.refinements = refinements;
    this.retries = retries;
  }

  Search search(Scenario scenario, double startRate, Duration p99Budget)
      throws InterruptedException {
    List<RunResult> steps = new ArrayList<>();
    RunResult best = null;
    double passed = 0;
    double failed = Double.NaN;
    // The last doubling is clamped to the cap, so a scenario that passes the step below
    // the cap is still tried at the cap itself rather than reported at half of it.
    for (double rate = Math.min(startRate, maxRate); ; rate = Math.min(rate * 2, maxRate)) {
      RunResult result = attempt(scenario, rate, p99Budget, steps);
      if (!passes(result, p99Budget)) {
        failed = rate;
        break;
      }
      best = result;
      passed = rate;
      if (rate >= maxRate) {
        break;
      }
    }
    for (int i = 0; i < refinements && !Double.isNaN(failed); i++) {
      double rate = Math.rint((passed + failed) / 2);
      if (rate <= passed || rate >= failed) {
        break;
      }
      RunResult result = attempt(scenario, rate, p99Budget, steps);
      if (passes(result, p99Budget)) {
        best = result;
        passed = rate;
      } else {
        failed = rate;
      }
    }
    return new Search(best == null ? null : best.withMode("max"), steps);
  }

  /** Runs a step, and again while it fails, up to the retries; the last run decides. */
  private RunResult attempt(Scenario scenario, double rate, Duration p99Budget,
      List<RunResult> steps) throws InterruptedException {
    RunResult result = step.run(scenario, rate);
    steps.add(result);
    for (int i = 0; i < retries && !passes(result, p99Budget); i++) {
      result = step.run(scenario, rate);
      steps.add(result);
    }
    return result;
  }

  static boolean passes(RunResult result, Duration p99Budget) {
    OperationResult headline = result.headlineResult();
    return result.errors() == 0 && headline.errors() == 0
        && headline.throughput() >= KEEP_UP * result.offeredRate()
        && headline.p99Ms() <= p99Budget.toNanos() / 1e6;
  }
}
