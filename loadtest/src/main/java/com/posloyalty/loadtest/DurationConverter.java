package com.posloyalty.loadtest;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** "500ms", "20s", "5m" (or ISO-8601 such as "PT20S") to a {@link Duration}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Matcher m = SHORT.matcher(value.trim());
    if (!m.matches()) {
      return Duration.parse(value);
    }
    double amount = Double.parseDouble(m.group(1));
    long millis = switch (m.group(2)) {
      case "ms" -> Math.round(amount);
      case "s" -> Math.round(amount * 1_000);
      case "m" -> Math.round(amount * 60_000);
      default -> Math.round(amount * 3_600_000);
    };
    return Duration.ofMillis(millis);
  }
}
