package com.posloyalty.loadtest;

import com.posloyalty.loadtest.BenchmarkReport.TargetCheck;
import java.util.Map;

/** report.md: the same figures as report.json, for people. */
final class MarkdownReport {

  private MarkdownReport() {}

  static String render(BenchmarkReport r, String chartFile) {
    StringBuilder md = new StringBuilder("# POS Loyalty benchmark\n\n");
    md.append("Generated ").append(r.generatedAt())
        .append(". Load generator and server on the same machine; open model (fixed arrival")
        .append(" rate), latency from each request's due time (coordinated-omission")
        .append(" corrected).\n\n## Machine\n\n")
        .append("| cores | CPU | memory | OS | JVM | PostgreSQL | load avg at start / end |\n")
        .append("|---|---|---|---|---|---|---|\n");
    BenchmarkReport.Machine m = r.machine();
    md.append(String.format("| %d | %s | %,d MB | %s | %s | %s | %s / %s |%n%n", m.cores(),
        m.cpu(), m.memoryMb(), m.os(), m.jvm(), m.postgres(), m.loadAverageAtStart(),
        m.loadAverageAtEnd()));
    if (r.dataset() != null) {
      Seeder.Dataset d = r.dataset();
      md.append(String.format("## Data set%n%n%,d members, %,d seeded ledger rows (%s);"
              + " ledger_entries now holds about %,d rows (its highest entry id).%n%n",
          d.members(), d.ledgerRows(),
          d.reused() ? "reused" : String.format("seeded with COPY in %.0f s", d.seedSeconds()),
          d.ledgerRowsInDatabase()));
    }
    md.append("## Targets\n\n| target | measured | met |\n|---|---|---|\n");
    for (TargetCheck t : r.targets()) {
      md.append("| ").append(t.target()).append(" | ").append(t.measured()).append(" | ")
          .append(t.met() == null ? "not measured" : t.met() ? "**yes**" : "**NO**")
          .append(" |\n");
    }
    md.append("\n## Scenarios\n\nThroughput and latency are the headline operation's; errors")
        .append(" count failed arrivals (overload included).\n\n")
        .append("| scenario | mode | headline | offered /s | achieved /s | p50 ms | p99 ms |")
        .append(" p99.9 ms | errors | ceiling /s | ratio to ceiling | cache hits |")
        .append(" DB pool checkouts/arrival |\n")
        .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScenarioReport s : r.scenarios()) {
      md.append(String.format("| %s | %s | %s | %.0f | %.0f | %.3f | %.3f | %.3f | %d | %s | %s"
              + " | %s | %s |%n", s.name(), s.mode(), s.headline(), s.offeredRate(),
          s.achievedThroughput(), s.p50Ms(), s.p99Ms(), s.p999Ms(), s.errors(),
          s.ceilingThroughput() == null ? "" : String.format("%.0f", s.ceilingThroughput()),
          s.ratioToCeiling() == null ? "" : String.format("%.2f", s.ratioToCeiling()),
          s.cacheHitRatio() == null ? "" : String.format("%.1f %%", 100 * s.cacheHitRatio()),
          s.poolCheckoutsPerArrival() == null ? ""
              : String.format("%.2f", s.poolCheckoutsPerArrival())));
    }
    md.append("\n![Latency by percentile](").append(chartFile).append(")\n\n## Operations\n");
    for (ScenarioReport s : r.scenarios()) {
      md.append(String.format("%n### %s (%s, %.0f/s)%n%n", s.name(), s.mode(), s.offeredRate()))
          .append("| operation | count | /s | p50 ms | p99 ms | p99.9 ms | max ms | errors |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (OperationResult o : s.operations()) {
        md.append(String.format("| %s | %d | %.0f | %.3f | %.3f | %.3f | %.3f | %s |%n",
            o.name(), o.count(), o.throughput(), o.p50Ms(), o.p99Ms(), o.p999Ms(), o.maxMs(),
            o.errors() == 0 ? "0" : o.errorsByReason().toString()));
      }
    }
    steps(md, r);
    heap(md, r.heap());
    md.append("\n## Setup\n\n| option | value |\n|---|---|\n");
    for (Map.Entry<String, Object> e : r.setup().entrySet()) {
      md.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
    }
    return md.toString();
  }

  private static void steps(StringBuilder md, BenchmarkReport r) {
    boolean any = r.scenarios().stream().anyMatch(s -> !s.steps().isEmpty());
    if (!any) {
      return;
    }
    md.append("\n## Find-max steps\n");
    for (ScenarioReport s : r.scenarios()) {
      if (s.steps().isEmpty()) {
        continue;
      }
      md.append(String.format("%n### %s (p99 budget %s ms)%n%n", s.name(), s.p99BudgetMs()))
          .append("| offered /s | achieved /s | p99 ms | errors | passed |\n")
          .append("|---:|---:|---:|---:|---|\n");
      for (ScenarioReport.Step step : s.steps()) {
        md.append(String.format("| %.0f | %.0f | %.3f | %d | %s |%n", step.offeredRate(),
            step.achievedThroughput(), step.p99Ms(), step.errors(), step.passed() ? "yes" : "no"));
      }
    }
  }

  private static void heap(StringBuilder md, HeapProbe.Summary h) {
    md.append("\n## Heap\n\n");
    if (h == null) {
      md.append("Not measured (give --server-pid for a server in another process).\n");
      return;
    }
    md.append(String.format("Sampled with jstat once a second from %s: %d samples, max used"
            + " %.0f MB (max committed %.0f MB). Lowest used in the first minute %.0f MB, in"
            + " the last minute %.0f MB (%+.0f MB; a third of the run each when it is shorter"
            + " than three minutes).%n", h.source(), h.samples(), h.maxUsedMb(),
        h.maxCommittedMb(), h.firstMinuteTroughMb(), h.lastMinuteTroughMb(), h.growthMb()));
  }
}
