package com.posloyalty.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One benchmark: the server, the seeded population, each requested scenario at a fixed
 * rate (or stepped to its highest sustained rate with --find-max), and the report.
 * Ceilings run before the scenarios they bound, so every scenario has its ratio.
 */
final class Benchmark {

  static final List<String> ORDER = List.of(GrpcCeilingScenario.NAME, IdentifyScenario.NAME,
      SqlCeilingScenario.NAME, CommitScenario.NAME, CheckoutScenario.NAME);

  static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Main o;

  Benchmark(Main options) {
    this.o = options;
  }

  /** 0 when every fixed-rate run finished without errors, 1 otherwise. */
  int run() throws Exception {
    List<String> wanted = o.scenarios.contains("all") ? ORDER : o.scenarios;
    wanted.stream().filter(n -> !ORDER.contains(n)).findFirst().ifPresent(n -> {
      throw new IllegalArgumentException("unknown scenario '" + n + "'; use " + ORDER + " or all");
    });
    Files.createDirectories(o.reportDir);
    String loadAtStart = MachineInfo.loadAverage();
    try (ServerHandle server = openServer()) {
      PostgresTarget db = server.db().orElse(null);
      Seeder.Dataset dataset = List.of(GrpcCeilingScenario.NAME).containsAll(wanted) ? null
          : seed(db);
      HeapProbe heap = o.serverPid != null
          ? HeapProbe.start(o.serverPid, "server pid " + o.serverPid, true)
          : server.inProcess() ? HeapProbe.start(ProcessHandle.current().pid(),
              "load generator and in-process server together", false) : null;
      try (GrpcClient client = GrpcClient.open(server.target(), o.channels,
          Optional.ofNullable(o.tlsCa), o.deadline)) {
        awaitServing(client);
        HotSet hot = new HotSet(o.members, o.hotMembers);
        Lanes lanes = server.inProcess() ? Lanes.withKeys(server.keysByStore())
            : Lanes.fromOptions(o.apiKeys, o.stores);
        ScenarioRuns runs = new ScenarioRuns(o, new ServerMetrics(server.metrics()));
        for (String name : ORDER) {
          if (wanted.contains(name)) {
            runScenario(name, runs, client, hot, lanes, db, server.poolSize());
          }
        }
        HeapProbe.Summary heapSummary = heap == null ? null : heap.summary();
        Optional<JsonNode> baseline = o.baseline == null ? Optional.empty()
            : Optional.of(JSON.readTree(o.baseline.toFile()));
        List<ScenarioReport> rows = runs.rows();
        BenchmarkReport report = new BenchmarkReport(
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            MachineInfo.describe(db, loadAtStart), setup(server, hot, lanes), dataset, rows,
            Targets.evaluate(rows, baseline, heapSummary), heapSummary);
        ReportFiles.write(report, o.reportDir);
        ConsoleSummary.print(report, System.out);
        System.out.println("\nreport: " + o.reportDir.toAbsolutePath().resolve("report.md"));
        return rows.stream().anyMatch(r -> r.mode().equals("fixed") && r.errors() > 0) ? 1 : 0;
      } finally {
        if (heap != null) {
          heap.close();
        }
      }
    }
  }

  private Seeder.Dataset seed(PostgresTarget db) throws Exception {
    if (db == null) {
      throw new IllegalArgumentException("--db-url is needed to seed the population and for"
          + " the SQL ceiling of a --target server");
    }
    System.err.printf("seeding %,d members and %,d ledger rows (reused when present)…%n",
        o.members, o.ledgerRows);
    Seeder.Dataset dataset = new Seeder(db, o.seedThreads).ensure(o.members, o.ledgerRows);
    System.err.println(dataset.reused() ? "population present: reused"
        : String.format("seeded in %.1f s", dataset.seedSeconds()));
    return dataset;
  }

  private void runScenario(String name, ScenarioRuns runs, GrpcClient client, HotSet hot,
      Lanes lanes, PostgresTarget db, int poolSize) throws InterruptedException {
    switch (name) {
      case GrpcCeilingScenario.NAME -> runs.run(new GrpcCeilingScenario(client, lanes));
      case IdentifyScenario.NAME -> runs.run(new IdentifyScenario(client, hot, lanes));
      case SqlCeilingScenario.NAME -> {
        try (SqlCeilingScenario sql = new SqlCeilingScenario(db, poolSize, hot)) {
          runs.run(sql);
        }
      }
      case CommitScenario.NAME -> runs.run(new CommitScenario(client, hot, lanes));
      default -> runs.run(
          new CheckoutScenario(client, hot, lanes, o.redemptionShare, o.returnShare));
    }
  }

  private ServerHandle openServer() throws Exception {
    if (!o.startServer) {
      Optional<PostgresTarget> db = Optional.ofNullable(o.dbUrl)
          .map(url -> new PostgresTarget(url, o.dbUser, o.dbPassword));
      URI metrics = o.metricsUrl != null ? o.metricsUrl
          : URI.create("http://" + o.target.replaceFirst(":\\d+$", "") + ":9464/metrics");
      return ServerHandle.running(o.target, db, o.poolSize, Optional.of(metrics));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (o.dbUrl != null) {
      settings.put("LOYALTY_DB_URL", o.dbUrl);
      settings.put("LOYALTY_DB_USER", o.dbUser);
      settings.put("LOYALTY_DB_PASSWORD", o.dbPassword);
    }
    if (o.redisUrl != null) {
      settings.put("LOYALTY_REDIS_URL", o.redisUrl);
    }
    settings.putAll(o.serverSettings);
    return ServerHandle.start(settings, o.stores);
  }

  private static void awaitServing(GrpcClient client) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        if (client.call(HealthGrpc.getCheckMethod(), HealthCheckRequest.getDefaultInstance(),
                Optional.empty()).get(5, TimeUnit.SECONDS).getStatus() == ServingStatus.SERVING) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        if (attempt >= 30) {
          throw new IllegalStateException("server not reachable: " + Failures.reason(e), e);
        }
      }
      Thread.sleep(1000);
    }
  }

  private Map<String, Object> setup(ServerHandle server, HotSet hot, Lanes lanes) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("server", server.inProcess() ? "in-process, " + server.target() : server.target());
    s.put("mode", o.findMax ? "find-max" : "fixed rate");
    s.put("rate", o.rate);
    s.put("duration", o.duration.toString());
    s.put("prime", o.prime.toString());
    s.put("warmup", o.warmup.toString());
    if (o.findMax) {
      s.put("step_duration", o.stepDuration.toString());
      s.put("refine_steps", o.refineSteps);
      s.put("step_retries", o.stepRetries);
    }
    s.put("stores", lanes.stores());
    s.put("lanes_per_store", Lanes.LANES_PER_STORE);
    s.put("tls", o.tlsCa != null);
    s.put("channels", o.channels);
    s.put("max_in_flight", o.maxInFlight);
    s.put("deadline", o.deadline.toString());
    s.put("sql_ceiling_pool_size", server.poolSize());
    s.put("hot_members", hot.size());
    s.put("redemption_share", o.redemptionShare);
    s.put("return_share", o.returnShare);
    Map<String, String> settings = new LinkedHashMap<>(o.serverSettings);
    settings.replaceAll((k, v) -> k.contains("PASSWORD") ? "(redacted)" : v);
    s.put("server_settings", settings);
    return s;
  }
}
