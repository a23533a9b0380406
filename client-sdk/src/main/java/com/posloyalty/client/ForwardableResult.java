package com.posloyalty.client;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of a call the SDK may store and forward: either the service's receipt, or
 * <em>pending</em> — the service could not be reached, the request is safely in the terminal's
 * journal and will be delivered, exactly once, when the service is back. A pending sale's
 * receipt says "points will be added"; nothing needs redoing at the lane.
 *
 * @param <R> the receipt type
 */
public abstract class ForwardableResult<R> {
  private final R receipt;
  private final boolean replayed;
  private final long journalSequence;

  ForwardableResult(R receipt, boolean replayed, long journalSequence) {
    this.receipt = receipt;
    this.replayed = replayed;
    this.journalSequence = journalSequence;
  }

  /**
   * Whether the request was journaled for later delivery instead of being answered now.
   *
   * @return true when pending; {@link #receipt()} is then empty
   */
  public boolean isPending() {
    return receipt == null;
  }

  /**
   * The service's receipt.
   *
   * @return the receipt, or empty when the result is pending
   */
  public Optional<R> receipt() {
    return Optional.ofNullable(receipt);
  }

  /**
   * Whether the service had already applied this request (same idempotency key, same payload)
   * and answered with the first receipt.
   *
   * @return true for a replayed answer; false when pending
   */
  public boolean replayed() {
    return replayed;
  }

  /**
   * The journal sequence of a pending request, the number {@link DeadLetter#sequence()} carries
   * should the service refuse it later.
   *
   * @return the sequence, or empty when the service answered
   */
  public OptionalLong journalSequence() {
    return isPending() ? OptionalLong.of(journalSequence) : OptionalLong.empty();
  }
}
