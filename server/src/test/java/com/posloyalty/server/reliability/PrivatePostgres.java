package com.posloyalty.server.reliability;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * A PostgreSQL of the test's own (the machine's shared one serves every other test class,
 * must never be stopped, and may be busy with other work that would distort latencies):
 * stopped with a fast shutdown, which ends every session as an operator's restart does,
 * and started again on the same port and data directory.
 */
final class PrivatePostgres implements AutoCloseable {

  private final int port;
  private final Path dataDirectory;
  private EmbeddedPostgres postgres;

  private PrivatePostgres(int port, Path dataDirectory) {
    this.port = port;
    this.dataDirectory = dataDirectory;
  }

  static PrivatePostgres start(int port) {
    try {
      Path dir = Files.createTempDirectory("loyalty-reliability-pg");
      PrivatePostgres pg = new PrivatePostgres(port, dir);
      pg.restart();
      return pg;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JDBC URL of its {@code postgres} database (user postgres, no password). */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  synchronized void restart() {
    try {
      postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL on " + port, e);
    }
  }

  synchronized void stop() {
    try {
      postgres.close();
      postgres = null;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void close() {
    if (postgres != null) {
      stop();
    }
    try (var files = Files.walk(dataDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
