package com.posloyalty.server.api;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import javax.inject.Inject;

/** Records every call's latency per method and status code (Prometheus histograms). */
public final class MetricsInterceptor implements ServerInterceptor {

  private final MeterRegistry registry;
  /** Timers by method and code, built once: registering one per call costs more than the call. */
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  @Inject
  MetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Timer.Sample sample = Timer.start(registry);
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        String code = status.getCode().name();
        sample.stop(timers.computeIfAbsent(method + ' ' + code,
            k -> Timer.builder("loyalty.grpc.server.calls")
                .description("gRPC server call latency")
                .tag("method", method)
                .tag("code", code)
                .publishPercentileHistogram()
                .register(registry)));
        super.close(status, trailers);
      }
    }, headers);
  }
}
