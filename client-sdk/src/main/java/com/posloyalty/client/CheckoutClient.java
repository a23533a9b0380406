package com.posloyalty.client;

import com.posloyalty.v1.ActivateOfferRequest;
import com.posloyalty.v1.ActivateOfferResponse;
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

/**
 * The CheckoutService calls of a {@link LoyaltyClient}: what a lane calls during a sale. Each
 * call blocks until the service answers or the checkout deadline (800 ms by default, automatic
 * retries on {@code UNAVAILABLE} included) passes, and throws a {@link LoyaltyException} on
 * failure. Every call fills an empty point of sale from the client's store, terminal and
 * channel and generates an empty {@code request_id} / {@code return_id}, so the SDK's retries
 * and forwards carry the same key. A generated key only covers what the SDK resends: a POS that
 * may resubmit a request after its own crash sets the key itself. {@link CheckoutAsyncClient}
 * has the same calls without blocking. Thread-safe.
 */
public final class CheckoutClient {
  private final CheckoutAsyncClient async;

  CheckoutClient(CheckoutAsyncClient async) {
    this.async = async;
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
    return UnaryCaller.await(async.identifyMember(request));
  }

  /**
   * Signs a customer up at the lane; an empty {@code request_id} is generated.
   *
   * @param request the new member's details
   * @return the member, the new card number and the welcome bonus
   * @throws DuplicateMemberException when the phone or e-mail belongs to another member
   */
  public EnrollMemberResponse enrollMember(EnrollMemberRequest request) {
    return UnaryCaller.await(async.enrollMember(request));
  }

  /**
   * What committing this basket would earn, without side effects.
   *
   * @param request the member and the basket so far
   * @return the points line by line, applicable offers and affordable rewards
   * @throws MemberNotActiveException when the member may not earn
   */
  public QuoteBasketResponse quoteBasket(QuoteBasketRequest request) {
    return UnaryCaller.await(async.quoteBasket(request));
  }

  /**
   * Holds points for a reward or for paying with points, until the commit captures them. Never
   * journaled: when the service cannot be reached or does not answer in time the redemption is
   * refused. Taking another tender is then safe: points are only spent by a commit naming the
   * reservation, and a reservation made for a request whose answer was lost holds its points
   * until it expires.
   *
   * @param request the member and the reward or points tender; {@code request_id} may be empty
   * @return the reservation to name in the commit
   * @throws InsufficientPointsException with the member's available points
   * @throws OfflineRedemptionException when the service cannot be reached or does not answer
   *     in time
   */
  public ReserveRedemptionResponse reserveRedemption(ReserveRedemptionRequest request) {
    return UnaryCaller.await(async.reserveRedemption(request));
  }

  /**
   * Gives a reservation's held points back (for example when the customer changes their mind).
   *
   * @param request the reservation
   * @return the released reservation and the member's available points
   */
  public ReleaseRedemptionResponse releaseRedemption(ReleaseRedemptionRequest request) {
    return UnaryCaller.await(async.releaseRedemption(request));
  }

  /**
   * Records the finished sale and returns its loyalty receipt. The sale time is set to now when
   * left unset, so a forwarded sale keeps the time it happened. The service leaves
   * {@code occur_time} out when it compares a sale sent again under the same POS transaction id
   * with the first: a POS that resubmits a sale itself (after its own crash) gets the first
   * receipt back ({@code replayed()} true), and the sale keeps the first request's time. When
   * the service cannot be reached in time, or earlier requests are still waiting in the journal,
   * the sale is journaled and the result is pending. A sale that captures reservations is not
   * journaled (unless the builder allows it): it fails with {@link OfflineRedemptionException}
   * when it certainly was not applied (the service could not be reached, or refused it as
   * unavailable), and with {@link CommitOutcomeUnknownException} when it went out and got no
   * answer from the service, in time or at all (it may have been applied: send it again, never
   * take another tender blindly).
   *
   * @param request the sale, keyed by store, terminal and POS transaction id
   * @return the receipt, or pending
   * @throws DuplicateTransactionKeyException when the POS transaction id was used for another
   *     sale
   * @throws JournalFullException when the service is unreachable and the journal is full
   * @throws OfflineRedemptionException when the sale captures reservations and certainly was
   *     not applied
   * @throws CommitOutcomeUnknownException when the sale captures reservations, went out and got
   *     no answer from the service
   */
  public CommitResult commitTransaction(CommitTransactionRequest request) {
    return UnaryCaller.await(async.commitTransaction(request));
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
    return UnaryCaller.await(async.returnItems(request));
  }

  /**
   * Reverses a whole committed sale. Journaled like a commit when the service cannot be reached.
   *
   * @param request the sale to void and why
   * @return what was reversed, or pending
   * @throws NotFoundException when the sale is unknown
   */
  public ReturnResult voidTransaction(VoidTransactionRequest request) {
    return UnaryCaller.await(async.voidTransaction(request));
  }

  /**
   * The member's personalised offers, most relevant first. (The service answers
   * {@code UNIMPLEMENTED} until offers land.)
   *
   * @param request the member and the page wanted
   * @return one page of offers
   */
  public ListMemberOffersResponse listMemberOffers(ListMemberOffersRequest request) {
    return UnaryCaller.await(async.listMemberOffers(request));
  }

  /**
   * Activates ("clips") an offer for the member's next purchases. (The service answers
   * {@code UNIMPLEMENTED} until offers land.)
   *
   * @param request the member and the offer
   * @return the activated offer
   */
  public ActivateOfferResponse activateOffer(ActivateOfferRequest request) {
    return UnaryCaller.await(async.activateOffer(request));
  }
}
