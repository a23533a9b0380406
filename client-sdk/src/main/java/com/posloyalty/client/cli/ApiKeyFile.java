package com.posloyalty.client.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;

/**
 * A properties file of named API keys ({@code name=key} lines), such as the
 * {@code demo-keys.properties} the server's embedded default writes to its data folder with
 * the keys {@code checkout} (bound to store-1), {@code backoffice} and {@code admin}.
 */
final class ApiKeyFile {
  private ApiKeyFile() {}

  /**
   * The key named {@code name} in {@code file}.
   *
   * @throws IllegalArgumentException when the file cannot be read or has no such key; the
   *     message names the file and the keys it has
   */
  static String read(Path file, String name) {
    Properties keys = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      keys.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the API key file " + file + ": " + e, e);
    }
    String key = keys.getProperty(name, "").strip();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("the API key file " + file + " has no key named '"
          + name + "' (it has: " + String.join(", ", new TreeSet<>(keys.stringPropertyNames()))
          + "); choose one with --key-name");
    }
    return key;
  }
}
