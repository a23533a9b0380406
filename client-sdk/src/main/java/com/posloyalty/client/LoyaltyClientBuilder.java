package com.posloyalty.client;

import com.posloyalty.v1.Channel;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Configures a {@link LoyaltyClient}. Obtain one with {@link LoyaltyClient#builder()}; only the
 * target (or a channel) is required. A lane typically sets the target, TLS trust, API key,
 * store, terminal and a journal directory:
 *
 * <pre>{@code
 * LoyaltyClient loyalty = LoyaltyClient.builder()
 *     .target("loyalty.example.com:443")
 *     .trustCertificates(Path.of("/etc/pos/loyalty-ca.pem"))
 *     .apiKey(System.getenv("LOYALTY_API_KEY"))
 *     .storeId("store-042").terminalId("lane-07")
 *     .journalDirectory(Path.of("/var/lib/pos/loyalty-journal"))
 *     .build();
 * }</pre>
 */
public final class LoyaltyClientBuilder {
  String target;
  boolean plaintext;
  Path trustCertificates;
  Path clientCertificateChain;
  Path clientPrivateKey;
  ManagedChannel channel;
  int channelPoolSize = 1;
  String apiKey;
  String storeId = "";
  String terminalId = "";
  Channel salesChannel = Channel.CHANNEL_STAFFED_LANE;
  Duration checkoutDeadline = Duration.ofMillis(800);
  Duration backOfficeDeadline = Duration.ofSeconds(5);
  Path journalDirectory;
  int journalMaxRecords = 10_000;
  long journalMaxBytes = 64L * 1024 * 1024;
  Duration forwardInitialBackoff = Duration.ofSeconds(1);
  Duration forwardMaxBackoff = Duration.ofMinutes(1);
  boolean forwardCommitsWithRedemptions;
  Executor executor;
  Clock clock = Clock.systemUTC();

  LoyaltyClientBuilder() {}

  /**
   * The service's address, as {@code host:port} or any gRPC target URI
   * ({@code dns:///loyalty.example.com:443}).
   *
   * @param target the address
   * @return this builder
   */
  public LoyaltyClientBuilder target(String target) {
    this.target = Objects.requireNonNull(target, "target");
    return this;
  }

  /**
   * Talks to the service without TLS. For local development only: the service accepts
   * plaintext only when explicitly configured so. The default is TLS.
   *
   * @return this builder
   */
  public LoyaltyClientBuilder usePlaintext() {
    this.plaintext = true;
    return this;
  }

  /**
   * Trusts the CA certificates in this PEM file for the service's TLS certificate, instead of
   * the JVM's default trust store.
   *
   * @param pemFile the CA certificates
   * @return this builder
   */
  public LoyaltyClientBuilder trustCertificates(Path pemFile) {
    this.trustCertificates = Objects.requireNonNull(pemFile, "pemFile");
    return this;
  }

  /**
   * Presents this client certificate, for services that require mutual TLS.
   *
   * @param certificateChain the PEM certificate chain
   * @param privateKey the PEM (PKCS#8) private key
   * @return this builder
   */
  public LoyaltyClientBuilder clientCertificate(Path certificateChain, Path privateKey) {
    this.clientCertificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
    this.clientPrivateKey = Objects.requireNonNull(privateKey, "privateKey");
    return this;
  }

  /**
   * Uses this channel instead of building one from the target; TLS, pooling and executor
   * settings are then ignored. The caller keeps ownership and shuts it down after closing the
   * client. Give it {@link RetryServiceConfig#load()} and {@code enableRetry()} to keep the
   * SDK's retries.
   *
   * @param channel the channel
   * @return this builder
   */
  public LoyaltyClientBuilder channel(ManagedChannel channel) {
    this.channel = Objects.requireNonNull(channel, "channel");
    return this;
  }

  /**
   * Opens this many channels (HTTP/2 connections) and spreads calls over them. One, the
   * default, suits a lane; a busy back-office system may use a few.
   *
   * @param size the number of channels, at least 1
   * @return this builder
   */
  public LoyaltyClientBuilder channelPoolSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("channel pool size must be at least 1: " + size);
    }
    this.channelPoolSize = size;
    return this;
  }

  /**
   * The API key issued for this terminal or back-office system, sent as
   * {@code authorization: Bearer <key>} on every call.
   *
   * @param apiKey the key
   * @return this builder
   */
  public LoyaltyClientBuilder apiKey(String apiKey) {
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    return this;
  }

  /**
   * The store id put into every checkout request whose point of sale leaves it empty.
   *
   * @param storeId the retailer's store id
   * @return this builder
   */
  public LoyaltyClientBuilder storeId(String storeId) {
    this.storeId = Objects.requireNonNull(storeId, "storeId");
    return this;
  }

  /**
   * The terminal id put into every checkout request whose point of sale leaves it empty.
   *
   * @param terminalId the lane, kiosk or workstation id within the store
   * @return this builder
   */
  public LoyaltyClientBuilder terminalId(String terminalId) {
    this.terminalId = Objects.requireNonNull(terminalId, "terminalId");
    return this;
  }

  /**
   * The kind of touch point put into every checkout request whose point of sale leaves it
   * unset. Default {@code CHANNEL_STAFFED_LANE}.
   *
   * @param salesChannel the channel, for example {@code CHANNEL_SELF_CHECKOUT}
   * @return this builder
   */
  public LoyaltyClientBuilder salesChannel(Channel salesChannel) {
    this.salesChannel = Objects.requireNonNull(salesChannel, "salesChannel");
    return this;
  }

  /**
   * The deadline of each CheckoutService call, retries included. Default 800 ms: a customer is
   * waiting, and a commit that cannot finish in time is journaled instead.
   *
   * @param deadline the deadline, positive
   * @return this builder
   */
  public LoyaltyClientBuilder checkoutDeadline(Duration deadline) {
    this.checkoutDeadline = positive(deadline, "checkout deadline");
    return this;
  }

  /**
   * The deadline of each MemberAdminService call and of each journal replay, retries
   * included. Default 5 s. {@link MemberAdminClient#withDeadline} overrides it for slow calls
   * such as a full VerifyLedger.
   *
   * @param deadline the deadline, positive
   * @return this builder
   */
  public LoyaltyClientBuilder backOfficeDeadline(Duration deadline) {
    this.backOfficeDeadline = positive(deadline, "back-office deadline");
    return this;
  }

  /**
   * Turns on store-and-forward with its journal and dead letters in this directory, which must
   * survive restarts of the terminal and belong to this client alone. Without it, commits,
   * returns and voids fail with {@link ServiceUnavailableException} when the service is down.
   *
   * @param directory the journal directory, created if needed
   * @return this builder
   */
  public LoyaltyClientBuilder journalDirectory(Path directory) {
    this.journalDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * Bounds the journal; when it is full and the service is unreachable, calls fail with
   * {@link JournalFullException}. Defaults: 10,000 requests, 64 MiB.
   *
   * @param maxRecords most requests waiting at once, at least 1
   * @param maxBytes largest journal file in bytes, at least 64 KiB
   * @return this builder
   */
  public LoyaltyClientBuilder journalLimits(int maxRecords, long maxBytes) {
    if (maxRecords < 1 || maxBytes < 64 * 1024) {
      throw new IllegalArgumentException("journal limits too small: " + maxRecords + " records, "
          + maxBytes + " bytes");
    }
    this.journalMaxRecords = maxRecords;
    this.journalMaxBytes = maxBytes;
    return this;
  }

  /**
   * How the background sender backs off while the service stays unreachable: it waits
   * {@code initial}, then doubles the wait up to {@code max}. Defaults: 1 s, 1 min.
   *
   * @param initial the first wait, positive
   * @param max the longest wait, at least {@code initial}
   * @return this builder
   */
  public LoyaltyClientBuilder forwardBackoff(Duration initial, Duration max) {
    positive(initial, "initial backoff");
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
    }
    this.forwardInitialBackoff = initial;
    this.forwardMaxBackoff = max;
    return this;
  }

  /**
   * Whether a commit that captures redemption reservations may be journaled when the service
   * is unreachable. Default false: it fails with {@link OfflineRedemptionException}, because a
   * reservation can expire before the replay, which would then be refused.
   *
   * @param allowed true to journal such commits too
   * @return this builder
   */
  public LoyaltyClientBuilder forwardCommitsWithRedemptions(boolean allowed) {
    this.forwardCommitsWithRedemptions = allowed;
    return this;
  }

  /**
   * Runs gRPC callbacks, and so the completion of asynchronous results, on this executor
   * instead of gRPC's shared cached pool.
   *
   * @param executor the executor
   * @return this builder
   */
  public LoyaltyClientBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * The clock for journal times and for the sale time of commits that leave it unset.
   * Default the system clock in UTC.
   *
   * @param clock the clock
   * @return this builder
   */
  public LoyaltyClientBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Starts connecting in the background (without waiting, so a service that is down does not
   * delay the terminal's start) and, with a journal directory, opens the journal and starts
   * replaying what an earlier run left in it.
   *
   * @return the client; close it when done
   * @throws java.io.UncheckedIOException when a certificate or the journal cannot be read, or
   *     the journal directory is in use by another client
   */
  public LoyaltyClient build() {
    if (channel == null && target == null) {
      throw new IllegalStateException("set a target or a channel");
    }
    return LoyaltyClient.create(this);
  }

  private static Duration positive(Duration duration, String what) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + duration);
    }
    return duration;
  }
}
