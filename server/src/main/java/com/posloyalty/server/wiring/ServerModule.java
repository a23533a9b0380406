package com.posloyalty.server.wiring;

import com.posloyalty.server.config.ServerConfig;
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
  @Singleton
  static PrometheusMeterRegistry prometheus() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @Provides
  static MeterRegistry meterRegistry(PrometheusMeterRegistry prometheus) {
    return prometheus;
  }
}
