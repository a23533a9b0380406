package com.posloyalty.loadtest;

import com.posloyalty.v1.Channel;
import com.posloyalty.v1.PointOfSale;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stores and staffed lanes the scenarios sell at, and the API key each store's
 * terminals send. A terminal key acts for its own store only, so keys are per store; a
 * single key not bound to a store (or a back-office key) may serve every store.
 */
final class Lanes {

  static final int LANES_PER_STORE = 8;

  /** One terminal and the key it calls with (empty when the server needs none). */
  record Lane(PointOfSale pos, Optional<String> apiKey) {}

  private final List<Lane> lanes = new ArrayList<>();

  private Lanes(Map<String, Optional<String>> keyByStore) {
    keyByStore.forEach((store, key) -> {
      for (int lane = 1; lane <= LANES_PER_STORE; lane++) {
        lanes.add(new Lane(PointOfSale.newBuilder().setStoreId(store)
            .setTerminalId("lane-" + lane).setChannel(Channel.CHANNEL_STAFFED_LANE).build(), key));
      }
    });
  }

  /** The stores of these per-store keys. */
  static Lanes withKeys(Map<String, String> keyByStore) {
    Map<String, Optional<String>> keys = new LinkedHashMap<>();
    keyByStore.forEach((store, key) -> keys.put(store, Optional.of(key)));
    return new Lanes(keys);
  }

  /**
   * From --api-key values: "STORE=KEY" gives that store's lanes that key (and only stores
   * with a key sell); a plain "KEY" is sent by stores store-1..store-{@code stores}, as is
   * no key at all when none is given.
   */
  static Lanes fromOptions(List<String> apiKeys, int stores) {
    Map<String, Optional<String>> keys = new LinkedHashMap<>();
    Optional<String> shared = Optional.empty();
    for (String value : apiKeys) {
      int eq = value.indexOf('=');
      if (eq > 0) {
        keys.put(value.substring(0, eq), Optional.of(value.substring(eq + 1)));
      } else {
        shared = Optional.of(value);
      }
    }
    if (keys.isEmpty()) {
      for (int store = 1; store <= stores; store++) {
        keys.put(storeId(store), shared);
      }
    }
    return new Lanes(keys);
  }

  static String storeId(int n) {
    return "store-" + n;
  }

  /** A lane, uniformly at random. */
  Lane pick() {
    return lanes.get(ThreadLocalRandom.current().nextInt(lanes.size()));
  }

  int stores() {
    return lanes.size() / LANES_PER_STORE;
  }
}
