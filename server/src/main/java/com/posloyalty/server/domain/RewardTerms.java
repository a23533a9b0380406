package com.posloyalty.server.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a catalogue reward gives, what it costs and where it can be redeemed: the part of
 * a reward an administrator edits. The catalogue's rules live in {@link #check}; bad
 * fields are named by their path in the admin request ({@code reward.points_cost}).
 *
 * @param kind null when the request left it unset
 * @param freeItemSku empty unless the kind is {@link Kind#FREE_ITEM}
 * @param storeIds the stores where it can be redeemed; empty = every store
 * @param channels the channels ({@link Origin#channel()} names) where it can be redeemed;
 *     empty = every channel
 */
public record RewardTerms(
    String displayName, String description, long pointsCost, Kind kind,
    Optional<Amount> amountOff, String freeItemSku, List<String> storeIds,
    List<String> channels) {

  /** What the member gets. */
  public enum Kind { AMOUNT_OFF, FREE_ITEM }

  /** The fields an update may change; kind and id never change. */
  public enum Field {
    DISPLAY_NAME, DESCRIPTION, POINTS_COST, AMOUNT_OFF, FREE_ITEM_SKU, STORE_IDS, CHANNELS
  }

  /** Money in minor units of {@code currencyCode}. */
  public record Amount(long minor, String currencyCode) {}

  private static final int MAX_NAME = 100;
  private static final int MAX_DESCRIPTION = 1000;
  private static final long MAX_POINTS_COST = 10_000_000;
  private static final int MAX_SKU = 64;
  private static final int MAX_STORES = 1000;
  private static final Set<String> CHANNEL_NAMES =
      Set.of("STAFFED_LANE", "SELF_CHECKOUT", "BACK_OFFICE", "MEMBER_APP");
  private static final Pattern NEW_ID = Pattern.compile("[a-z0-9_-]{1,64}");

  /** Store and channel lists are sets: a repeated entry counts once. */
  public RewardTerms {
    storeIds = List.copyOf(new LinkedHashSet<>(storeIds));
    channels = List.copyOf(new LinkedHashSet<>(channels));
  }

  /** These terms with the named fields taken from {@code changes}. */
  public RewardTerms with(Set<Field> fields, RewardTerms changes) {
    return new RewardTerms(
        fields.contains(Field.DISPLAY_NAME) ? changes.displayName : displayName,
        fields.contains(Field.DESCRIPTION) ? changes.description : description,
        fields.contains(Field.POINTS_COST) ? changes.pointsCost : pointsCost,
        kind,
        fields.contains(Field.AMOUNT_OFF) ? changes.amountOff : amountOff,
        fields.contains(Field.FREE_ITEM_SKU) ? changes.freeItemSku : freeItemSku,
        fields.contains(Field.STORE_IDS) ? changes.storeIds : storeIds,
        fields.contains(Field.CHANNELS) ? changes.channels : channels);
  }

  /** Whether a lane of {@code storeId} on {@code channel} may redeem the reward. */
  public boolean redeemableAt(String storeId, String channel) {
    return (storeIds.isEmpty() || storeIds.contains(storeId))
        && (channels.isEmpty() || channels.contains(channel));
  }

  /** Refuses a new reward whose id or terms break a catalogue rule, naming every bad field. */
  public void checkNew(String rewardId, String programCurrency) {
    FieldFindings found = new FieldFindings();
    if (!rewardId.isEmpty() && !NEW_ID.matcher(rewardId).matches()) {
      found.add("reward.reward_id", "must be 1-64 characters of a-z, 0-9, _ or -");
    }
    check(found, programCurrency);
    found.check();
  }

  /** Refuses terms that break a catalogue rule, naming every bad field at once. */
  public void check(String programCurrency) {
    FieldFindings found = new FieldFindings();
    check(found, programCurrency);
    found.check();
  }

  private void check(FieldFindings found, String programCurrency) {
    if (displayName.isBlank()) {
      found.required("reward.display_name");
    } else if (displayName.length() > MAX_NAME) {
      found.add("reward.display_name", "must be at most " + MAX_NAME + " characters");
    }
    if (description.length() > MAX_DESCRIPTION) {
      found.add("reward.description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    if (pointsCost < 1 || pointsCost > MAX_POINTS_COST) {
      found.add("reward.points_cost", "must be between 1 and " + MAX_POINTS_COST);
    }
    if (kind == null) {
      found.required("reward.kind");
    } else if (kind == Kind.AMOUNT_OFF) {
      checkAmountOff(found, programCurrency);
      if (!freeItemSku.isEmpty()) {
        found.add("reward.free_item_sku", "must be empty for KIND_AMOUNT_OFF");
      }
    } else {
      if (freeItemSku.isBlank()) {
        found.required("reward.free_item_sku");
      } else if (freeItemSku.length() > MAX_SKU) {
        found.add("reward.free_item_sku", "must be at most " + MAX_SKU + " characters");
      }
      if (amountOff.isPresent()) {
        found.add("reward.amount_off", "must be unset for KIND_FREE_ITEM");
      }
    }
    if (storeIds.size() > MAX_STORES) {
      found.add("reward.store_ids", "must name at most " + MAX_STORES + " stores");
    }
    for (int i = 0; i < storeIds.size() && i < MAX_STORES; i++) {
      found.idFormat("reward.store_ids[" + i + "]", storeIds.get(i), 64);
    }
    for (int i = 0; i < channels.size(); i++) {
      if (!CHANNEL_NAMES.contains(channels.get(i))) {
        found.add("reward.channels[" + i + "]", "must be a known channel");
      }
    }
  }

  private void checkAmountOff(FieldFindings found, String programCurrency) {
    if (amountOff.isEmpty()) {
      found.required("reward.amount_off");
      return;
    }
    if (amountOff.get().minor() <= 0) {
      found.add("reward.amount_off.amount_minor", "must be greater than 0");
    }
    if (!amountOff.get().currencyCode().equals(programCurrency)) {
      found.add("reward.amount_off.currency_code",
          "must be the program's currency " + programCurrency, "CURRENCY_MISMATCH");
    }
  }
}
