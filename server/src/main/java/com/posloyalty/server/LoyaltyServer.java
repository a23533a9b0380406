package com.posloyalty.server;

import com.posloyalty.server.api.AuthInterceptor;
import com.posloyalty.server.api.CallWorkers;
import com.posloyalty.server.api.CheckoutGrpcService;
import com.posloyalty.server.api.RateLimitInterceptor;
import com.posloyalty.server.api.ValidationInterceptor;
import com.posloyalty.server.config.SecurityConfig;
import io.grpc.BindableService;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import com.posloyalty.server.api.EventGrpcService;
import com.posloyalty.server.api.QueueGuard;
import com.posloyalty.server.api.HealthReporter;
import com.posloyalty.server.api.MalformedRequests;
import com.posloyalty.server.api.MemberAdminGrpcService;
import com.posloyalty.server.api.MetricsInterceptor;
import com.posloyalty.server.api.ProgramAdminGrpcService;
import com.posloyalty.server.config.ServerConfig;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * Owns the {@link io.grpc.Server}: the four loyalty services, health and reflection on
 * Netty. Calls run on a bounded worker pool sized for blocking JDBC work ({@link
 * CallWorkers}), never on gRPC's event loop; an IdentifyMember cache hit is finished on
 * Lettuce's thread with Redis's reply.
 */
@Singleton
public final class LoyaltyServer {

  private final ServerConfig config;
  private final CheckoutGrpcService checkout;
  private final MemberAdminGrpcService memberAdmin;
  private final ProgramAdminGrpcService programAdmin;
  private final EventGrpcService events;
  private final MetricsInterceptor metrics;
  private final AuthInterceptor auth;
  private final RateLimitInterceptor rateLimits;
  private final ValidationInterceptor validation;
  private final QueueGuard queue;
  private final HealthReporter health;
  private final CallWorkers workers;
  private Server server;

  @Inject
  LoyaltyServer(ServerConfig config, CheckoutGrpcService checkout,
      MemberAdminGrpcService memberAdmin, ProgramAdminGrpcService programAdmin,
      EventGrpcService events, MetricsInterceptor metrics, AuthInterceptor auth,
      RateLimitInterceptor rateLimits, ValidationInterceptor validation,
      QueueGuard queue, HealthReporter health, CallWorkers workers) {
    this.config = config;
    this.checkout = checkout;
    this.memberAdmin = memberAdmin;
    this.programAdmin = programAdmin;
    this.events = events;
    this.metrics = metrics;
    this.auth = auth;
    this.rateLimits = rateLimits;
    this.validation = validation;
    this.queue = queue;
    this.health = health;
    this.workers = workers;
  }

  public synchronized void start() throws IOException {
    InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.grpcPort());
    SecurityConfig security = config.security();
    NettyServerBuilder builder = security.plaintext()
        ? NettyServerBuilder.forAddress(address)
        : NettyServerBuilder.forAddress(address, tls(security));
    server = builder
        .executor(workers)
        .addStreamTracerFactory(queue.arrivals())
        .maxInboundMessageSize(security.maxMessageBytes())
        .addService(guarded(checkout))
        .addService(guarded(memberAdmin))
        .addService(guarded(programAdmin))
        .addService(guarded(events))
        .addService(health.manager().getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build()
        .start();
    health.probe();
  }

  /**
   * Interceptors run outside-in: metrics, load shedding (before any work is spent on a
   * call that waited too long), authentication, rate limits, validation.
   */
  private ServerServiceDefinition guarded(BindableService service) {
    return ServerInterceptors.intercept(MalformedRequests.tolerant(service.bindService()),
        validation, rateLimits, auth, queue, metrics);
  }

  private static ServerCredentials tls(SecurityConfig security) throws IOException {
    TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
        .keyManager(security.certChain().orElseThrow().toFile(),
            security.privateKey().orElseThrow().toFile());
    if (security.clientCa().isPresent()) {
      tls.trustManager(security.clientCa().get().toFile())
          .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return tls.build();
  }

  public int port() {
    return server.getPort();
  }

  /** Stops accepting, lets in-flight calls finish within the grace period, then cancels. */
  public synchronized void stop() throws InterruptedException {
    if (server == null) {
      return;
    }
    health.enterTerminalState();
    server.shutdown();
    if (!server.awaitTermination(config.shutdownGraceSeconds(), TimeUnit.SECONDS)) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    workers.shutdown();
    server = null;
  }

  public void blockUntilShutdown() throws InterruptedException {
    Server s;
    synchronized (this) {
      s = server;
    }
    if (s != null) {
      s.awaitTermination();
    }
  }
}
