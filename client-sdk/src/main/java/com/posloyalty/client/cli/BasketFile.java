package com.posloyalty.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A basket as the CLI reads it from a JSON file:
 * {@code {"currency":"EUR","lines":[{"lineId":"1","sku":"...","category":"...","quantity":2,
 * "unitPriceMinor":199,"discountMinor":0}]}} ({@code category} and {@code discountMinor} may be
 * left out). Unknown fields are refused, so a misspelt field is not silently ignored.
 *
 * @param currency ISO-4217 code of every price
 * @param lines the basket lines
 */
record BasketFile(String currency, List<Line> lines) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One basket line; prices in minor units of the currency.
   *
   * @param lineId unique within the basket
   * @param sku the product
   * @param category the retailer's category, may be empty
   * @param quantity units sold
   * @param unitPriceMinor price of one unit
   * @param discountMinor discount the POS gave on the line
   */
  record Line(String lineId, String sku, String category, long quantity, long unitPriceMinor,
      long discountMinor) {}

  /** Reads {@code file} into the API's basket. */
  static Basket read(Path file) throws IOException {
    BasketFile basket;
    try {
      basket = JSON.readValue(file.toFile(), BasketFile.class);
    } catch (JsonProcessingException e) {
      throw new IOException("basket file " + file + " is not valid: " + e.getOriginalMessage()
          + " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")", e);
    }
    if (basket.currency() == null || basket.lines() == null || basket.lines().isEmpty()) {
      throw new IOException("basket file " + file + " needs a \"currency\" and at least one line");
    }
    return basket.toProto();
  }

  private Basket toProto() {
    Basket.Builder basket = Basket.newBuilder().setCurrencyCode(currency);
    for (Line line : lines) {
      basket.addLines(BasketLine.newBuilder()
          .setLineId(nullToEmpty(line.lineId()))
          .setSku(nullToEmpty(line.sku()))
          .setCategory(nullToEmpty(line.category()))
          .setQuantity(line.quantity())
          .setUnitPriceMinor(line.unitPriceMinor())
          .setDiscountMinor(line.discountMinor()));
    }
    return basket.build();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
