package com.posloyalty.loadtest;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Seeds the benchmark population with COPY, a chunk of members per transaction on a few
 * connections. An audit_log entry (action {@value #MARKER}) records the size once
 * everything is in; a later run asking for the same size reuses the data, and a run
 * interrupted part-way resumes, skipping the chunks already committed.
 */
final class Seeder {

  static final String MARKER = "LOADTEST_SEED";
  static final long MAX_MEMBERS = 1_000_000;
  static final long MAX_LEDGER_ROWS = 10_000_000;
  private static final int CHUNK_MEMBERS = 5_000;

  /** What the database holds for the benchmark. */
  record Dataset(long members, long ledgerRows, boolean reused, double seedSeconds,
      long ledgerRowsInDatabase) {}

  private final PostgresTarget db;
  private final int threads;

  Seeder(PostgresTarget db, int threads) {
    this.db = db;
    this.threads = threads;
  }

  Dataset ensure(long members, long ledgerRows) throws SQLException, InterruptedException {
    if (members < 1 || members > MAX_MEMBERS || ledgerRows < 0 || ledgerRows > MAX_LEDGER_ROWS) {
      throw new IllegalArgumentException("members must be 1.." + MAX_MEMBERS
          + " and ledger rows 0.." + MAX_LEDGER_ROWS);
    }
    String wanted = "members=" + members + " ledger_rows=" + ledgerRows;
    String entryTier;
    int expiryMonths;
    try (Connection c = db.connect()) {
      Optional<String> marker = marker(c);
      if (marker.isPresent()) {
        if (!marker.get().equals(wanted)) {
          throw new IllegalStateException("the database already holds a seeded population ("
              + marker.get() + "); seed " + wanted + " into a fresh database");
        }
        return new Dataset(members, ledgerRows, true, 0, ledgerRowsInDatabase(c));
      }
      entryTier = single(c, "SELECT tier_id FROM tiers ORDER BY rank LIMIT 1");
      expiryMonths = Integer.parseInt(single(c,
          "SELECT points_expiry_months FROM program WHERE program_id = 'default'"));
    }
    long started = System.nanoTime();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> chunks = new ArrayList<>();
      for (long first = 0; first < members; first += CHUNK_MEMBERS) {
        long from = first;
        long to = Math.min(members, first + CHUNK_MEMBERS);
        chunks.add(pool.submit(() -> {
          seedChunk(from, to, members, ledgerRows, entryTier, expiryMonths, now);
          return null;
        }));
      }
      for (Future<Void> chunk : chunks) {
        chunk.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("seeding failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      // Vacuumed, not only analysed: the seeded history stands for rows written long ago,
      // which autovacuum would have visited, setting the visibility map so that a sale's
      // index-only reads (the expiring lots) touch no heap page. On a PostgreSQL that runs
      // without autovacuum the history would otherwise cost a heap page per row read, for ever.
      s.execute("VACUUM (ANALYZE) members, cards, balances, ledger_entries, point_lots");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (member_id, action,"
          + " actor, detail, created_at) VALUES (NULL, ?, 'loadtest', ?, now())")) {
        ps.setString(1, MARKER);
        ps.setString(2, wanted);
        ps.executeUpdate();
      }
      return new Dataset(members, ledgerRows, false, (System.nanoTime() - started) / 1e9,
          ledgerRowsInDatabase(c));
    }
  }

  /** One transaction: members [from, to) with their cards, history, lots and balances. */
  private void seedChunk(long from, long to, long members, long ledgerRows, String entryTier,
      int expiryMonths, Instant now) throws SQLException {
    try (Connection c = db.connect()) {
      if (exists(c, Population.memberId(from))) {
        return;
      }
      SeedChunk chunk = new SeedChunk(entryTier, expiryMonths, now);
      for (long i = from; i < to; i++) {
        chunk.add(i, (int) (ledgerRows / members + (i < ledgerRows % members ? 1 : 0)));
      }
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      try {
        copy.copyIn(SeedChunk.MEMBERS_COPY, new StringReader(chunk.members.toString()));
        copy.copyIn(SeedChunk.CARDS_COPY, new StringReader(chunk.cards.toString()));
        copy.copyIn(SeedChunk.BALANCES_COPY, new StringReader(chunk.balances.toString()));
        copy.copyIn(SeedChunk.LEDGER_COPY, new StringReader(chunk.ledger.toString()));
        copy.copyIn(SeedChunk.LOTS_COPY, new StringReader(chunk.lots.toString()));
        c.commit();
      } catch (java.io.IOException e) {
        c.rollback();
        throw new SQLException("COPY failed: " + e.getMessage(), e);
      }
    }
  }

  private static Optional<String> marker(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT detail FROM audit_log WHERE action = ?"
        + " ORDER BY audit_id DESC LIMIT 1")) {
      ps.setString(1, MARKER);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static boolean exists(Connection c, String memberId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM members WHERE member_id = ?")) {
      ps.setString(1, memberId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * The ledger is append-only, so its highest entry id counts its rows (give or take the
   * ids of rolled-back inserts), read from the primary key at once where count(*) would
   * scan gigabytes.
   */
  private static long ledgerRowsInDatabase(Connection c) throws SQLException {
    return Long.parseLong(single(c, "SELECT COALESCE(MAX(entry_id), 0) FROM ledger_entries"));
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("no result for " + sql + ": is the schema migrated?");
      }
      return rs.getString(1);
    }
  }
}
