package com.posloyalty.client;

import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ReturnItemsRequest;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * The loyalty service as a checkout lane, kiosk or back-office system calls it: build one with
 * {@link #builder()} per terminal process, call {@link #checkout()} during a sale,
 * {@link #memberAdmin()} from the back office ({@link #checkoutAsync()} and
 * {@link #memberAdminAsync()} for the non-blocking forms) and {@link #programAdmin()} to manage
 * API keys, and close it on shutdown. Thread-safe.
 *
 * <pre>{@code
 * CheckoutClient checkout = loyalty.checkout();
 * MemberSummary member = checkout.identifyMember(IdentifyMemberRequest.newBuilder()
 *     .setCardNumber(scanned).build()).getMember();
 * CommitResult result = checkout.commitTransaction(CommitTransactionRequest.newBuilder()
 *     .setPosTransactionId(saleId).setMemberId(member.getMemberId()).setBasket(basket).build());
 * if (result.isPending()) {
 *   printer.println("Points will be added to your account.");
 * } else {
 *   printer.println("Points earned: " + result.receipt().get().getEarning().getTotalPoints());
 * }
 * }</pre>
 *
 * <p>Every call carries the API key as {@code authorization: Bearer <key>}, has a deadline and
 * is retried on {@code UNAVAILABLE} with the same idempotency key; failures are
 * {@link LoyaltyException}s carrying the service's reason.
 *
 * <p>With a journal directory the client does store-and-forward: a commit, return or void that
 * cannot reach the service in time is written durably to a local journal and answered with a
 * pending result, and a background thread forwards it, in order, when the service is reachable
 * again, also after a restart of the terminal. The service's idempotency makes each forward
 * apply exactly once; one it refuses for good (a business reason, or a store-bound key acting
 * for another store) lands in {@link #deadLetters()}.
 * Redemptions are never journaled: points cannot be verified offline.
 */
public final class LoyaltyClient implements AutoCloseable {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ChannelPool channels;
  private final Forwarding forwarding;
  private final CheckoutAsyncClient checkoutAsync;
  private final CheckoutClient checkout;
  private final MemberAdminAsyncClient memberAdminAsync;
  private final MemberAdminClient memberAdmin;
  private final ProgramAdminClient programAdmin;

  private LoyaltyClient(ChannelPool channels, Forwarding forwarding,
      CheckoutAsyncClient checkoutAsync, MemberAdminAsyncClient memberAdminAsync,
      ProgramAdminClient programAdmin) {
    this.channels = channels;
    this.forwarding = forwarding;
    this.checkoutAsync = checkoutAsync;
    this.checkout = new CheckoutClient(checkoutAsync);
    this.memberAdminAsync = memberAdminAsync;
    this.memberAdmin = new MemberAdminClient(memberAdminAsync);
    this.programAdmin = programAdmin;
  }

  /**
   * Starts configuring a client.
   *
   * @return a new builder
   */
  public static LoyaltyClientBuilder builder() {
    return new LoyaltyClientBuilder();
  }

  static LoyaltyClient create(LoyaltyClientBuilder config) {
    ChannelPool channels;
    try {
      channels = ChannelPool.connect(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS certificates", e);
    }
    Channel channel = channels;
    if (config.apiKey != null) {
      Metadata headers = new Metadata();
      headers.put(AUTHORIZATION, "Bearer " + config.apiKey);
      channel = ClientInterceptors.intercept(channels,
          MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    UnaryCaller caller = new UnaryCaller(channel, channels::resetConnectBackoff);
    Forwarding forwarding;
    try {
      forwarding = config.journalDirectory == null
          ? Forwarding.disabled(caller)
          : Forwarding.open(config.journalDirectory, new JournalLimits(config.journalMaxRecords,
              config.journalMaxBytes, config.forwardInitialBackoff, config.forwardMaxBackoff),
              caller, channels, channel, config.backOfficeDeadline, config.clock);
    } catch (IOException e) {
      shutdownQuietly(channels);
      throw new UncheckedIOException("cannot open the journal in " + config.journalDirectory, e);
    } catch (RuntimeException e) {
      shutdownQuietly(channels);
      throw e;
    }
    RequestDefaults defaults = new RequestDefaults(PointOfSale.newBuilder()
        .setStoreId(config.storeId).setTerminalId(config.terminalId)
        .setChannel(config.salesChannel).build());
    prepareFirstSale(caller, defaults);
    return new LoyaltyClient(channels, forwarding,
        new CheckoutAsyncClient(caller, defaults, forwarding, config.checkoutDeadline,
            config.forwardCommitsWithRedemptions, config.clock),
        new MemberAdminAsyncClient(caller, defaults, config.backOfficeDeadline),
        new ProgramAdminClient(caller, defaults, config.backOfficeDeadline));
  }

  /**
   * The checkout calls (CheckoutService): identify, enrol, quote, redeem, commit, return, void,
   * offers.
   *
   * @return the checkout client
   */
  public CheckoutClient checkout() {
    return checkout;
  }

  /**
   * The checkout calls in asynchronous form, returning {@code CompletableFuture}s.
   *
   * @return the asynchronous checkout client
   */
  public CheckoutAsyncClient checkoutAsync() {
    return checkoutAsync;
  }

  /**
   * The back-office calls (MemberAdminService), over the same connection and API key.
   *
   * @return the member administration client
   */
  public MemberAdminClient memberAdmin() {
    return memberAdmin;
  }

  /**
   * The back-office calls in asynchronous form.
   *
   * @return the asynchronous member administration client
   */
  public MemberAdminAsyncClient memberAdminAsync() {
    return memberAdminAsync;
  }

  /**
   * The API key calls of ProgramAdminService, over the same connection and API key, with the
   * back-office deadline; they need a key with the {@code admin} scope.
   *
   * @return the program administration client
   */
  public ProgramAdminClient programAdmin() {
    return programAdmin;
  }

  /**
   * How many commits, returns and voids wait in the journal to be forwarded.
   *
   * @return the number of pending requests; 0 without a journal
   */
  public int pendingForwardCount() {
    return forwarding.pendingCount();
  }

  /**
   * The forwarded requests the service refused for a reason no replay can change (a business
   * reason or {@code STORE_MISMATCH}, see {@link DeadLetter}), persisted in the journal
   * directory. They were not applied and are not retried; settle them by hand.
   *
   * @return the dead letters, oldest first; empty without a journal
   */
  public List<DeadLetter> deadLetters() {
    return forwarding.deadLetters();
  }

  /**
   * Removes a dead letter the store has settled (for example with a points adjustment) from
   * the persisted list, so the list holds only what still needs attention.
   *
   * @param letter a letter from {@link #deadLetters()}
   * @return false when it is no longer listed (settled before), or there is no journal
   * @throws UncheckedIOException when the list cannot be rewritten; the letter then stays
   *     listed
   */
  public boolean settleDeadLetter(DeadLetter letter) {
    try {
      return forwarding.settleDeadLetter(letter);
    } catch (IOException e) {
      throw new UncheckedIOException("the dead-letter list could not be rewritten", e);
    }
  }

  /**
   * Stops the background sender (what it has not forwarded stays journaled for the next
   * start), closes the journal and shuts down the channels the client opened.
   */
  @Override
  public void close() {
    try {
      forwarding.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the journal", e);
    } finally {
      shutdownQuietly(channels);
    }
  }

  /**
   * Does now, while the terminal starts, the one-time work its first sale would otherwise do
   * inside the checkout deadline: building the API's protobuf descriptors, seeding the random
   * source of generated keys, and loading gRPC's call path and the SDK's error path. A cold JVM
   * takes a few hundred milliseconds for this, enough to push a first sale made during an
   * outage past its deadline. The call made here has expired before it starts, so gRPC fails it
   * locally and nothing reaches the service.
   */
  private static void prepareFirstSale(UnaryCaller caller, RequestDefaults defaults) {
    CommitTransactionRequest sale = defaults.apply(CommitTransactionRequest.getDefaultInstance());
    sale.toByteArray();
    defaults.apply(ReturnItemsRequest.getDefaultInstance());
    caller.call(CheckoutServiceGrpc.getCommitTransactionMethod(), sale, Duration.ofNanos(1))
        .exceptionally(expired -> null).join();
  }

  private static void shutdownQuietly(ChannelPool channels) {
    try {
      channels.shutdown(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
