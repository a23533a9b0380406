package com.posloyalty.loadtest;

import com.posloyalty.loadtest.BenchmarkReport.TargetCheck;
import java.io.PrintStream;

/** The few lines a person running the benchmark reads first. */
final class ConsoleSummary {

  private ConsoleSummary() {}

  static void print(BenchmarkReport report, PrintStream out) {
    out.printf("%n%-13s %-12s %10s %11s %9s %9s %9s %7s %7s%n", "scenario", "mode", "offered/s",
        "achieved/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "ratio");
    for (ScenarioReport s : report.scenarios()) {
      out.printf("%-13s %-12s %10.0f %11.0f %9.3f %9.3f %9.3f %7d %7s%n", s.name(), s.mode(),
          s.offeredRate(), s.achievedThroughput(), s.p50Ms(), s.p99Ms(), s.p999Ms(), s.errors(),
          s.ratioToCeiling() == null ? "-" : String.format("%.2f", s.ratioToCeiling()));
      if (s.errors() > 0) {
        out.printf("%13s errors: %s%n", "", s.errorsByReason());
      }
    }
    out.println();
    for (TargetCheck t : report.targets()) {
      out.printf("[%s] %s: %s%n", t.met() == null ? " -- " : t.met() ? " ok " : "MISS",
          t.target(), t.measured());
    }
  }
}
