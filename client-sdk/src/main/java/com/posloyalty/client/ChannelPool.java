package com.posloyalty.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few channels to the same target used in turn, so a busy back-office client spreads its
 * calls over several HTTP/2 connections. A lane needs one channel, the default.
 */
final class ChannelPool extends Channel {
  /** ExportMemberData answers in one message of up to 32 MiB. */
  private static final int MAX_INBOUND_BYTES = 32 * 1024 * 1024;

  private final List<ManagedChannel> channels;
  private final boolean owned;
  private final AtomicInteger next = new AtomicInteger();

  /** Pools {@code channels}; when {@code owned}, {@link #shutdown} closes them. */
  ChannelPool(List<ManagedChannel> channels, boolean owned) {
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("a channel pool needs at least one channel");
    }
    this.channels = List.copyOf(channels);
    this.owned = owned;
  }

  /** The pool a builder asks for: its own channel, or new channels to its target. */
  static ChannelPool connect(LoyaltyClientBuilder config) throws IOException {
    if (config.channel != null) {
      return new ChannelPool(List.of(config.channel), false);
    }
    ChannelCredentials credentials = credentials(config);
    Map<String, ?> serviceConfig = RetryServiceConfig.load();
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < config.channelPoolSize; i++) {
      ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(config.target, credentials)
          .defaultServiceConfig(serviceConfig)
          .enableRetry()
          .maxInboundMessageSize(MAX_INBOUND_BYTES)
          .userAgent("posloyalty-client-sdk");
      if (config.executor != null) {
        builder.executor(config.executor);
      }
      ManagedChannel channel = builder.build();
      // Resolve and connect now, not on the first sale: a cold name lookup, TCP and TLS
      // handshake can take most of an 800 ms checkout deadline.
      channel.getState(true);
      channels.add(channel);
    }
    return new ChannelPool(channels, true);
  }

  private static ChannelCredentials credentials(LoyaltyClientBuilder config) throws IOException {
    if (config.plaintext) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    if (config.trustCertificates != null) {
      tls.trustManager(config.trustCertificates.toFile());
    }
    if (config.clientCertificateChain != null) {
      tls.keyManager(config.clientCertificateChain.toFile(), config.clientPrivateKey.toFile());
    }
    return tls.build();
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    int index = Math.floorMod(next.getAndIncrement(), channels.size());
    return channels.get(index).newCall(method, options);
  }

  @Override
  public String authority() {
    return channels.get(0).authority();
  }

  /**
   * Asks every channel that is waiting out its reconnect backoff to try again now. gRPC's own
   * backoff grows to two minutes, far too long for a lane: the SDK calls this after a call fails
   * with {@code UNAVAILABLE} and before each journal replay, so the service is noticed as soon
   * as it is back.
   */
  void resetConnectBackoff() {
    channels.forEach(ManagedChannel::resetConnectBackoff);
  }

  /** Shuts the channels down, if this pool owns them, and waits up to {@code grace}. */
  void shutdown(Duration grace) throws InterruptedException {
    if (!owned) {
      return;
    }
    channels.forEach(ManagedChannel::shutdown);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ManagedChannel channel : channels) {
      long left = deadline - System.nanoTime();
      if (!channel.awaitTermination(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
        channel.shutdownNow();
      }
    }
  }
}
