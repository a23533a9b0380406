package com.posloyalty.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs after the rest of the suite (its own surefire execution) and searches the whole
 * run's log, and the logs of the server processes the fault-injection suite started, for
 * the raw phones, e-mails and card numbers the tests used. Fails when the
 * log is missing: a scan of nothing proves nothing.
 */
class PiiLogScanTest {

  static final List<Pattern> RAW_PII = List.of(
      Pattern.compile("\\+49\\d{9,12}"),
      Pattern.compile("[A-Za-z0-9._%+-]{2,}@example\\.com", Pattern.CASE_INSENSITIVE),
      Pattern.compile("(?<!\\d)6299\\d{12}(?!\\d)"));

  @Test
  void theTestRunsLogHoldsNoRawPhonesEmailsOrCardNumbers() throws Exception {
    Path log = Path.of(System.getProperty("loyalty.scanned", "target/test-logs/all-tests.log"));
    assertThat(log).as("the log of the test run").exists();
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).as("the test run logged its servers").anyMatch(l -> l.contains("POS Loyalty"));
    assertNoRawPii(log, lines);
    // The fault-injection suite's server processes log to files of their own.
    Path processes = Path.of("target", "reliability", "logs");
    if (Files.isDirectory(processes)) {
      try (Stream<Path> files = Files.list(processes)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
          assertNoRawPii(file, Files.readAllLines(file));
        }
      }
    }
  }

  private static void assertNoRawPii(Path file, List<String> lines) {
    for (String line : lines) {
      for (Pattern pattern : RAW_PII) {
        Matcher m = pattern.matcher(line);
        assertThat(m.find()).as("raw PII in %s: %s", file, line).isFalse();
      }
    }
  }

  @Test
  void theMaskKeepsOnlyWhatIdentifiesNobody() {
    String line = com.posloyalty.server.domain.Pii.scrub(
        "enrol ada.lovelace@example.com +4915112345678 card 6299123456789012 order 42");
    assertThat(line).isEqualTo(
        "enrol a***@example.com +49********678 card ************9012 order 42");
  }
}
