package com.posloyalty.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/** Describes the machine the benchmark ran on, from /proc where Linux offers it. */
final class MachineInfo {

  private MachineInfo() {}

  /** The 1, 5 and 15 minute load averages: other work on the machine skews the figures. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static BenchmarkReport.Machine describe(PostgresTarget db, String loadAtStart) {
    return new BenchmarkReport.Machine(Runtime.getRuntime().availableProcessors(),
        procField("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")),
        procField("/proc/meminfo", "MemTotal")
            .map(v -> Long.parseLong(v.replaceAll("\\D", "")) / 1024).orElse(0L),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        postgresVersion(db), loadAtStart, loadAverage());
  }

  private static Optional<String> procField(String file, String name) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return lines.stream().filter(l -> l.startsWith(name))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String postgresVersion(PostgresTarget db) {
    if (db == null) {
      return "unknown";
    }
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1);
    } catch (SQLException e) {
      return "unknown (" + e.getSQLState() + ")";
    }
  }
}
