package com.posloyalty.client;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.posloyalty.v1.ActivateOfferRequest;
import com.posloyalty.v1.ActivateOfferResponse;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.IdentifyMemberResponse;
import com.posloyalty.v1.ListMemberOffersRequest;
import com.posloyalty.v1.ListMemberOffersResponse;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.QuoteBasketResponse;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReleaseRedemptionResponse;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionResponse;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.VoidTransactionRequest;
import io.grpc.MethodDescriptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The CheckoutService calls of a {@link LoyaltyClient}, each in a blocking form and an
 * asynchronous one returning a {@link CompletableFuture} that fails with the same
 * {@link LoyaltyException}s the blocking form throws. Every call fills an empty point of sale
 * from the client's store, terminal and channel, generates an empty {@code request_id} /
 * {@code return_id}, and runs under the checkout deadline (800 ms by default), retries on
 * {@code UNAVAILABLE} included. Thread-safe.
 */
public final class CheckoutClient {
  private final UnaryCaller caller;
  private final RequestDefaults defaults;
  private final Forwarding forwarding;
  private final Duration deadline;
  private final boolean forwardRedemptions;
  private final Clock clock;

  CheckoutClient(UnaryCaller caller, RequestDefaults defaults, Forwarding forwarding,
      Duration deadline, boolean forwardRedemptions, Clock clock) {
    this.caller = caller;
    this.defaults = defaults;
    this.forwarding = forwarding;
    this.deadline = deadline;
    this.forwardRedemptions = forwardRedemptions;
    this.clock = clock;
  }

  /**
   * Finds a member by card, phone, e-mail, member id or app token. A blocked, erased or merged
   * member is returned with that status, not as an error.
   *
   * @param request the identifier; the point of sale may be left empty
   * @return what the lane shows about the member
   * @throws MemberNotFoundException when nobody matches
   * @throws InvalidRequestException for example {@code CARD_CHECK_DIGIT_INVALID}
   */
  public IdentifyMemberResponse identifyMember(IdentifyMemberRequest request) {
    return UnaryCaller.await(identifyMemberAsync(request));
  }

  /**
   * Asynchronous {@link #identifyMember}.
   *
   * @param request the identifier
   * @return the member, or a future failed with the same exceptions
   */
  public CompletableFuture<IdentifyMemberResponse> identifyMemberAsync(
      IdentifyMemberRequest request) {
    return checkout(CheckoutServiceGrpc.getIdentifyMemberMethod(), request);
  }

  /**
   * Signs a customer up at the lane; an empty {@code request_id} is generated.
   *
   * @param request the new member's details
   * @return the member, the new card number and the welcome bonus
   * @throws DuplicateMemberException when the phone or e-mail belongs to another member
   */
  public EnrollMemberResponse enrollMember(EnrollMemberRequest request) {
    return UnaryCaller.await(enrollMemberAsync(request));
  }

  /**
   * Asynchronous {@link #enrollMember}.
   *
   * @param request the new member's details
   * @return the new member, or a future failed with the same exceptions
   */
  public CompletableFuture<EnrollMemberResponse> enrollMemberAsync(EnrollMemberRequest request) {
    return checkout(CheckoutServiceGrpc.getEnrollMemberMethod(), request);
  }

  /**
   * What committing this basket would earn, without side effects.
   *
   * @param request the member and the basket so far
   * @return the points line by line, applicable offers and affordable rewards
   * @throws MemberNotActiveException when the member may not earn
   */
  public QuoteBasketResponse quoteBasket(QuoteBasketRequest request) {
    return UnaryCaller.await(quoteBasketAsync(request));
  }

  /**
   * Asynchronous {@link #quoteBasket}.
   *
   * @param request the member and the basket so far
   * @return the quote, or a future failed with the same exceptions
   */
  public CompletableFuture<QuoteBasketResponse> quoteBasketAsync(QuoteBasketRequest request) {
    return checkout(CheckoutServiceGrpc.getQuoteBasketMethod(), request);
  }

  /**
   * Holds points for a reward or for paying with points, until the commit captures them. Never
   * journaled: when the service cannot be reached the redemption is refused.
   *
   * @param request the member and the reward or points tender; {@code request_id} may be empty
   * @return the reservation to name in the commit
   * @throws InsufficientPointsException with the member's available points
   * @throws OfflineRedemptionException when the service cannot be reached
   */
  public ReserveRedemptionResponse reserveRedemption(ReserveRedemptionRequest request) {
    return UnaryCaller.await(reserveRedemptionAsync(request));
  }

  /**
   * Asynchronous {@link #reserveRedemption}.
   *
   * @param request the member and what is redeemed
   * @return the reservation, or a future failed with the same exceptions
   */
  public CompletableFuture<ReserveRedemptionResponse> reserveRedemptionAsync(
      ReserveRedemptionRequest request) {
    return refuseOffline(checkout(CheckoutServiceGrpc.getReserveRedemptionMethod(), request));
  }

  /**
   * Gives a reservation's held points back (for example when the customer changes their mind).
   *
   * @param request the reservation
   * @return the released reservation and the member's available points
   */
  public ReleaseRedemptionResponse releaseRedemption(ReleaseRedemptionRequest request) {
    return UnaryCaller.await(releaseRedemptionAsync(request));
  }

  /**
   * Asynchronous {@link #releaseRedemption}.
   *
   * @param request the reservation
   * @return the released reservation, or a future failed with the same exceptions
   */
  public CompletableFuture<ReleaseRedemptionResponse> releaseRedemptionAsync(
      ReleaseRedemptionRequest request) {
    return checkout(CheckoutServiceGrpc.getReleaseRedemptionMethod(), request);
  }

