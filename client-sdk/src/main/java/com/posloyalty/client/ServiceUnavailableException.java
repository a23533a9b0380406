package com.posloyalty.client;

/**
 * The service could not be reached or did not answer within the call's deadline
 * ({@code UNAVAILABLE} or {@code DEADLINE_EXCEEDED}), after the SDK's automatic retries. Calls
 * that can be forwarded later (commit, return, void) do not throw this when a journal is
 * configured: they return a pending result instead, except a commit that captures redemption
 * reservations ({@link OfflineRedemptionException}, {@link CommitOutcomeUnknownException}).
 */
public class ServiceUnavailableException extends LoyaltyException {
  private static final long serialVersionUID = 1L;

  ServiceUnavailableException(ErrorDetails details, Throwable cause) {
    super(details, cause);
  }
}
