package com.posloyalty.client;

import io.grpc.Status;

/**
 * The service cannot be reached and the store-and-forward journal has reached its configured
 * limit, so the request was neither sent nor recorded. Reason {@value #REASON}. At the lane: the
 * sale's points cannot be recorded now; the terminal has been offline for a long time and needs
 * attention (see {@link LoyaltyClient#pendingForwardCount()}).
 */
public class JournalFullException extends ServiceUnavailableException {
  private static final long serialVersionUID = 1L;

  /** The reason this exception carries. */
  public static final String REASON = "JOURNAL_FULL";

  JournalFullException(String description) {
    super(ErrorDetails.local(Status.Code.UNAVAILABLE, REASON, description), null);
  }
}
