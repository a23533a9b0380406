package com.posloyalty.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples a JVM's heap once a second with {@code jstat -gc} (the JDK's own tool; it
 * reads the JVM's performance counters without stopping it). Heap used is the survivor,
 * eden and old generations' used sizes. "Growth" compares the lowest heap used in the
 * first and the last minute of sampling — the troughs after collections, which track
 * the live set rather than the garbage between collections.
 */
final class HeapProbe implements AutoCloseable {

  /**
   * What the samples show, in MB. {@code serverOnly} is false when the sampled JVM also
   * runs the load generator (a server started in-process).
   */
  record Summary(String source, boolean serverOnly, int samples, double maxUsedMb,
      double maxCommittedMb,
      double firstMinuteTroughMb, double lastMinuteTroughMb, double growthMb) {}

  private record Sample(long atMillis, double usedMb, double committedMb) {}

  private final String source;
  private final boolean serverOnly;
  private final Process jstat;
  private final List<Sample> samples = new ArrayList<>();

  private HeapProbe(String source, boolean serverOnly, Process jstat) {
    this.source = source;
    this.serverOnly = serverOnly;
    this.jstat = jstat;
    Thread reader = new Thread(this::read, "heap-probe");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts sampling {@code pid}; null when the JDK has no jstat. */
  static HeapProbe start(long pid, String source, boolean serverOnly) throws IOException {
    Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
    if (!Files.isExecutable(jstat)) {
      return null;
    }
    Process process = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid), "1000")
        .redirectErrorStream(true).start();
    return new HeapProbe(source, serverOnly, process);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> header = List.of();
      String line;
      while ((line = in.readLine()) != null) {
        List<String> fields = Arrays.asList(line.trim().split("\\s+"));
        if (fields.contains("EU")) {
          header = fields;
        } else if (!header.isEmpty() && fields.size() == header.size()) {
          double used = sum(header, fields, "S0U", "S1U", "EU", "OU");
          double committed = sum(header, fields, "S0C", "S1C", "EC", "OC");
          synchronized (samples) {
            samples.add(new Sample(System.currentTimeMillis(), used / 1024, committed / 1024));
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The probed JVM exited or jstat stopped: keep what was sampled.
    }
  }

  private static double sum(List<String> header, List<String> fields, String... columns) {
    double total = 0;
    for (String column : columns) {
      total += Double.parseDouble(fields.get(header.indexOf(column)));
    }
    return total;
  }

  /** The summary so far; null before the first sample. */
  Summary summary() {
    List<Sample> copy;
    synchronized (samples) {
      copy = List.copyOf(samples);
    }
    if (copy.isEmpty()) {
      return null;
    }
    long first = copy.get(0).atMillis();
    long last = copy.get(copy.size() - 1).atMillis();
    long window = Math.max(1000, Math.min(60_000, (last - first) / 3));
    double firstTrough = copy.stream().filter(s -> s.atMillis() <= first + window)
        .mapToDouble(Sample::usedMb).min().orElse(0);
    double lastTrough = copy.stream().filter(s -> s.atMillis() >= last - window)
        .mapToDouble(Sample::usedMb).min().orElse(0);
    return new Summary(source, serverOnly, copy.size(),
        copy.stream().mapToDouble(Sample::usedMb).max().orElse(0),
        copy.stream().mapToDouble(Sample::committedMb).max().orElse(0),
        firstTrough, lastTrough, lastTrough - firstTrough);
  }

  @Override
  public void close() {
    jstat.destroy();
  }
}
