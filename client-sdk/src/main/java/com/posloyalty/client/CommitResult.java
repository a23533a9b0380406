package com.posloyalty.client;

import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.Receipt;

/**
 * The result of {@link CheckoutClient#commitTransaction}: the loyalty receipt of the sale, or
 * pending when the sale was journaled to be forwarded (print "points will be added").
 */
public final class CommitResult extends ForwardableResult<Receipt> {
  private CommitResult(Receipt receipt, boolean replayed, long journalSequence) {
    super(receipt, replayed, journalSequence);
  }

  static CommitResult delivered(CommitTransactionResponse response) {
    return new CommitResult(response.getReceipt(), response.getReplayed(), 0);
  }

  static CommitResult pending(long journalSequence) {
    return new CommitResult(null, false, journalSequence);
  }
}
