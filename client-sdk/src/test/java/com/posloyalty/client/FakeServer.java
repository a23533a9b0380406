package com.posloyalty.client;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An in-process server running {@link FakeCheckoutService}, and the channels to it, all closed
 * by {@link #close()}. Channels carry the SDK's retry service config, as the SDK's own do.
 */
final class FakeServer implements AutoCloseable {
  final FakeCheckoutService service = new FakeCheckoutService();

  private final String name = InProcessServerBuilder.generateName();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Server server;

  /** Starts the server (tests that begin with the service unreachable call it later). */
  FakeServer start() throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(service.intercepted()).build().start();
    return this;
  }

  /**
   * A client builder for a lane of store-1 talking to this server. The deadlines are generous
   * so a loaded test machine cannot turn an answer into a pending result; the tests make the
   * service unreachable explicitly.
   */
  LoyaltyClientBuilder client() {
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor()
        .defaultServiceConfig(RetryServiceConfig.load()).enableRetry().build();
    channels.add(channel);
    return LoyaltyClient.builder().channel(channel).storeId("store-1").terminalId("lane-1")
        .checkoutDeadline(Duration.ofSeconds(30)).backOfficeDeadline(Duration.ofSeconds(30));
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
