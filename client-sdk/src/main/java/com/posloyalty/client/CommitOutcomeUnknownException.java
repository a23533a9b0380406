package com.posloyalty.client;

/**
 * A commit that captures redemption reservations went out and got no answer from the service:
 * its deadline passed ({@code DEADLINE_EXCEEDED}), or the connection was lost after it was sent
 * ({@code UNAVAILABLE} from the transport or a proxy, not the service's own refusal), in any of
 * its attempts. The service may have applied it, and so spent the member's points, or not. Such a commit is not journaled (unless the client was built with
 * {@link LoyaltyClientBuilder#forwardCommitsWithRedemptions(boolean)}), so the SDK cannot settle
 * it later by itself. Reason {@value #REASON}.
 *
 * <p>At the lane: send the same commit again (the same {@code pos_transaction_id}, basket,
 * member and reservations). If the first was applied, the service answers with its receipt
 * ({@code replayed()} true); if not, the commit is applied now or refused (for example
 * {@code RESERVATION_EXPIRED}, after which nothing was spent and another tender can be taken).
 * Never take another tender for the points while the outcome is unknown: the customer could pay
 * twice. An {@link OfflineRedemptionException} from a resend does not settle it either.
 */
public class CommitOutcomeUnknownException extends ServiceUnavailableException {
  private static final long serialVersionUID = 1L;

  /** The reason this exception carries. */
  public static final String REASON = "COMMIT_OUTCOME_UNKNOWN";

  CommitOutcomeUnknownException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
