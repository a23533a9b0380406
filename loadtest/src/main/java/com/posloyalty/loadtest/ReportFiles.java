package com.posloyalty.loadtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes report.json, report.md and latency.png into the report directory. */
final class ReportFiles {

  static final String JSON = "report.json";
  static final String MARKDOWN = "report.md";
  static final String CHART = "latency.png";

  private ReportFiles() {}

  static void write(BenchmarkReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Benchmark.JSON.writeValue(dir.resolve(JSON).toFile(), report);
    Files.writeString(dir.resolve(MARKDOWN), MarkdownReport.render(report, CHART),
        StandardCharsets.UTF_8);
    LatencyChart.write(report.scenarios(), dir.resolve(CHART));
  }
}
