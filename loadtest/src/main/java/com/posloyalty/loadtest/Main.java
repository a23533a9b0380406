package com.posloyalty.loadtest;

import com.posloyalty.server.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar posloyalty-loadtest.jar [options]}: seeds a population, drives the
 * server at fixed arrival rates, measures the ceilings and writes the report.
 * docs/performance.md explains the figures.
 */
@Command(name = "posloyalty-loadtest", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Open-model load test of the POS Loyalty server with ceilings and a report.")
public final class Main implements Callable<Integer> {

  @Option(names = "--target",
      description = "host:port of a running server (default: ${DEFAULT-VALUE})")
  String target = "localhost:50051";

  @Option(names = "--start-server", description = "Start a server in this process instead"
      + " (embedded default, or the --db-url / --redis-url services).")
  boolean startServer;

  @Option(names = "--api-key", description = "For a --target server: KEY is sent by every"
      + " lane as 'authorization: Bearer KEY'; STORE=KEY (repeatable) gives one store's lanes"
      + " its key, and only stores with a key sell. --start-server makes its own keys.")
  List<String> apiKeys = new ArrayList<>();

  @Option(names = "--stores", description = "Stores with " + Lanes.LANES_PER_STORE + " lanes"
      + " each, unless keys name them (default: ${DEFAULT-VALUE})")
  int stores = 50;

  @Option(names = "--tls-ca", description = "Connect with TLS, trusting this PEM CA"
      + " (default: plaintext)")
  Path tlsCa;

  @Option(names = "--scenario", split = ",", description = "identify, commit, checkout,"
      + " ceiling-grpc, ceiling-sql or all (default: ${DEFAULT-VALUE})")
  List<String> scenarios = List.of("all");

  @Option(names = "--rate", description = "Arrivals per second per scenario; with --find-max the"
      + " first step's rate (default: ${DEFAULT-VALUE})")
  double rate = 100;

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "Measured time of each fixed-rate run (default: ${DEFAULT-VALUE})")
  Duration duration = Duration.ofSeconds(30);

  @Option(names = "--warmup", converter = DurationConverter.class,
      description = "Unrecorded lead-in at the same rate before each run"
          + " (default: ${DEFAULT-VALUE})")
  Duration warmup = Duration.ofSeconds(5);

  @Option(names = "--prime", converter = DurationConverter.class,
      description = "Unrecorded run at --rate before each scenario's first run, for JIT"
          + " compilation on both sides (default: ${DEFAULT-VALUE})")
  Duration prime = Duration.ofSeconds(10);

  @Option(names = "--report-dir", description = "default: ${DEFAULT-VALUE}")
  Path reportDir = Path.of("loadtest-report");

  @Option(names = "--members",
      description = "Seeded members, up to 1,000,000 (default: ${DEFAULT-VALUE})")
  long members = 10_000;

  @Option(names = {"--ledger-rows", "--history"},
      description = "Seeded ledger history, up to 10,000,000 rows"
      + " (default: ${DEFAULT-VALUE})")
  long ledgerRows = 100_000;

  @Option(names = "--hot-members", description = "Members the lanes see during the run, spread"
      + " over the population and warmed into the cache (default: ${DEFAULT-VALUE})")
  int hotMembers = 50_000;

  @Option(names = "--seed-threads",
      description = "Connections seeding in parallel (default: ${DEFAULT-VALUE})")
  int seedThreads = 2;

  @Option(names = "--db-url", description = "The server's PostgreSQL (jdbc:postgresql://…): with"
      + " --target needed to seed and for the SQL ceiling; with --start-server the server uses it")
  String dbUrl;

  @Option(names = "--db-user", description = "default: ${DEFAULT-VALUE}")
  String dbUser = "postgres";

  @Option(names = "--db-password", description = "default: empty")
  String dbPassword = "";

  @Option(names = "--redis-url",
      description = "With --start-server: the server's Redis (default: embedded)")
  String redisUrl;

  @Option(names = {"-S", "--server-setting"}, description = "With --start-server: a LOYALTY_*"
      + " setting for the server, e.g. -S LOYALTY_REDIS_KEY_PREFIX=bench")
  Map<String, String> serverSettings = new LinkedHashMap<>();

  @Option(names = "--pool-size", description = "SQL ceiling pool size for a --target server"
      + " (its LOYALTY_DB_POOL_SIZE; default: ${DEFAULT-VALUE})")
  int poolSize = 8;

  @Option(names = "--metrics-url", description = "The server's Prometheus endpoint, for the"
      + " cache hit ratio (default: http://<target host>:9464/metrics)")
  URI metricsUrl;

  @Option(names = "--server-pid", description = "Process id of a --target server on this"
      + " machine: its heap is sampled with jstat")
  Long serverPid;

  @Option(names = "--channels",
      description = "HTTP/2 connections to the server (default: ${DEFAULT-VALUE})")
  int channels = 2;

  @Option(names = "--max-in-flight", description = "Outstanding arrivals before new ones count"
      + " as OVERLOAD errors (default: ${DEFAULT-VALUE})")
  int maxInFlight = 5_000;

  @Option(names = "--deadline", converter = DurationConverter.class,
      description = "Per-call deadline (default: ${DEFAULT-VALUE})")
  Duration deadline = Duration.ofSeconds(2);

  @Option(names = "--find-max", description = "Step each scenario's rate up to the highest that"
      + " meets its p99 budget, then run it at half its ceiling's highest rate")
  boolean findMax;

  @Option(names = "--step-duration", converter = DurationConverter.class,
      description = "Measured time of each --find-max step (default: ${DEFAULT-VALUE})")
  Duration stepDuration = Duration.ofSeconds(10);

  @Option(names = "--max-rate",
      description = "--find-max never offers more (default: ${DEFAULT-VALUE})")
  double maxRate = 1_000_000;

  @Option(names = "--refine-steps",
      description = "--find-max bisection steps (default: ${DEFAULT-VALUE})")
  int refineSteps = 3;

  @Option(names = "--step-retries",
      description = "--find-max: runs of a failed step again at the same rate before it"
          + " counts as failed, so one stall of the machine does not end the search"
          + " (default: ${DEFAULT-VALUE})")
  int stepRetries = 1;

  @Option(names = "--identify-p99-budget", converter = DurationConverter.class,
      description = "--find-max: p99 a step of identify or the empty-call ceiling must meet;"
          + " the 5 ms target is judged regardless (default: ${DEFAULT-VALUE})")
  Duration identifyBudget = Duration.ofMillis(5);

  @Option(names = "--commit-p99-budget", converter = DurationConverter.class,
      description = "--find-max: p99 a step of commit, checkout's commit or the SQL ceiling"
          + " must meet; the 25 ms target is judged regardless (default: ${DEFAULT-VALUE})")
  Duration commitBudget = Duration.ofMillis(25);

  @Option(names = "--redemption-share",
      description = "Sales paying part with points (default: ${DEFAULT-VALUE})")
  double redemptionShare = 0.15;

  @Option(names = "--return-share",
      description = "Sales followed by a return (default: ${DEFAULT-VALUE})")
  double returnShare = 0.05;

  @Option(names = "--baseline", description = "An earlier report.json (e.g. 10k members) to"
      + " compare p50 with at the same rates")
  Path baseline;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** 0 when every fixed-rate run finished without errors, 1 when one had errors, 2 on misuse. */
  @Override
  public Integer call() throws Exception {
    try {
      return new Benchmark(this).run();
    } catch (IllegalArgumentException | IllegalStateException | ConfigException e) {
      System.err.println("posloyalty-loadtest: " + e.getMessage());
      return 2;
    }
  }
}
