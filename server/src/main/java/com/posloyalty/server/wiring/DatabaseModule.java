package com.posloyalty.server.wiring;

import com.posloyalty.server.config.ServerConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.MeterRegistry;
import javax.inject.Singleton;
import javax.sql.DataSource;

/** The PostgreSQL pool: small, with short timeouts so an outage answers fast. */
@Module
public final class DatabaseModule {

  private DatabaseModule() {}

  @Provides
  @Singleton
  static HikariDataSource hikari(ServerConfig config, MeterRegistry registry) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("loyalty-db");
    hc.setJdbcUrl(config.dbUrl().orElseThrow());
    hc.setUsername(config.dbUser());
    hc.setPassword(config.dbPassword());
    // LOYALTY_DB_POOL_SIZE connections for the gRPC workers, two more for the jobs.
    hc.setMaximumPoolSize(config.dbPoolSize() + 2);
    // A fixed-size pool (HikariCP's advice): no connection is opened on a call's path.
    hc.setMinimumIdle(config.dbPoolSize() + 2);
    hc.setConnectionTimeout(config.dbTimeoutMs());
    hc.setValidationTimeout(Math.max(250, config.dbTimeoutMs() / 2));
    // Start even while PostgreSQL is down: health says NOT_SERVING until it is back.
    hc.setInitializationFailTimeout(-1);
    // Driver properties as strings: with a JDBC URL HikariCP hands them to the driver as
    // java.util.Properties, whose getProperty ignores any value that is not a String, so a
    // Boolean or an Integer here would silently be the driver's default.
    hc.addDataSourceProperty("connectTimeout",
        Integer.toString(Math.max(1, config.dbTimeoutMs() / 1000)));
    hc.addDataSourceProperty("tcpKeepAlive", "true");
    // A batch of inserts (a reservation's lots) goes as one multi-row statement.
    hc.addDataSourceProperty("reWriteBatchedInserts", "true");
    // No socketTimeout: the ledger check and the expiry job scan whole tables and must not
    // be cut off; a database that stops answering is caught by the health probe's 2 s
    // query timeout and the circuit breaker, which fail the lane's calls at once.
    hc.setMetricRegistry(registry);
    return new HikariDataSource(hc);
  }

  @Provides
  static DataSource dataSource(HikariDataSource hikari) {
    return hikari;
  }
}
