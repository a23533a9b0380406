package com.posloyalty.server.wiring;

import com.posloyalty.server.LoyaltyServer;
import com.posloyalty.server.api.HealthReporter;
import com.posloyalty.server.cache.RedisLink;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.flow.ApiKeys;
import com.posloyalty.server.flow.CommitTransactionFlow;
import com.posloyalty.server.flow.EnrollMemberFlow;
import com.posloyalty.server.flow.IdentifyMemberFlow;
import com.posloyalty.server.flow.MaintenanceJobs;
import com.posloyalty.server.flow.RedemptionFlow;
import com.zaxxer.hikari.HikariDataSource;
import dagger.BindsInstance;
import dagger.Component;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import javax.inject.Singleton;

/** The server's object graph: one per process (tests build one per server they start). */
@Singleton
@Component(modules = {ServerModule.class, DatabaseModule.class, CacheModule.class})
public interface ServerComponent {

  LoyaltyServer server();

  MaintenanceJobs jobs();

  RedemptionFlow redemptions();

  HikariDataSource dataSource();

  RedisLink redis();

  HealthReporter health();

  EnrollMemberFlow enroll();

  IdentifyMemberFlow identify();

  CommitTransactionFlow commit();

  ApiKeys apiKeys();

  PrometheusMeterRegistry metrics();

  /** Builds the graph from validated settings and the clock everything reads time from. */
  @Component.Factory
  interface Factory {
    ServerComponent create(@BindsInstance ServerConfig config, @BindsInstance Clock clock);
  }
}
