package com.posloyalty.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Raw {@code LOYALTY_*} settings: environment variables, over an optional properties file
 * named by {@code LOYALTY_CONFIG_FILE} that may set the same keys. Typed accessors refuse
 * malformed values with a message naming the setting.
 */
public final class Settings {

  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Reads the environment and, if {@code LOYALTY_CONFIG_FILE} is set, that file. */
  public static Settings load(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    String file = env.get("LOYALTY_CONFIG_FILE");
    if (file != null && !file.isBlank()) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(Path.of(file))) {
        props.load(reader);
      } catch (IOException e) {
        throw new ConfigException("LOYALTY_CONFIG_FILE: cannot read " + file + ": " + e.getMessage());
      }
      props.forEach((k, v) -> merged.put(k.toString().strip(), v.toString().strip()));
    }
    env.forEach((k, v) -> {
      if (k.startsWith("LOYALTY_")) {
        merged.put(k, v);
      }
    });
    return new Settings(merged);
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  public Optional<String> string(String key) {
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  public String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Optional<String> raw = string(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int v = Integer.parseInt(raw.get());
      if (v < min || v > max) {
        throw new ConfigException(key + ": must be between " + min + " and " + max + ", got " + v);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigException(key + ": must be a whole number, got '" + raw.get() + "'");
    }
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<String> raw = string(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return switch (raw.get().toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new ConfigException(key + ": must be true or false, got '" + raw.get() + "'");
    };
  }
}
