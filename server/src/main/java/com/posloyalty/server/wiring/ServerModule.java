package com.posloyalty.server.wiring;

import com.posloyalty.server.config.SecurityConfig;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.domain.AppTokens;
import java.util.Optional;
import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import javax.inject.Named;
import javax.inject.Singleton;

/** Settings the flows read, and the metrics registry. */
@Module
public final class ServerModule {

  private ServerModule() {}

  @Provides
  @Named("phoneCountryCode")
  static String phoneCountryCode(ServerConfig config) {
    return config.phoneCountryCode();
  }

  @Provides
  static SecurityConfig security(ServerConfig config) {
    return config.security();
  }

  @Provides
  @Named("apiKeyCacheSeconds")
  static int apiKeyCacheSeconds(ServerConfig config) {
    return config.security().apiKeyCacheSeconds();
  }

  @Provides
  @Named("appTokenTtlSeconds")
  static int appTokenTtlSeconds(ServerConfig config) {
    return config.security().appTokenTtlSeconds();
  }

  /** Absent when no LOYALTY_APP_TOKEN_KEYS are configured: app QR tokens are then refused. */
  @Provides
  @Singleton
  static Optional<AppTokens> appTokens(ServerConfig config) {
    return config.security().appTokenKeys().map(AppTokens::parse);
  }

  @Provides
  @Singleton
  static PrometheusMeterRegistry prometheus() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @Provides
  static MeterRegistry meterRegistry(PrometheusMeterRegistry prometheus) {
    return prometheus;
  }
}
