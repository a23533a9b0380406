package com.posloyalty.server.wiring;

import com.posloyalty.server.config.SecurityConfig;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.domain.AppTokens;
import java.util.Optional;
import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
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
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Heap, GC pauses, threads and CPU on /metrics: what an operator watches for leaks and
    // for a server starved of CPU (jvm_memory_used_bytes{area="heap"}, jvm_gc_pause_seconds).
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    return registry;
  }

  @Provides
  static MeterRegistry meterRegistry(PrometheusMeterRegistry prometheus) {
    return prometheus;
  }
}
