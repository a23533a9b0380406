package com.posloyalty.loadtest;

import java.util.List;
import java.util.Map;

/** Everything one benchmark run found, as written to report.json and report.md. */
record BenchmarkReport(
    String generatedAt,
    Machine machine,
    Map<String, Object> setup,
    Seeder.Dataset dataset,
    List<ScenarioReport> scenarios,
    List<TargetCheck> targets,
    HeapProbe.Summary heap) {

  /**
   * Where it ran. Client and server share the machine; the load averages (1, 5, 15
   * minutes) at start and end show whether anything else was competing for it.
   */
  record Machine(int cores, String cpu, long memoryMb, String os, String jvm, String postgres,
      String loadAverageAtStart, String loadAverageAtEnd) {}

  /**
   * One target of the issue and how this run did: met is null when the run did not
   * measure it (say, no --find-max).
   */
  record TargetCheck(String target, String measured, Boolean met) {}
}
