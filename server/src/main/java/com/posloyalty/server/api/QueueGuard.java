package com.posloyalty.server.api;

import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.flow.Overloaded;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Load shedding: a call that waited longer than {@code LOYALTY_MAX_QUEUE_WAIT_MS} for a
 * worker is answered UNAVAILABLE ({@code SERVER_OVERLOADED}, with a RetryInfo) at once
 * instead of being run. Without it an overloaded server keeps a queue as long as the
 * callers' deadlines: every call then starts just before its deadline and finishes after
 * it, so the server works at full speed and answers almost nothing in time (measured: 73
 * of 2,000 commits a second). With it the queue stays short, the calls that are run are
 * answered in time, and a shed call has written nothing and still has most of its
 * deadline for the lane's retry under the same key (another instance, or this one a
 * moment later). Calls whose deadline passed in the queue are not run at all (gRPC drops
 * them before the service sees them).
 *
 * <p>The wait is measured from the call's arrival on the transport thread ({@link
 * #arrivals}, a stream tracer that stamps it into the call's context) to the moment a
 * worker starts it, where this interceptor runs.
 */
@Singleton
public final class QueueGuard implements ServerInterceptor {

  /** When the call's headers arrived, by {@link System#nanoTime}. */
  private static final Context.Key<Long> ARRIVED = Context.key("posloyalty-arrived-nanos");

  /** What a shed caller is told to wait before retrying. */
  static final long RETRY_AFTER_MILLIS = 50;

  private final long maxWaitNanos;
  private final Counter shed;

  @Inject
  QueueGuard(ServerConfig config, MeterRegistry registry) {
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(config.maxQueueWaitMs());
    this.shed = Counter.builder("loyalty.grpc.server.calls.shed")
        .description("Calls answered SERVER_OVERLOADED because they waited too long for a worker")
        .register(registry);
  }

  /** Stamps each call's arrival, on the transport thread, before it queues for a worker. */
  public ServerStreamTracer.Factory arrivals() {
    return new ServerStreamTracer.Factory() {
      @Override
      public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        long arrived = System.nanoTime();
        return new ServerStreamTracer() {
          @Override
          public Context filterContext(Context context) {
            return context.withValue(ARRIVED, arrived);
          }
        };
      }
    };
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Long arrived = ARRIVED.get();
    if (arrived == null) {
      return next.startCall(call, headers);
    }
    long waited = System.nanoTime() - arrived;
    if (waited <= maxWaitNanos) {
      return next.startCall(call, headers);
    }
    shed.increment();
    CallGuard.close(call, ErrorMapper.toStatus(
        new Overloaded(TimeUnit.NANOSECONDS.toMillis(waited), "a worker")));
    return new ServerCall.Listener<>() {};
  }
}
