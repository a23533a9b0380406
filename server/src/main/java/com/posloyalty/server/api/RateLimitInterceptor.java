package com.posloyalty.server.api;

import com.posloyalty.server.cache.RateLimiter;
import com.posloyalty.server.config.SecurityConfig;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys.Principal;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.inject.Inject;

/**
 * Per-key token buckets (rate per scope, burst twice the rate), shared across instances
 * through Redis. IdentifyMember also has a bucket of failed lookups per key, so a burst of
 * guessed card numbers, phones or e-mails is throttled long before it finds anyone. A lookup
 * is let through only while the bucket has a failure left for it beyond the key's lookups
 * still running on this instance: concurrent guesses cannot outrun the bucket.
 */
public final class RateLimitInterceptor implements ServerInterceptor {

  static final String IDENTIFY = "posloyalty.v1.CheckoutService/IdentifyMember";

  private final RateLimiter limiter;
  private final SecurityConfig config;

  @Inject
  RateLimitInterceptor(RateLimiter limiter, SecurityConfig config) {
    this.limiter = limiter;
    this.config = config;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Principal principal = AuthInterceptor.PRINCIPAL.get();
    if (principal == null) {
      return next.startCall(call, headers);
    }
    long rate = rate(principal);
    RateLimiter.Decision decision =
        limiter.take("key:" + principal.keyId(), rate * 1000, rate * 2, 1);
    if (!decision.allowed()) {
      return refuse(call, ErrorMapper.exhausted("RATE_LIMITED",
          "rate limit of " + rate + " calls/s for this API key exceeded",
          decision.retryAfterMillis()));
    }
    if (!call.getMethodDescriptor().getFullMethodName().equals(IDENTIFY)) {
      return next.startCall(call, headers);
    }
    String failures = "idfail:" + principal.keyId();
    long perMinute = config.identifyFailuresPerMinute();
    RateLimiter.Decision lookups = limiter.admit(failures, perMinute * 1000 / 60, perMinute);
    if (!lookups.allowed()) {
      return refuse(call, ErrorMapper.exhausted("IDENTIFY_THROTTLED",
          "too many failed member lookups from this API key", lookups.retryAfterMillis()));
    }
    // The lookup holds its place against the failures left until it ends, however it ends.
    AtomicBoolean ended = new AtomicBoolean();
    Runnable end = () -> {
      if (ended.compareAndSet(false, true)) {
        limiter.release(failures);
      }
    };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(new SimpleForwardingServerCall<>(call) {
        @Override
        public void close(Status status, Metadata trailers) {
          // A lookup that found nobody is a guess; a mistyped card (its check digit) or a
          // malformed phone never reached a lookup, and a cashier's typos must not throttle
          // the lane.
          try {
            if (status.getCode() == Status.Code.NOT_FOUND) {
              limiter.take(failures, perMinute * 1000 / 60, perMinute, 1);
            }
          } finally {
            end.run();
            super.close(status, trailers);
          }
        }
      }, headers);
    } catch (RuntimeException e) {
      end.run();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          end.run();
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          end.run();
        }
      }
    };
  }

  private long rate(Principal principal) {
    long rate = 0;
    if (principal.scopes().contains(Scope.CHECKOUT)) {
      rate = Math.max(rate, config.checkoutRate());
    }
    if (principal.scopes().contains(Scope.BACKOFFICE)) {
      rate = Math.max(rate, config.backofficeRate());
    }
    if (principal.scopes().contains(Scope.ADMIN)) {
      rate = Math.max(rate, config.adminRate());
    }
    return rate;
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call,
      StatusRuntimeException e) {
    CallGuard.close(call, e);
    return new ServerCall.Listener<>() {};
  }
}
