package com.posloyalty.server.flow;

import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.store.RewardStore;

/**
 * A ListRewards page token: the filters it was issued for and the last reward of the
 * page. A token only continues the list it came from; with other filters it is refused.
 */
record RewardPageToken(String state, String storeId, RewardStore.Position after) {

  private static final String VERSION = "r1";

  String encode() {
    return PageTokens.encode(VERSION, state, storeId, Long.toString(after.pointsCost()),
        after.rewardId());
  }

  /** Where {@code token} continues, provided it was issued for these filters. */
  static RewardStore.Position parse(String token, String state, String storeId) {
    String[] parts = PageTokens.fields(token, VERSION, 5)
        .orElseThrow(() -> invalid("is not a token from this list"));
    if (!parts[1].equals(state) || !parts[2].equals(storeId)) {
      throw invalid("was issued for other filters (state, store_id)");
    }
    try {
      return new RewardStore.Position(Long.parseLong(parts[3]), parts[4]);
    } catch (NumberFormatException e) {
      throw invalid("is not a token from this list");
    }
  }

  private static Refusal invalid(String description) {
    return Refusal.invalid("PAGE_TOKEN_INVALID", "page_token", description);
  }
}
