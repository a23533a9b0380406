package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.fields;
import static com.posloyalty.server.testing.GrpcErrors.info;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.CommitTransactionResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.LinePoints;
import com.posloyalty.v1.MemberStatus;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.PointsComponentKind;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.QuoteBasketResponse;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnItemsResponse;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import com.posloyalty.v1.VerifyLedgerRequest;
import com.posloyalty.v1.VoidTransactionRequest;
import com.posloyalty.v1.VoidTransactionResponse;
import io.grpc.Status;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lane's whole checkout over gRPC against real PostgreSQL and Redis, exact values. */
class CheckoutFlowTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static TestServer server;
  private static final AtomicInteger seq = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("checkout", Clock.systemUTC(), Map.of(),
        "UPDATE program SET welcome_bonus_points = 100",
        "INSERT INTO tiers VALUES ('silver', 'Silver', 1, 10000, 15000)",
        "INSERT INTO earning_rules (rule_id, kind, match_value, multiplier_bp, display_name) VALUES"
            + " ('no-tobacco', 'EXCLUDED_CATEGORY', 'tobacco', 10000, 'Tobacco'),"
            + " ('organic', 'CATEGORY_MULTIPLIER', 'organic', 20000, 'Organic'),"
            + " ('coffee', 'SKU_MULTIPLIER', 'COFFEE', 30000, 'Coffee')");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void ledgerStillMatchesBalances() {
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }

  static EnrollMemberResponse enroll(String phone, String email) {
    return server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
        .setRequestId("enroll-" + seq.incrementAndGet()).setPointOfSale(LANE)
        .setGivenName("Ada").setFamilyName("Lovelace").setPhone(phone).setEmail(email).build());
  }

  static CommitTransactionResponse commit(String posId, String memberId, Basket basket) {
    return server.checkout().commitTransaction(CommitTransactionRequest.newBuilder()
        .setPointOfSale(LANE).setPosTransactionId(posId).setMemberId(memberId)
        .setBasket(basket).build());
  }

  @Test
  void enrolledMemberIsFoundByEveryIdentifier() {
    EnrollMemberResponse enrolled = enroll("0151 2345 6701", "Ada.L@Example.com ");
    String id = enrolled.getMember().getMemberId();
    assertThat(enrolled.getWelcomeBonusPoints()).isEqualTo(100);
    assertThat(enrolled.getMember().getAvailablePoints()).isEqualTo(100);
    for (IdentifyMemberRequest.Builder by : new IdentifyMemberRequest.Builder[] {
        IdentifyMemberRequest.newBuilder().setPhone("+49 151 23456701"),
        IdentifyMemberRequest.newBuilder().setPhone("0049-151-23456701"),
        IdentifyMemberRequest.newBuilder().setEmail("ada.l@example.com"),
        IdentifyMemberRequest.newBuilder().setCardNumber(enrolled.getCardNumber()),
        IdentifyMemberRequest.newBuilder().setMemberId(id)}) {
      MemberSummary m = server.checkout().identifyMember(by.setPointOfSale(LANE).build()).getMember();
      assertThat(m.getMemberId()).isEqualTo(id);
      assertThat(m.getDisplayName()).isEqualTo("Ada");
      assertThat(m.getStatus()).isEqualTo(MemberStatus.MEMBER_STATUS_ACTIVE);
      assertThat(m.getTier().getTierId()).isEqualTo("member");
      assertThat(m.getAvailablePoints()).isEqualTo(100);
      assertThat(m.getHeldPoints()).isZero();
    }
  }

  @Test
  void mistypedCardNumberIsRefusedWithoutALookup() {
    String card = enroll("+4915123456702", "").getCardNumber();
    char last = card.charAt(card.length() - 1);
    String wrong = card.substring(0, card.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
    var e = expect(Status.Code.INVALID_ARGUMENT, () -> server.checkout().identifyMember(
        IdentifyMemberRequest.newBuilder().setPointOfSale(LANE).setCardNumber(wrong).build()));
    assertThat(reason(e)).isEqualTo("CARD_CHECK_DIGIT_INVALID");
    assertThat(fields(e)).containsExactly("card_number");
  }

  @Test
  void duplicatePhoneNamesTheExistingMember() {
    String first = enroll("+4915123456703", "").getMember().getMemberId();
    var e = expect(Status.Code.ALREADY_EXISTS, () -> enroll("0151 23456703", "x@example.com"));
    assertThat(reason(e)).isEqualTo("DUPLICATE_PHONE");
    assertThat(info(e).getMetadataMap()).containsEntry("member_id", first);
    var byEmail = expect(Status.Code.ALREADY_EXISTS, () -> {
      enroll("+4915123456704", "dup@example.com");
      enroll("+4915123456705", "DUP@example.com");
    });
    assertThat(reason(byEmail)).isEqualTo("DUPLICATE_EMAIL");
  }

  @Test
  void enrolmentIsIdempotentByRequestId() {
    EnrollMemberRequest request = EnrollMemberRequest.newBuilder().setRequestId("same-enrol")
        .setPointOfSale(LANE).setGivenName("Grace").setPhone("+4915123456706").build();
    EnrollMemberResponse first = server.checkout().enrollMember(request);
    EnrollMemberResponse again = server.checkout().enrollMember(request);
    assertThat(again).isEqualTo(first);
    var e = expect(Status.Code.ALREADY_EXISTS, () -> server.checkout().enrollMember(
        request.toBuilder().setGivenName("Other").build()));
    assertThat(reason(e)).isEqualTo("REQUEST_ID_REUSED");
    assertThat(server.queryLong("SELECT count(*) FROM members WHERE phone_e164 = '+4915123456706'"))
        .isEqualTo(1);
  }

  @Test
  void quoteAndCommitExplainEveryPointTheSameWay() {
    String member = enroll("+4915123456707", "").getMember().getMemberId();
    BasketLine coffee = line("4", "COFFEE", "coffee", 1, 1000).toBuilder().setDiscountMinor(100).build();
    Basket basket = eur(line("1", "MILK", "dairy", 2, 199), line("2", "APPLES", "organic", 1, 450),
        line("3", "CIGS", "tobacco", 1, 1000), coffee);
    QuoteBasketResponse quote = server.checkout().quoteBasket(QuoteBasketRequest.newBuilder()
        .setPointOfSale(LANE).setMemberId(member).setBasket(basket).build());
    // milk 3.98 → 3; apples 4.50 → 4 + 4 organic; tobacco excluded; coffee 9.00 → 9 + 18.
    assertThat(quote.getEarning().getLinesList()).extracting(LinePoints::getPoints)
        .containsExactly(3L, 8L, 0L, 27L);
    assertThat(quote.getEarning().getTotalPoints()).isEqualTo(38);
    assertThat(quote.getEarning().getLines(2).getExcluded()).isTrue();
    assertThat(quote.getEarning().getLines(3).getComponentsList())
        .extracting(c -> c.getKind() + "=" + c.getPoints())
        .containsExactly("POINTS_COMPONENT_KIND_BASE=9", "POINTS_COMPONENT_KIND_MULTIPLIER=18");
    assertThat(quote.getEarning().getEligibleSpend().getAmountMinor()).isEqualTo(398 + 450 + 900);

    CommitTransactionResponse committed = commit("sale-1", member, basket);
    assertThat(committed.getReplayed()).isFalse();
    assertThat(committed.getReceipt().getEarning()).isEqualTo(quote.getEarning());
    assertThat(committed.getReceipt().getAvailablePoints()).isEqualTo(138);

    CommitTransactionResponse replay = commit("sale-1", member, basket);
    assertThat(replay.getReplayed()).isTrue();
    assertThat(replay.getReceipt()).isEqualTo(committed.getReceipt());
    var reused = expect(Status.Code.ALREADY_EXISTS, () -> commit("sale-1", member,
        eur(line("1", "MILK", "dairy", 3, 199))));
    assertThat(reason(reused)).isEqualTo("TRANSACTION_KEY_REUSED");
    assertThat(server.queryLong("SELECT available FROM balances WHERE member_id = '" + member + "'"))
        .isEqualTo(138);

    // What the commit wrote, once despite the replay: the lines in basket order, one lot
    // and one ledger entry for the 38 points, one event carrying the receipt.
    String txn = "'" + committed.getReceipt().getTransactionId() + "'";
    assertThat(server.queryLong("SELECT count(*) FROM transaction_lines WHERE transaction_id = "
        + txn)).isEqualTo(4);
    assertThat(server.queryLong("SELECT count(*) FROM transaction_lines WHERE transaction_id = "
        + txn + " AND ((line_no, line_id, sku, quantity, net_minor, eligible_minor, points) IN"
        + " ((0, '1', 'MILK', 2, 398, 398, 3), (1, '2', 'APPLES', 1, 450, 450, 8),"
        + " (2, '3', 'CIGS', 1, 1000, 0, 0), (3, '4', 'COFFEE', 1, 900, 900, 27)))"))
        .isEqualTo(4);
    assertThat(server.queryLong("SELECT count(*) FROM point_lots WHERE member_id = '" + member
        + "' AND points = 38 AND remaining = 38 AND reference_id = 'sale-1'")).isEqualTo(1);
    assertThat(server.queryLong("SELECT balance_after FROM ledger_entries WHERE member_id = '"
        + member + "' AND entry_type = 'EARN' AND points = 38 AND reference_id = 'sale-1'"
        + " AND store_id = 's1' AND terminal_id = 'lane-1'")).isEqualTo(138);
    assertThat(server.queryLong("SELECT count(*) FROM outbox_events WHERE member_id = '" + member
        + "' AND event_type = 'TRANSACTION_COMMITTED' AND store_id = 's1' AND payload = '\\x"
        + java.util.HexFormat.of().formatHex(committed.getReceipt().toByteArray()) + "'::bytea"))
        .isEqualTo(1);
  }

  @Test
  void theCommitThatCrossesTheThresholdUpgradesAndTheNextEarnsTheTierBonus() {
    String member = enroll("+4915123456708", "").getMember().getMemberId();
    CommitTransactionResponse first = commit("tier-1", member, eur(line("1", "TV", "", 1, 9000)));
    assertThat(first.getReceipt().getTierUpgraded()).isFalse();
    // The receipt's qualifying spend includes the sale it confirms.
    assertThat(first.getReceipt().getQualifyingSpend().getAmountMinor()).isEqualTo(9000);
    QuoteBasketResponse quote = server.checkout().quoteBasket(QuoteBasketRequest.newBuilder()
        .setPointOfSale(LANE).setMemberId(member).setBasket(eur(line("1", "X", "", 1, 1000))).build());
    assertThat(quote.getTierAfter().getTierId()).isEqualTo("silver");
    CommitTransactionResponse crossing = commit("tier-2", member, eur(line("1", "X", "", 1, 1000)));
    assertThat(crossing.getReceipt().getTierUpgraded()).isTrue();
    assertThat(crossing.getReceipt().getTier().getTierId()).isEqualTo("silver");
    assertThat(crossing.getReceipt().getQualifyingSpend().getAmountMinor()).isEqualTo(10000);
    assertThat(crossing.getReceipt().getEarning().getTotalPoints()).isEqualTo(10);
    CommitTransactionResponse next = commit("tier-3", member, eur(line("1", "X", "", 1, 1000)));
    assertThat(next.getReceipt().getEarning().getLines(0).getComponentsList())
        .extracting(c -> c.getKind() + "=" + c.getPoints())
        .containsExactly("POINTS_COMPONENT_KIND_BASE=10", "POINTS_COMPONENT_KIND_TIER_BONUS=5");
  }

  @Test
  void partialReturnsReverseProRataAndNeverMoreThanWasEarned() {
    String member = enroll("+4915123456709", "").getMember().getMemberId();
    commit("ret-1", member, eur(line("1", "COFFEE", "coffee", 3, 1000), line("2", "BREAD", "", 1, 250)));
    assertThat(balance(member)).isEqualTo(100 + 90 + 2);
    assertThat(returnLines("r1", "ret-1", "1", 1).getReceipt().getPointsReversed()).isEqualTo(30);
    ReturnItemsResponse second = returnLines("r2", "ret-1", "1", 1);
    assertThat(second.getReceipt().getPointsReversed()).isEqualTo(30);
    assertThat(returnLines("r2", "ret-1", "1", 1)).isEqualTo(second.toBuilder().setReplayed(true).build());
    var tooMany = expect(Status.Code.FAILED_PRECONDITION, () -> returnLines("r3", "ret-1", "1", 2));
    assertThat(reason(tooMany)).isEqualTo("RETURN_EXCEEDS_PURCHASE");
    assertThat(returnLines("r4", "ret-1", "1", 1).getReceipt().getPointsReversed()).isEqualTo(30);
    assertThat(returnLines("r5", "ret-1", "2", 1).getReceipt().getPointsReversed()).isEqualTo(2);
    var nothingLeft = expect(Status.Code.FAILED_PRECONDITION, () -> returnLines("r6", "ret-1", "2", 1));
    assertThat(reason(nothingLeft)).isEqualTo("RETURN_EXCEEDS_PURCHASE");
    assertThat(balance(member)).isEqualTo(100);
    var unknownLine = expect(Status.Code.NOT_FOUND, () -> returnLines("r7", "ret-1", "9", 1));
    assertThat(reason(unknownLine)).isEqualTo("LINE_NOT_FOUND");
  }

  @Test
  void voidReversesWhatReturnsLeftAndIsIdempotent() {
    String member = enroll("+4915123456710", "").getMember().getMemberId();
    commit("void-1", member, eur(line("1", "COFFEE", "coffee", 2, 1000), line("2", "MILK", "", 1, 500)));
    assertThat(balance(member)).isEqualTo(100 + 60 + 5);
    returnLines("vr1", "void-1", "1", 1);
    VoidTransactionResponse voided = voidSale("void-1");
    assertThat(voided.getReceipt().getPointsReversed()).isEqualTo(30 + 5);
    assertThat(voided.getReceipt().getLinesList()).extracting(l -> l.getLineId() + "x" + l.getQuantity())
        .containsExactly("1x1", "2x1");
    assertThat(balance(member)).isEqualTo(100);
    VoidTransactionResponse again = voidSale("void-1");
    assertThat(again.getReplayed()).isTrue();
    assertThat(again.getReceipt()).isEqualTo(voided.getReceipt());
    var afterVoid = expect(Status.Code.FAILED_PRECONDITION, () -> returnLines("vr2", "void-1", "2", 1));
    assertThat(reason(afterVoid)).isEqualTo("TRANSACTION_VOIDED");
    assertThat(balance(member)).isEqualTo(100);
  }

  @Test
  void aReturnBeyondTheBalanceIsCappedAndTheShortfallRecorded() {
    String member = enroll("+4915123456711", "").getMember().getMemberId();
    commit("cap-1", member, eur(line("1", "COFFEE", "coffee", 1, 1000)));
    server.sql("INSERT INTO ledger_entries (member_id, entry_type, points, balance_after, created_at,"
        + " occurred_at, description, actor) VALUES ('" + member + "', 'ADJUSTMENT', -120, 10, now(),"
        + " now(), 'test correction', 'operator:test')",
        "UPDATE balances SET available = available - 120 WHERE member_id = '" + member + "'",
        "UPDATE point_lots SET remaining = 0 WHERE member_id = '" + member + "'",
        "UPDATE point_lots SET remaining = 10 WHERE lot_id = (SELECT max(lot_id) FROM point_lots"
            + " WHERE member_id = '" + member + "')");
    ReturnItemsResponse r = returnLines("cap-r1", "cap-1", "1", 1);
    assertThat(r.getReceipt().getPointsReversed()).isEqualTo(10);
    assertThat(r.getReceipt().getShortfallPoints()).isEqualTo(20);
    assertThat(r.getReceipt().getAvailablePoints()).isZero();
    assertThat(balance(member)).isZero();
  }

  @Test
  void blockedMemberIsReportedAsBlockedAndCannotEarn() {
    EnrollMemberResponse enrolled = enroll("+4915123456712", "");
    String member = enrolled.getMember().getMemberId();
    server.sql("UPDATE members SET status = 'BLOCKED' WHERE member_id = '" + member + "'");
    server.flushCache();
    MemberSummary seen = server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(LANE).setCardNumber(enrolled.getCardNumber()).build()).getMember();
    var refused = expect(Status.Code.FAILED_PRECONDITION,
        () -> commit("blocked-1", member, eur(line("1", "X", "", 1, 1000))));
    assertThat(reason(refused)).isEqualTo("MEMBER_NOT_ACTIVE");
    assertThat(server.queryLong("SELECT count(*) FROM transactions WHERE pos_transaction_id = 'blocked-1'"))
        .isZero();
    assertThat(seen.getMemberId()).isEqualTo(member);
    assertThat(seen.getStatus()).isEqualTo(MemberStatus.MEMBER_STATUS_BLOCKED);
  }

  static ReturnItemsResponse returnLines(String returnId, String posId, String lineId, long qty) {
    return server.checkout().returnItems(ReturnItemsRequest.newBuilder().setPointOfSale(LANE)
        .setReturnId(returnId).setOriginal(key(posId))
        .addLines(ReturnLine.newBuilder().setLineId(lineId).setQuantity(qty)).build());
  }

  static VoidTransactionResponse voidSale(String posId) {
    return server.checkout().voidTransaction(VoidTransactionRequest.newBuilder()
        .setPointOfSale(LANE).setOriginal(key(posId)).setReason("customer changed mind").build());
  }

  static TransactionKey key(String posId) {
    return TransactionKey.newBuilder().setStoreId("s1").setTerminalId("lane-1")
        .setPosTransactionId(posId).build();
  }

  static long balance(String member) {
    return server.checkout().identifyMember(IdentifyMemberRequest.newBuilder().setPointOfSale(LANE)
        .setMemberId(member).build()).getMember().getAvailablePoints();
  }
}
