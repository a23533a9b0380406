package com.posloyalty.server.testing;

import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;

/** Basket builders for tests. */
public final class Baskets {

  private Baskets() {}

  public static BasketLine line(String id, String sku, String category, long qty, long unitPrice) {
    return BasketLine.newBuilder().setLineId(id).setSku(sku).setCategory(category)
        .setQuantity(qty).setUnitPriceMinor(unitPrice).build();
  }

  public static Basket eur(BasketLine... lines) {
    Basket.Builder b = Basket.newBuilder().setCurrencyCode("EUR");
    for (BasketLine l : lines) {
      b.addLines(l);
    }
    return b.build();
  }
}
