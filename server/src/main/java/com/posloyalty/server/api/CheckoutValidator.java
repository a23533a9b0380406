package com.posloyalty.server.api;

import com.google.protobuf.Timestamp;
import com.posloyalty.server.domain.Origin;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.ReleaseRedemptionRequest;
import com.posloyalty.v1.ReserveRedemptionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VoidTransactionRequest;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.Set;

/**
 * The edge checks of every CheckoutService request: shape, lengths and ranges, before
 * any service code runs. Limits here are the documented ones in the proto; rules that
 * depend on the program (currency, basket size) are checked by the flows.
 */
final class CheckoutValidator {

  static final int MAX_ID = 64;
  /** Hard cap on basket lines whatever the program says (the program's own limit is lower). */
  static final int MAX_LINES = 1000;
  static final long MAX_QUANTITY = 100_000;
  static final long MAX_UNIT_PRICE = 100_000_000_000L;
  static final long MAX_POINTS = 1_000_000_000_000L;
  static final int MAX_RESERVATIONS = 20;

  private CheckoutValidator() {}

  static Origin origin(PointOfSale pos) {
    return new Origin(pos.getStoreId(), pos.getTerminalId(),
        pos.getChannel().name().substring("CHANNEL_".length()), pos.getOperatorId());
  }

  static void identify(IdentifyMemberRequest r) {
    Violations v = new Violations();
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    switch (r.getIdentifierCase()) {
      case CARD_NUMBER -> v.text("card_number", r.getCardNumber(), 1, 32);
      case PHONE -> v.text("phone", r.getPhone(), 1, 32);
      case EMAIL -> v.text("email", r.getEmail(), 1, 254);
      case MEMBER_ID -> v.id("member_id", r.getMemberId(), MAX_ID);
      case APP_TOKEN -> v.text("app_token", r.getAppToken(), 1, 2048);
      case IDENTIFIER_NOT_SET -> v.add("identifier",
          "one of card_number, phone, email, member_id, app_token is required", "FIELD_REQUIRED");
    }
    v.check();
  }

  static void enroll(EnrollMemberRequest r) {
    Violations v = new Violations();
    v.id("request_id", r.getRequestId(), MAX_ID);
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    if (r.getPhone().isBlank() && r.getEmail().isBlank()) {
      v.add("phone", "phone or email is required", "CONTACT_REQUIRED");
    }
    v.text("phone", r.getPhone(), 0, 32);
    v.text("email", r.getEmail(), 0, 254);
    v.text("given_name", r.getGivenName(), 1, 100);
    v.text("family_name", r.getFamilyName(), 0, 100);
    v.text("referrer", r.getReferrer(), 0, MAX_ID);
    if (r.hasBirthDate()) {
      int year = r.getBirthDate().getYear();
      int month = r.getBirthDate().getMonth();
      int day = r.getBirthDate().getDay();
      boolean yearValid = year == 0 || (year >= 1900 && year <= 2100);
      if (!yearValid) {
        v.add("birth_date.year", "must be 0 or between 1900 and 2100");
      }
      if (month < 1 || month > 12) {
        v.add("birth_date.month", "must be between 1 and 12");
      } else if (day < 1
          || day > YearMonth.of(yearValid && year != 0 ? year : 2000, month).lengthOfMonth()) {
        v.add("birth_date.day", "is not a day of that month");
      }
    }
    if (r.hasConsentTime()) {
      timestamp(v, "consent_time", r.getConsentTime());
    }
    v.check();
  }

  static void quote(QuoteBasketRequest r) {
    Violations v = new Violations();
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    v.id("member_id", r.getMemberId(), MAX_ID);
    basket(v, r.hasBasket(), r.getBasket());
    v.check();
  }

  static void commit(CommitTransactionRequest r) {
    Violations v = new Violations();
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    v.id("pos_transaction_id", r.getPosTransactionId(), MAX_ID);
    v.id("member_id", r.getMemberId(), MAX_ID);
    basket(v, r.hasBasket(), r.getBasket());
    if (r.getReservationIdsCount() > MAX_RESERVATIONS) {
      v.add("reservation_ids", "at most " + MAX_RESERVATIONS + " reservations per sale");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < r.getReservationIdsCount() && i < MAX_RESERVATIONS; i++) {
      v.id("reservation_ids[" + i + "]", r.getReservationIds(i), MAX_ID);
      if (!seen.add(r.getReservationIds(i))) {
        v.add("reservation_ids[" + i + "]", "is named twice");
      }
    }
    if (r.hasOccurTime()) {
      timestamp(v, "occur_time", r.getOccurTime());
    }
    v.check();
  }

  static void returnItems(ReturnItemsRequest r) {
    Violations v = new Violations();
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    v.id("return_id", r.getReturnId(), MAX_ID);
    transactionKey(v, r.hasOriginal(), r.getOriginal());
    if (r.getLinesCount() == 0) {
      v.add("lines", "at least one line is required", "FIELD_REQUIRED");
    } else if (r.getLinesCount() > MAX_LINES) {
      v.add("lines", "at most " + MAX_LINES + " lines", "BASKET_TOO_LARGE");
    } else {
      for (int i = 0; i < r.getLinesCount(); i++) {
        ReturnLine line = r.getLines(i);
        v.id("lines[" + i + "].line_id", line.getLineId(), MAX_ID);
        v.range("lines[" + i + "].quantity", line.getQuantity(), 1, MAX_QUANTITY);
      }
    }
    v.check();
  }

