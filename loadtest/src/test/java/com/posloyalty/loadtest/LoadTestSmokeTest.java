package com.posloyalty.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.posloyalty.server.testing.TestServices;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The CI smoke: every scenario runs briefly against an in-process server (on the machine's
 * PostgreSQL and Redis, or embedded ones, as the server's tests use) and must finish
 * with zero errors and a complete report. Performance targets are never asserted here;
 * they are checked by running the benchmark (docs/performance.md). The seconds per
 * scenario come from the system property {@code loadtest.smoke.seconds} (default 20, the
 * CI smoke; a shorter run for a quick local check: {@code -Dloadtest.smoke.seconds=4}).
 */
class LoadTestSmokeTest {

  @TempDir
  Path dir;

  @Test
  void everyScenarioCompletesWithoutErrorsAndWritesItsReport() throws Exception {
    long seconds = Long.getLong("loadtest.smoke.seconds", 20);
    Path reportDir = dir.resolve("report");
    int exit = new CommandLine(new Main()).execute("--start-server", "--scenario", "all",
        "--db-url", TestServices.newDatabase("loadtest_smoke"),
        "--redis-url", TestServices.redisUrl(),
        "-S", "LOYALTY_REDIS_KEY_PREFIX=" + TestServices.newKeyPrefix("loadtest"),
        "--members", "2000", "--ledger-rows", "12000", "--hot-members", "2000",
        "--rate", "25", "--duration", seconds + "s", "--warmup", "1s", "--prime", "1s",
        "--deadline", "5s", "--report-dir", reportDir.toString());

    JsonNode report = new ObjectMapper().readTree(reportDir.resolve("report.json").toFile());
    List<String> names = new ArrayList<>();
    for (JsonNode scenario : report.path("scenarios")) {
      String name = scenario.path("name").asText();
      names.add(name);
      assertThat(scenario.path("errors").asLong()).as(name + " errors: "
          + scenario.path("errors_by_reason")).isZero();
      assertThat(scenario.path("achieved_throughput").asDouble()).as(name).isPositive();
      assertThat(scenario.path("p99_ms").asDouble()).as(name).isPositive();
    }
    assertThat(names).containsExactly("ceiling-grpc", "identify", "ceiling-sql", "commit",
        "checkout");
    assertThat(report.path("scenarios").get(3).path("ratio_to_ceiling").isNumber()).isTrue();
    assertThat(report.path("scenarios").get(4).path("ratio_to_ceiling").isNumber()).isTrue();
    assertThat(report.path("dataset").path("members").asLong()).isEqualTo(2000);
    assertThat(exit).isZero();

    assertThat(Files.readString(reportDir.resolve("report.md")))
        .contains("# POS Loyalty benchmark", "| commit | fixed | commit |",
            "| checkout | fixed | commit |", "latency.png");
    BufferedImage chart = ImageIO.read(reportDir.resolve("latency.png").toFile());
    assertThat(chart.getWidth()).isEqualTo(1100);
  }
}
