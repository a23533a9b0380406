package com.posloyalty.loadtest;

import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.BasketOrBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Supermarket baskets for the checkout scenario: 3 to 12 lines from a small catalogue
 * that includes excluded categories (tobacco, gift cards) and multiplier candidates
 * (organic, coffee), at least 10.00 EUR each. Line "1" always exists, so a return can
 * name it.
 */
final class LaneBaskets {

  static final String CURRENCY = "EUR";
  private static final long MIN_TOTAL_MINOR = 1000;
  private static final Object[][] CATALOGUE = {
      {"MILK-1L", "dairy", 119L}, {"BREAD-RYE", "bakery", 249L},
      {"APPLES-ORG", "organic", 349L}, {"COFFEE-1KG", "coffee", 1499L},
      {"BANANAS", "produce", 179L}, {"CIGARETTES-20", "tobacco", 850L},
      {"WATER-6PK", "drinks", 399L}, {"GOUDA-400G", "dairy", 329L},
      {"PASTA-500G", "pantry", 129L}, {"OLIVE-OIL", "pantry", 699L},
      {"YOGURT-ORG", "organic", 89L}, {"GIFTCARD-25", "giftcards", 2500L},
      {"TOMATOES", "produce", 229L}, {"CHOCOLATE", "sweets", 149L}};

  private LaneBaskets() {}

  static List<Basket> generate(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Basket> baskets = new ArrayList<>(count);
    for (int b = 0; b < count; b++) {
      Basket.Builder basket = Basket.newBuilder().setCurrencyCode(CURRENCY);
      int lines = 3 + random.nextInt(10);
      for (int line = 1; line <= lines || total(basket) < MIN_TOTAL_MINOR; line++) {
        Object[] item = CATALOGUE[random.nextInt(CATALOGUE.length)];
        basket.addLines(BasketLine.newBuilder().setLineId(Integer.toString(line))
            .setSku((String) item[0]).setCategory((String) item[1])
            .setQuantity(1 + random.nextInt(3)).setUnitPriceMinor((Long) item[2]));
      }
      baskets.add(basket.build());
    }
    return baskets;
  }

  /** What the customer pays before loyalty: the sum of quantity × unit price − discount. */
  static long total(BasketOrBuilder basket) {
    return basket.getLinesList().stream()
        .mapToLong(l -> l.getQuantity() * l.getUnitPriceMinor() - l.getDiscountMinor()).sum();
  }
}
