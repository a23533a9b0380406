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
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The CheckoutService calls of a {@link LoyaltyClient} in asynchronous form: each returns a
 * {@link CompletableFuture} that completes with the response or fails with the
 * {@link LoyaltyException} that {@link CheckoutClient}, the blocking form, would throw; see
 * there for what each call does. Results complete on gRPC's callback executor (or the
 * builder's). Thread-safe.
 */
public final class CheckoutAsyncClient {
  private final UnaryCaller caller;
  private final RequestDefaults defaults;
  private final Forwarding forwarding;
  private final Duration deadline;
  private final boolean forwardRedemptions;
  private final Clock clock;

  CheckoutAsyncClient(UnaryCaller caller, RequestDefaults defaults, Forwarding forwarding,
      Duration deadline, boolean forwardRedemptions, Clock clock) {
    this.caller = caller;
    this.defaults = defaults;
    this.forwarding = forwarding;
    this.deadline = deadline;
    this.forwardRedemptions = forwardRedemptions;
    this.clock = clock;
  }

  /**
   * Asynchronous {@link CheckoutClient#identifyMember}: the future fails with its exceptions.
   *
   * @param request the identifier
   * @return the member
   */
  public CompletableFuture<IdentifyMemberResponse> identifyMember(
      IdentifyMemberRequest request) {
    return checkout(CheckoutServiceGrpc.getIdentifyMemberMethod(), request);
  }

  /**
   * Asynchronous {@link CheckoutClient#enrollMember}: the future fails with its exceptions.
   *
   * @param request the new member's details
   * @return the new member
   */
  public CompletableFuture<EnrollMemberResponse> enrollMember(EnrollMemberRequest request) {
    return checkout(CheckoutServiceGrpc.getEnrollMemberMethod(), request);
  }

  /**
   * Asynchronous {@link CheckoutClient#quoteBasket}: the future fails with its exceptions.
   *
   * @param request the member and the basket so far
   * @return the quote
   */
  public CompletableFuture<QuoteBasketResponse> quoteBasket(QuoteBasketRequest request) {
    return checkout(CheckoutServiceGrpc.getQuoteBasketMethod(), request);
  }

  /**
   * Asynchronous {@link CheckoutClient#reserveRedemption}: the future fails with its exceptions.
   *
   * @param request the member and what is redeemed
   * @return the reservation
   */
  public CompletableFuture<ReserveRedemptionResponse> reserveRedemption(
      ReserveRedemptionRequest request) {
    return refuseOffline(checkout(CheckoutServiceGrpc.getReserveRedemptionMethod(), request));
  }

  /**
   * Asynchronous {@link CheckoutClient#releaseRedemption}: the future fails with its exceptions.
   *
   * @param request the reservation
   * @return the released reservation
   */
  public CompletableFuture<ReleaseRedemptionResponse> releaseRedemption(
      ReleaseRedemptionRequest request) {
    return checkout(CheckoutServiceGrpc.getReleaseRedemptionMethod(), request);
  }

  /**
   * Asynchronous {@link CheckoutClient#commitTransaction}: the future fails with its exceptions.
   *
   * @param request the sale
   * @return the receipt or pending
   */
  public CompletableFuture<CommitResult> commitTransaction(CommitTransactionRequest request) {
    CommitTransactionRequest sale = defaults.apply(request);
    if (!sale.hasOccurTime()) {
      Instant now = clock.instant();
      sale = sale.toBuilder().setOccurTime(Timestamp.newBuilder()
          .setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
    }
    var method = CheckoutServiceGrpc.getCommitTransactionMethod();
    if (sale.getReservationIdsCount() > 0 && !forwardRedemptions) {
      DeliveryTracker tracker = new DeliveryTracker();
      return caller.call(method, sale, deadline, tracker).thenApply(CommitResult::delivered)
          .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
              unsettledRedemption(UnaryCaller.failureOf(failure), tracker)));
    }
    return forwarding.send(ForwardKind.COMMIT_TRANSACTION, method, sale, deadline,
        CommitResult::delivered, CommitResult::pending);
  }

  /**
   * Asynchronous {@link CheckoutClient#returnItems}: the future fails with its exceptions.
   *
   * @param request the original sale and the returned lines
   * @return what was reversed or pending
   */
  public CompletableFuture<ReturnResult> returnItems(ReturnItemsRequest request) {
    return forwarding.send(ForwardKind.RETURN_ITEMS, CheckoutServiceGrpc.getReturnItemsMethod(),
        defaults.apply(request), deadline, ReturnResult::delivered, ReturnResult::pending);
  }

  /**
   * Asynchronous {@link CheckoutClient#voidTransaction}: the future fails with its exceptions.
   *
   * @param request the sale to void and why
   * @return what was reversed or pending
   */
  public CompletableFuture<ReturnResult> voidTransaction(VoidTransactionRequest request) {
    return forwarding.send(ForwardKind.VOID_TRANSACTION,
        CheckoutServiceGrpc.getVoidTransactionMethod(), defaults.apply(request), deadline,
        ReturnResult::delivered, ReturnResult::pending);
  }

  /**
   * Asynchronous {@link CheckoutClient#listMemberOffers}: the future fails with its exceptions.
   *
   * @param request the member and the page wanted
   * @return one page of offers
   */
  public CompletableFuture<ListMemberOffersResponse> listMemberOffers(
      ListMemberOffersRequest request) {
    return checkout(CheckoutServiceGrpc.getListMemberOffersMethod(), request);
  }

  /**
   * Asynchronous {@link CheckoutClient#activateOffer}: the future fails with its exceptions.
   *
   * @param request the member and the offer
   * @return the activated offer
   */
  public CompletableFuture<ActivateOfferResponse> activateOffer(
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
      return CompletableFuture.failedFuture(error instanceof ServiceUnavailableException
          ? offline(error)
          : error);
    });
  }

  /**
   * What a commit capturing reservations failed with. A commit that may have reached the service
   * and got no answer from it (a deadline, or a connection lost, in any attempt) may have been
   * applied, with its points spent, so it must not read as refused: the lane would take another
   * tender and the customer pay twice. Only a commit that never went out, or that the service
   * itself refused, was certainly not applied.
   */
  private static LoyaltyException unsettledRedemption(LoyaltyException error,
      DeliveryTracker tracker) {
    if (!(error instanceof ServiceUnavailableException)) {
      return error;
    }
    if (!tracker.mayHaveBeenApplied()) {
      return offline(error);
    }
    String what = error.code() == Status.Code.DEADLINE_EXCEEDED
        ? "the loyalty service did not answer in time"
        : "the connection to the loyalty service was lost after the sale was sent";
    return new CommitOutcomeUnknownException(ErrorDetails.local(error.code(),
        CommitOutcomeUnknownException.REASON, what + ", so the sale may have been applied and"
            + " its points spent: send the same commit again to learn which ("
            + error.getMessage() + ")"), error);
  }

  private static LoyaltyException offline(LoyaltyException error) {
    return new OfflineRedemptionException(ErrorDetails.local(error.code(),
        OfflineRedemptionException.REASON, "the loyalty service cannot be reached, and points"
            + " cannot be verified offline: redemption refused (" + error.getMessage() + ")"),
        error);
  }
}
