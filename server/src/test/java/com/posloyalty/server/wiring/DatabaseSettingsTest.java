package com.posloyalty.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServer;
import java.sql.Connection;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;

/**
 * The pool's driver settings reach the driver, checked on the one the driver reports back
 * (batched-insert rewriting; the connect timeout and keep-alive take the same path). HikariCP
 * passes them as
 * {@link java.util.Properties}, which the driver reads with {@code getProperty}: a value that is
 * not a String would be dropped silently and the driver's default used instead.
 */
class DatabaseSettingsTest {

  @Test
  void batchedInsertsAreRewrittenIntoMultiRowStatements() throws Exception {
    try (TestServer server = TestServer.start("dbsettings", Clock.systemUTC(), Map.of());
        Connection c = server.app().component().dataSource().getConnection()) {
      BaseConnection pg = c.unwrap(BaseConnection.class);
      assertThat(pg.getQueryExecutor().isReWriteBatchedInsertsEnabled()).isTrue();
    }
  }
}