  static void voidTransaction(VoidTransactionRequest r) {
    Violations v = new Violations();
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    transactionKey(v, r.hasOriginal(), r.getOriginal());
    v.text("reason", r.getReason(), 0, 200);
    v.check();
  }

  static void reserve(ReserveRedemptionRequest r) {
    Violations v = new Violations();
    v.id("request_id", r.getRequestId(), MAX_ID);
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    v.id("member_id", r.getMemberId(), MAX_ID);
    switch (r.getRedemptionCase()) {
      case REWARD_ID -> v.id("reward_id", r.getRewardId(), MAX_ID);
      case POINTS_TENDER -> {
        v.range("points_tender.points", r.getPointsTender().getPoints(), 1, MAX_POINTS);
        if (!r.getPointsTender().hasBasketTotal()) {
          v.required("points_tender.basket_total");
        } else {
          currency(v, "points_tender.basket_total.currency_code",
              r.getPointsTender().getBasketTotal().getCurrencyCode());
          v.range("points_tender.basket_total.amount_minor",
              r.getPointsTender().getBasketTotal().getAmountMinor(), 1, Long.MAX_VALUE / 2);
        }
      }
      case REDEMPTION_NOT_SET -> v.add("redemption", "reward_id or points_tender is required",
          "FIELD_REQUIRED");
    }
    v.text("approval_code", r.getApprovalCode(), 0, MAX_ID);
    v.check();
  }

  static void release(ReleaseRedemptionRequest r) {
    Violations v = new Violations();
    pointOfSale(v, r.hasPointOfSale(), r.getPointOfSale());
    v.id("reservation_id", r.getReservationId(), MAX_ID);
    v.check();
  }

  private static void pointOfSale(Violations v, boolean present, PointOfSale pos) {
    if (!present) {
      v.required("point_of_sale");
      return;
    }
    v.id("point_of_sale.store_id", pos.getStoreId(), MAX_ID);
    v.id("point_of_sale.terminal_id", pos.getTerminalId(), MAX_ID);
    if (pos.getChannel() == Channel.CHANNEL_UNSPECIFIED || pos.getChannel() == Channel.UNRECOGNIZED) {
      v.add("point_of_sale.channel", "must be a known channel", "CHANNEL_INVALID");
    }
    v.text("point_of_sale.operator_id", pos.getOperatorId(), 0, MAX_ID);
  }

  private static void transactionKey(Violations v, boolean present, TransactionKey key) {
    if (!present) {
      v.required("original");
      return;
    }
    v.id("original.store_id", key.getStoreId(), MAX_ID);
    v.id("original.terminal_id", key.getTerminalId(), MAX_ID);
    v.id("original.pos_transaction_id", key.getPosTransactionId(), MAX_ID);
  }

  private static void basket(Violations v, boolean present, Basket basket) {
    if (!present || basket.getLinesCount() == 0) {
      v.add("basket.lines", "the basket is empty", "EMPTY_BASKET");
      return;
    }
    currency(v, "basket.currency_code", basket.getCurrencyCode());
    if (basket.getLinesCount() > MAX_LINES) {
      v.add("basket.lines", "at most " + MAX_LINES + " lines", "BASKET_TOO_LARGE");
      return;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < basket.getLinesCount(); i++) {
      BasketLine line = basket.getLines(i);
      String at = "basket.lines[" + i + "].";
      v.id(at + "line_id", line.getLineId(), MAX_ID);
      if (!ids.add(line.getLineId())) {
        v.add(at + "line_id", "is not unique in the basket", "DUPLICATE_LINE");
      }
      v.text(at + "sku", line.getSku(), 1, MAX_ID);
      v.text(at + "category", line.getCategory(), 0, MAX_ID);
      v.range(at + "quantity", line.getQuantity(), 1, MAX_QUANTITY);
      v.range(at + "unit_price_minor", line.getUnitPriceMinor(), 0, MAX_UNIT_PRICE);
      long gross = line.getQuantity() >= 1 && line.getQuantity() <= MAX_QUANTITY
          && line.getUnitPriceMinor() >= 0 && line.getUnitPriceMinor() <= MAX_UNIT_PRICE
          ? line.getQuantity() * line.getUnitPriceMinor() : 0;
      v.range(at + "discount_minor", line.getDiscountMinor(), 0, gross);
    }
  }

  private static void currency(Violations v, String field, String code) {
    if (!code.matches("[A-Z]{3}")) {
      v.add(field, "must be an ISO-4217 code such as EUR", "CURRENCY_INVALID");
    }
  }

  private static void timestamp(Violations v, String field, Timestamp ts) {
    if (ts.getSeconds() < 0 || ts.getSeconds() > 253402300799L || ts.getNanos() < 0
        || ts.getNanos() > 999_999_999) {
      v.add(field, "is not a valid timestamp");
    }
  }
}
