package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A checkout lane in a JVM of its own, so a test can kill it the way a terminal crashes (no
 * clean close, journal lock released by the operating system) and start the next run of the
 * terminal on the same journal directory.
 *
 * <p>The child ({@link #main}) opens a client with a journal, prints
 * {@code reopened <pending>}, boots for a second, commits sales {@code from..to} to one member
 * (sale {@code n} earns {@code n} points) with the SDK's default checkout deadline, prints
 * {@code committed <pending> <pending results> <slowest ms> <total ms>} and then keeps
 * running, its sender forwarding the journal, until killed.
 */
final class LaneProcess implements AutoCloseable {
  /** The SDK's default checkout deadline, which every commit must keep. */
  static final Duration CHECKOUT_DEADLINE = Duration.ofMillis(800);
  /** How long the lane runs before its first sale. */
  private static final Duration BOOT = Duration.ofSeconds(1);

  private final Process process;
  private final Path output;
  private final Path errors;

  private LaneProcess(Process process, Path output, Path errors) {
    this.process = process;
    this.output = output;
    this.errors = errors;
  }

  /** Starts a lane committing sales {@code from..to}; its output goes to files in {@code logs}. */
  static LaneProcess start(String target, String apiKey, Path journal, String memberId, int from,
      int to, Path logs) throws IOException {
    String name = "lane-" + from + "-" + to;
    Path output = logs.resolve(name + ".out");
    Path errors = logs.resolve(name + ".err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LaneProcess.class.getName(), target, apiKey, journal.toString(), memberId,
        Integer.toString(from), Integer.toString(to))
        .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
    return new LaneProcess(process, output, errors);
  }

  /** Waits for the line the child prints starting with {@code word}; returns its numbers. */
  long[] await(String word) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Optional<String> line = Files.readAllLines(output).stream()
          .filter(l -> l.startsWith(word + " ")).findFirst();
      if (line.isPresent()) {
        String[] fields = line.get().substring(word.length() + 1).split(" ");
        long[] numbers = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
          numbers[i] = Long.parseLong(fields[i]);
        }
        return numbers;
      }
      assertThat(process.isAlive()).as("lane process alive; its log:%n%s", log()).isTrue();
      assertThat(System.nanoTime()).as("'%s' within 60 s; log:%n%s", word, log())
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Kills the child at once, as a power cut would: nothing is flushed or closed. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("lane process ended").isTrue();
  }

  private String log() throws IOException {
    return String.join("\n", Files.readAllLines(errors));
  }

  /**
   * The child: {@code target apiKey journalDirectory memberId from to}.
   *
   * @param args the command line
   * @throws InterruptedException never in practice: it waits to be killed
   */
  public static void main(String[] args) throws InterruptedException {
    String memberId = args[3];
    int from = Integer.parseInt(args[4]);
    int to = Integer.parseInt(args[5]);
    LoyaltyClient lane = LaneFixtures.lane(args[0], args[1]).checkoutDeadline(CHECKOUT_DEADLINE)
        .journalDirectory(Path.of(args[2]))
        .forwardBackoff(Duration.ofMillis(50), Duration.ofMillis(200)).build();
    System.out.println("reopened " + lane.pendingForwardCount());
    System.out.flush();
    // A terminal boots before its first customer: without this pause the JVM's own start-up
    // work (compiling, class loading on two busy cores) would be billed to the first sale.
    Thread.sleep(BOOT.toMillis());
    long slowest = 0;
    int pending = 0;
    long start = System.nanoTime();
    for (int n = from; n <= to; n++) {
      long began = System.nanoTime();
      CommitResult result = lane.checkout().commitTransaction(
          LaneFixtures.sale(saleId(n), memberId, n));
      slowest = Math.max(slowest, System.nanoTime() - began);
      pending += result.isPending() ? 1 : 0;
    }
    long total = System.nanoTime() - start;
    System.out.println(String.join(" ", List.of("committed",
        Integer.toString(lane.pendingForwardCount()), Integer.toString(pending),
        Long.toString(TimeUnit.NANOSECONDS.toMillis(slowest)),
        Long.toString(TimeUnit.NANOSECONDS.toMillis(total)))));
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** The POS transaction id of sale {@code n}, ordered as the lane made them. */
  static String saleId(int n) {
    return String.format("sale-%03d", n);
  }
}