  /**
   * Records the finished sale and returns its loyalty receipt. The sale time is set to now when
   * left unset, so a forwarded sale keeps the time it happened. When the service cannot be
   * reached in time, or earlier requests are still waiting in the journal, the sale is journaled
   * and the result is pending. A sale that captures reservations is not journaled (unless the
   * builder allows it) and fails with {@link OfflineRedemptionException} instead.
   *
   * @param request the sale, keyed by store, terminal and POS transaction id
   * @return the receipt, or pending
   * @throws DuplicateTransactionKeyException when the POS transaction id was used for another
   *     sale
   * @throws JournalFullException when the service is unreachable and the journal is full
   */
  public CommitResult commitTransaction(CommitTransactionRequest request) {
    return UnaryCaller.await(commitTransactionAsync(request));
  }

  /**
   * Asynchronous {@link #commitTransaction}.
   *
   * @param request the sale
   * @return the receipt or pending, or a future failed with the same exceptions
   */
  public CompletableFuture<CommitResult> commitTransactionAsync(CommitTransactionRequest request) {
    CommitTransactionRequest sale = defaults.apply(request);
    if (!sale.hasOccurTime()) {
      Instant now = clock.instant();
      sale = sale.toBuilder().setOccurTime(Timestamp.newBuilder()
          .setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
    }
    var method = CheckoutServiceGrpc.getCommitTransactionMethod();
    if (sale.getReservationIdsCount() > 0 && !forwardRedemptions) {
      return refuseOffline(caller.call(method, sale, deadline).thenApply(CommitResult::delivered));
    }
    return forwarding.send(ForwardKind.COMMIT_TRANSACTION, method, sale, deadline,
        CommitResult::delivered, CommitResult::pending);
  }

  /**
   * Returns items of a committed sale; an empty {@code return_id} is generated. Journaled like
   * a commit when the service cannot be reached.
   *
   * @param request the original sale and the returned lines
   * @return what was reversed, or pending
   * @throws NotFoundException when the sale or a line is unknown
   */
  public ReturnResult returnItems(ReturnItemsRequest request) {
    return UnaryCaller.await(returnItemsAsync(request));
  }

  /**
   * Asynchronous {@link #returnItems}.
   *
   * @param request the original sale and the returned lines
   * @return what was reversed or pending, or a future failed with the same exceptions
   */
  public CompletableFuture<ReturnResult> returnItemsAsync(ReturnItemsRequest request) {
    return forwarding.send(ForwardKind.RETURN_ITEMS, CheckoutServiceGrpc.getReturnItemsMethod(),
        defaults.apply(request), deadline, ReturnResult::delivered, ReturnResult::pending);
  }

  /**
   * Reverses a whole committed sale. Journaled like a commit when the service cannot be reached.
   *
   * @param request the sale to void and why
   * @return what was reversed, or pending
   * @throws NotFoundException when the sale is unknown
   */
  public ReturnResult voidTransaction(VoidTransactionRequest request) {
    return UnaryCaller.await(voidTransactionAsync(request));
  }

  /**
   * Asynchronous {@link #voidTransaction}.
   *
   * @param request the sale to void and why
   * @return what was reversed or pending, or a future failed with the same exceptions
   */
  public CompletableFuture<ReturnResult> voidTransactionAsync(VoidTransactionRequest request) {
    return forwarding.send(ForwardKind.VOID_TRANSACTION,
        CheckoutServiceGrpc.getVoidTransactionMethod(), defaults.apply(request), deadline,
        ReturnResult::delivered, ReturnResult::pending);
  }

  /**
   * The member's personalised offers, most relevant first.
   *
   * @param request the member and the page wanted
   * @return one page of offers
   */
  public ListMemberOffersResponse listMemberOffers(ListMemberOffersRequest request) {
    return UnaryCaller.await(listMemberOffersAsync(request));
  }

  /**
   * Asynchronous {@link #listMemberOffers}.
   *
   * @param request the member and the page wanted
   * @return one page of offers, or a future failed with the same exceptions
   */
  public CompletableFuture<ListMemberOffersResponse> listMemberOffersAsync(
      ListMemberOffersRequest request) {
    return checkout(CheckoutServiceGrpc.getListMemberOffersMethod(), request);
  }

  /**
   * Activates ("clips") an offer for the member's next purchases.
   *
   * @param request the member and the offer
   * @return the activated offer
   */
  public ActivateOfferResponse activateOffer(ActivateOfferRequest request) {
    return UnaryCaller.await(activateOfferAsync(request));
  }

  /**
   * Asynchronous {@link #activateOffer}.
   *
   * @param request the member and the offer
   * @return the activated offer, or a future failed with the same exceptions
   */
  public CompletableFuture<ActivateOfferResponse> activateOfferAsync(
      ActivateOfferRequest request) {
    return checkout(CheckoutServiceGrpc.getActivateOfferMethod(), request);
  }

  private <Q extends Message, R> CompletableFuture<R> checkout(MethodDescriptor<Q, R> method,
      Q request) {
    return caller.call(method, defaults.apply(request), deadline);
  }

  private static <T> CompletableFuture<T> refuseOffline(CompletableFuture<T> call) {
    return call.exceptionallyCompose(failure -> {
      LoyaltyException error = UnaryCaller.failureOf(failure);
      if (!(error instanceof ServiceUnavailableException)
          || error instanceof OfflineRedemptionException) {
        return CompletableFuture.failedFuture(error);
      }
      return CompletableFuture.failedFuture(new OfflineRedemptionException(ErrorDetails.local(
          error.code(), OfflineRedemptionException.REASON, "the loyalty service cannot be"
              + " reached, and points cannot be verified offline: redemption refused ("
              + error.getMessage() + ")"), error));
    });
  }
}
