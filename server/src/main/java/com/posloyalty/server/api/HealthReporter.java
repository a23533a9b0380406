package com.posloyalty.server.api;

import com.posloyalty.server.cache.RedisLink;
import com.posloyalty.server.store.Database;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the standard gRPC health service current. The server ("") and each loyalty
 * service are SERVING while PostgreSQL answers; {@value #REDIS} reports Redis (the
 * service keeps serving without it, from PostgreSQL).
 */
@Singleton
public final class HealthReporter {

  public static final String REDIS = "posloyalty.dependency.Redis";
  static final List<String> SERVICES = List.of("", "posloyalty.v1.CheckoutService",
      "posloyalty.v1.MemberAdminService", "posloyalty.v1.ProgramAdminService",
      "posloyalty.v1.EventService");
  private static final Logger log = LoggerFactory.getLogger(HealthReporter.class);

  private final HealthStatusManager health = new HealthStatusManager();
  private final Database database;
  private final RedisLink redis;
  private volatile Boolean databaseUp;

  @Inject
  HealthReporter(Database database, RedisLink redis) {
    this.database = database;
    this.redis = redis;
    SERVICES.forEach(s -> health.setStatus(s, ServingStatus.NOT_SERVING));
    health.setStatus(REDIS, ServingStatus.NOT_SERVING);
  }

  public HealthStatusManager manager() {
    return health;
  }

  /**
   * Probes PostgreSQL and Redis once and publishes the result. The database probe also
   * closes (or keeps open) the database's circuit breaker.
   */
  public void probe() {
    boolean up = database.probe();
    if (databaseUp == null || databaseUp != up) {
      log.info("PostgreSQL is {}", up ? "reachable: SERVING" : "unreachable: NOT_SERVING");
      databaseUp = up;
    }
    ServingStatus status = up ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    SERVICES.forEach(s -> health.setStatus(s, status));
    health.setStatus(REDIS, redisUp() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  private boolean redisUp() {
    return redis.connection().map(c -> {
      try {
        return c.isOpen() && "PONG".equals(c.sync().ping());
      } catch (RuntimeException e) {
        return false;
      }
    }).orElse(false);
  }

  /** Reports NOT_SERVING everywhere (at shutdown, before draining). */
  public void enterTerminalState() {
    health.enterTerminalState();
  }
}
