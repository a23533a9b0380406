package com.posloyalty.server;

import com.posloyalty.server.domain.Origin;
import com.posloyalty.server.wiring.ServerComponent;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.BirthDate;
import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.PointOfSale;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo program the embedded default loads once: rules, tiers, rewards, three members
 * with a purchase history. Members are enrolled and sales committed through the real
 * flows with fixed idempotency keys, so seeding twice changes nothing.
 */
final class DemoData {

  private static final Logger log = LoggerFactory.getLogger(DemoData.class);
  static final Origin ORIGIN = new Origin("store-1", "lane-1", "STAFFED_LANE", "");

  private DemoData() {}

  static void seed(ServerComponent component) {
    try (Connection c = component.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE program SET display_name = 'Demo Rewards', welcome_bonus_points = 100,"
          + " birthday_bonus_points = 200, referral_bonus_points = 250, points_expiry_months = 24,"
          + " kiosk_approval_threshold = 2000, tender_min_points = 100, tender_max_share_bp = 5000"
          + " WHERE program_id = 'default' AND display_name = 'Loyalty'");
      s.execute("INSERT INTO tiers VALUES ('silver', 'Silver', 1, 50000, 12500),"
          + " ('gold', 'Gold', 2, 150000, 15000) ON CONFLICT DO NOTHING");
      s.execute("INSERT INTO earning_rules (rule_id, kind, match_value, multiplier_bp, display_name)"
          + " VALUES ('no-tobacco', 'EXCLUDED_CATEGORY', 'tobacco', 10000, 'Tobacco'),"
          + " ('no-giftcards', 'EXCLUDED_CATEGORY', 'giftcards', 10000, 'Gift cards'),"
          + " ('no-lottery', 'EXCLUDED_CATEGORY', 'lottery', 10000, 'Lottery'),"
          + " ('organic-x2', 'CATEGORY_MULTIPLIER', 'organic', 20000, 'Organic'),"
          + " ('coffee-x3', 'SKU_MULTIPLIER', 'COFFEE-1KG', 30000, 'Coffee beans')"
          + " ON CONFLICT DO NOTHING");
      s.execute("INSERT INTO rewards (reward_id, display_name, description, points_cost, kind,"
          + " amount_off_minor, free_sku, state, created_at, updated_at) VALUES"
          + " ('rwd-coffee', 'Free coffee', 'A cup of filter coffee', 300, 'FREE_ITEM', 0,"
          + " 'COFFEE-CUP', 'ACTIVE', now(), now()),"
          + " ('rwd-5off', '5.00 off', '5.00 off your basket', 500, 'AMOUNT_OFF', 500, NULL,"
          + " 'ACTIVE', now(), now()) ON CONFLICT DO NOTHING");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed the demo program: " + e.getMessage(), e);
    }
    EnrollMemberResponse ada = enroll(component, 1, "Ada", "Lovelace", "+4915100000001",
        "ada@example.com", 12);
    enroll(component, 2, "Grace", "Hopper", "+4915100000002", "grace@example.com", 12);
    enroll(component, 3, "Alan", "Turing", "+4915100000003", "alan@example.com", 6);
    component.commit().commit(CommitTransactionRequest.newBuilder()
        .setPointOfSale(pos())
        .setPosTransactionId("demo-sale-1")
        .setMemberId(ada.getMember().getMemberId())
        .setBasket(Basket.newBuilder().setCurrencyCode("EUR")
            .addLines(BasketLine.newBuilder().setLineId("1").setSku("MILK-1L")
                .setCategory("dairy").setQuantity(2).setUnitPriceMinor(119))
            .addLines(BasketLine.newBuilder().setLineId("2").setSku("COFFEE-1KG")
                .setCategory("coffee").setQuantity(1).setUnitPriceMinor(1499))
            .addLines(BasketLine.newBuilder().setLineId("3").setSku("APPLES-ORG")
                .setCategory("organic").setQuantity(1).setUnitPriceMinor(349)))
        .build(), ORIGIN);
    log.info("Demo program loaded: members with phones +4915100000001..3"
        + " (e.g. identify --phone +4915100000001)");
  }

  private static EnrollMemberResponse enroll(ServerComponent component, int n, String given,
      String family, String phone, String email, int birthMonth) {
    return component.enroll().enroll(EnrollMemberRequest.newBuilder()
        .setRequestId("demo-enroll-" + n)
        .setPointOfSale(pos())
        .setGivenName(given)
        .setFamilyName(family)
        .setPhone(phone)
        .setEmail(email)
        .setBirthDate(BirthDate.newBuilder().setMonth(birthMonth).setDay(10))
        .setMarketingConsent(true)
        .build(), ORIGIN);
  }

  private static PointOfSale pos() {
    return PointOfSale.newBuilder().setStoreId(ORIGIN.storeId())
        .setTerminalId(ORIGIN.terminalId()).setChannel(Channel.CHANNEL_STAFFED_LANE).build();
  }
}
