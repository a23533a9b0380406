package com.posloyalty.server.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one run of one scenario (operations, faults injected, anything lost),
 * written to {@code target/reliability/figures/<scenario>-<form>.txt} for
 * docs/reliability.md and printed to the test's output.
 */
final class Figures {

  private final String scenario;
  private final String form;
  private final Map<String, Object> values = new LinkedHashMap<>();

  Figures(String scenario, String form) {
    this.scenario = scenario;
    this.form = form;
  }

  Figures put(String name, Object value) {
    values.put(name, value);
    return this;
  }

  void write() {
    StringBuilder text = new StringBuilder("# " + scenario + " (" + form + "), " + Instant.now()
        + ", " + Runtime.getRuntime().availableProcessors() + " cores\n");
    values.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    System.out.print(text);
    try {
      Path dir = Path.of("target", "reliability", "figures");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(scenario + "-" + form + ".txt"), text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
