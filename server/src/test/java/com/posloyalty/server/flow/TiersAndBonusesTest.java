package com.posloyalty.server.flow;

import static com.posloyalty.server.testing.Baskets.eur;
import static com.posloyalty.server.testing.Baskets.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.BirthDate;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.VerifyLedgerRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Birthday and referral bonuses, and the scheduled tier downgrade, on a controlled clock. */
class TiersAndBonusesTest {

  static final PointOfSale LANE = TestServer.lane("s1", "lane-1");
  private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("tiers", clock, Map.of(),
        "UPDATE program SET birthday_bonus_points = 200, referral_bonus_points = 250",
        "INSERT INTO tiers VALUES ('silver', 'Silver', 1, 10000, 15000)");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static EnrollMemberResponse enroll(String id, String phone, int birthMonth, String referrer) {
    return server.checkout().enrollMember(EnrollMemberRequest.newBuilder().setRequestId(id)
        .setPointOfSale(LANE).setGivenName("B").setPhone(phone).setReferrer(referrer)
        .setBirthDate(BirthDate.newBuilder().setMonth(birthMonth).setDay(15)).build());
  }

  static Receipt commit(String posId, String member, long price) {
    return server.checkout().commitTransaction(CommitTransactionRequest.newBuilder()
        .setPointOfSale(LANE).setPosTransactionId(posId).setMemberId(member)
        .setBasket(eur(line("1", "X", "", 1, price))).build()).getReceipt();
  }

  static MemberSummary identify(String member) {
    return server.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
        .setPointOfSale(LANE).setMemberId(member).build()).getMember();
  }

  @Test
  void birthdayBonusIsPaidOnceAYearAtTheFirstPurchaseOfTheMonth() {
    String member = enroll("bday", "+4915100000501", 3, "").getMember().getMemberId();
    Receipt first = commit("b-1", member, 1000);
    assertThat(first.getEarning().getBasketBonusesList()).extracting(b -> b.getPoints())
        .containsExactly(200L);
    assertThat(first.getEarning().getTotalPoints()).isEqualTo(210);
    assertThat(commit("b-2", member, 1000).getEarning().getTotalPoints()).isEqualTo(10);
  }

  @Test
  void theReferrerEarnsOnceWhenTheReferredMemberFirstBuys() {
    EnrollMemberResponse referrer = enroll("ref-a", "+4915100000502", 7, "");
    String referred = enroll("ref-b", "+4915100000503", 7, referrer.getCardNumber())
        .getMember().getMemberId();
    String referrerId = referrer.getMember().getMemberId();
    assertThat(identify(referrerId).getAvailablePoints()).isZero();
    commit("r-1", referred, 500);
    assertThat(identify(referrerId).getAvailablePoints()).isEqualTo(250);
    commit("r-2", referred, 500);
    assertThat(identify(referrerId).getAvailablePoints()).isEqualTo(250);
  }

  @Test
  void tiersRiseAtTheCommitAndFallOnlyAtTheScheduledEvaluation() {
    String member = enroll("tier", "+4915100000504", 8, "").getMember().getMemberId();
    assertThat(commit("t-1", member, 12000).getTierUpgraded()).isTrue();
    assertThat(server.app().component().jobs().evaluateTiers()).isZero();
    clock.advance(Duration.ofDays(200));
    assertThat(identify(member).getTier().getTierId()).isEqualTo("silver");
    clock.advance(Duration.ofDays(166));
    // Spend has left the 365-day window, but nothing changes until the evaluation runs.
    assertThat(identify(member).getTier().getTierId()).isEqualTo("silver");
    assertThat(server.app().component().jobs().evaluateTiers()).isEqualTo(1);
    assertThat(identify(member).getTier().getTierId()).isEqualTo("member");
    assertThat(server.app().component().jobs().evaluateTiers()).isZero();
    assertThat(server.queryLong("SELECT count(*) FROM audit_log WHERE member_id = '" + member
        + "' AND action = 'TIER_DOWNGRADED'")).isEqualTo(1);
    assertThat(server.memberAdmin().verifyLedger(VerifyLedgerRequest.getDefaultInstance())
        .getMismatchCount()).isZero();
  }
}
