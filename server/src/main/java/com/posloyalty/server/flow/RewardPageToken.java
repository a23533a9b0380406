package com.posloyalty.server.flow;

import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.store.RewardStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A ListRewards page token: the filters it was issued for and the last reward of the
 * page. A token only continues the list it came from; with other filters it is refused.
 */
record RewardPageToken(String state, String storeId, RewardStore.Position after) {

  private static final String VERSION = "r1";

  String encode() {
    String text = String.join("\n", VERSION, state, storeId, Long.toString(after.pointsCost()),
        after.rewardId());
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Where {@code token} continues, provided it was issued for these filters. */
  static RewardStore.Position parse(String token, String state, String storeId) {
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
          .split("\n", -1);
    } catch (IllegalArgumentException e) {
      throw invalid("is not a token from this list");
    }
    if (parts.length != 5 || !parts[0].equals(VERSION) || parts[4].isEmpty()) {
      throw invalid("is not a token from this list");
    }
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
