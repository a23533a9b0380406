package com.posloyalty.server.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.store.ApiKeyStore;
import com.posloyalty.server.store.AuditLog;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.IdempotencyStore;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServices;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** A flood of made-up API keys costs a bounded number of reads of a real PostgreSQL. */
class ApiKeysFloodTest {

  /** The real database, with every connection taken from it counted. */
  private static final class Counting implements DataSource {
    final PGSimpleDataSource real = new PGSimpleDataSource();
    final AtomicInteger connections = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
      connections.incrementAndGet();
      return real.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      connections.incrementAndGet();
      return real.getConnection(user, password);
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }

  @Test
  void madeUpKeysCostAtMostTheBudgetOfReadsASecondAndRealKeysStillWork() {
    String url = TestServices.migratedDatabase("api_key_flood");
    Counting data = new Counting();
    data.real.setUrl(url);
    data.real.setUser("postgres");
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00.100Z"));
    ApiKeys keys = new ApiKeys(new Database(data), new ApiKeyStore(), new AuditLog(),
        new IdempotencyStore(), clock, 60);
    String real = keys.create(EnumSet.of(Scope.CHECKOUT), Optional.of("s1"), "lane", "test")
        .secret();

    int before = data.connections.get();
    for (int i = 0; i < 500; i++) {
      // Well-formed, with key ids no one issued.
      String forged = "plk_" + String.format("x%011d", i) + real.substring(16);
      assertThatThrownBy(() -> keys.authenticate(forged)).isInstanceOf(Refusal.class);
    }
    assertThat(data.connections.get() - before).isEqualTo(ApiKeys.UNSEEN_READS_PER_SECOND);

    // The next second has a new budget: the real key is read and accepted.
    clock.advance(Duration.ofSeconds(1));
    assertThat(keys.authenticate(real).storeId()).contains("s1");
  }
}
