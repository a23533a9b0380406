package com.posloyalty.client;

/**
 * A redemption was refused because the service cannot be reached: points can only be spent
 * when the service can verify and hold them, so redemptions are never written to the
 * store-and-forward journal. Raised by {@code reserveRedemption} (also when it gets no answer in
 * time: a reservation made for it is never captured and gives its points back when it expires)
 * and by a {@code commitTransaction} that captures reservations when it certainly was not
 * applied: it never went out (the service unreachable), or the service itself refused it as
 * unavailable ({@code DATABASE_UNAVAILABLE}, {@code SERVER_OVERLOADED}), unless the client was
 * built with {@link LoyaltyClientBuilder#forwardCommitsWithRedemptions(boolean)}. Such a commit
 * that went out and got no answer from the service (a deadline, a lost connection) throws
 * {@link CommitOutcomeUnknownException} instead. Reason
 * {@value #REASON}. At the lane: take another tender.
 */
public class OfflineRedemptionException extends ServiceUnavailableException {
  private static final long serialVersionUID = 1L;

  /** The reason this exception carries. */
  public static final String REASON = "OFFLINE_REDEMPTION_REFUSED";

  OfflineRedemptionException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
