package com.posloyalty.client;

import com.posloyalty.v1.ReturnItemsResponse;
import com.posloyalty.v1.ReturnReceipt;
import com.posloyalty.v1.VoidTransactionResponse;

/**
 * The result of {@link CheckoutClient#returnItems} and {@link CheckoutClient#voidTransaction}:
 * what the return or void reversed, or pending when it was journaled to be forwarded.
 */
public final class ReturnResult extends ForwardableResult<ReturnReceipt> {
  private ReturnResult(ReturnReceipt receipt, boolean replayed, long journalSequence) {
    super(receipt, replayed, journalSequence);
  }

  static ReturnResult delivered(ReturnItemsResponse response) {
    return new ReturnResult(response.getReceipt(), response.getReplayed(), 0);
  }

  static ReturnResult delivered(VoidTransactionResponse response) {
    return new ReturnResult(response.getReceipt(), response.getReplayed(), 0);
  }

  static ReturnResult pending(long journalSequence) {
    return new ReturnResult(null, false, journalSequence);
  }
}
