package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.ActivateOfferRequest;
import com.posloyalty.v1.AdjustPointsRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EraseMemberRequest;
import com.posloyalty.v1.ExportMemberDataRequest;
import com.posloyalty.v1.GetMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.IssueAppTokenRequest;
import com.posloyalty.v1.IssueAppTokenResponse;
import com.posloyalty.v1.ListLedgerEntriesRequest;
import com.posloyalty.v1.ListMemberOffersRequest;
import com.posloyalty.v1.MergeMembersRequest;
import com.posloyalty.v1.RecordFeedbackRequest;
import com.posloyalty.v1.ReplaceCardRequest;
import com.posloyalty.v1.SearchMembersRequest;
import com.posloyalty.v1.SetMemberStatusRequest;
import com.posloyalty.v1.UpdateMemberRequest;
import com.posloyalty.v1.VerifyLedgerRequest;
import com.posloyalty.v1.VerifyLedgerResponse;
import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK's MemberAdminService calls against the real server with a back-office key: the two
 * the service implements in this release, and a clear {@code UNIMPLEMENTED} for the rest (and
 * for the offer calls of CheckoutService).
 */
class MemberAdminEndToEndTest {
  private static TestServer server;
  private static LoyaltyClient backOffice;
  private static LoyaltyClient lane;
  private static String member;

  @BeforeAll
  static void start() {
    server = TestServer.start("sdk_admin", Clock.systemUTC(), LaneFixtures.SERVER_SETTINGS);
    String target = LaneFixtures.target(server);
    backOffice = LaneFixtures.lane(target, server.apiKey()).build();
    lane = LaneFixtures.lane(target, LaneFixtures.laneKey(server)).build();
    member = lane.checkout().enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Ada")
        .setPhone("+4915100008001").build()).getMember().getMemberId();
    lane.checkout().commitTransaction(LaneFixtures.sale("pos-1", member, 42));
  }

  @AfterAll
  static void stop() {
    lane.close();
    backOffice.close();
    server.close();
  }

  @Test
  void anIssuedAppTokenIdentifiesTheMemberAtTheLane() throws Exception {
    Instant before = Instant.now();
    IssueAppTokenResponse blocking = backOffice.memberAdmin().issueAppToken(
        IssueAppTokenRequest.newBuilder().setMemberId(member)
            .setTtl(Duration.newBuilder().setSeconds(300)).build());
    IssueAppTokenResponse async = backOffice.memberAdminAsync().issueAppToken(
        IssueAppTokenRequest.newBuilder().setMemberId(member).build()).get(30, TimeUnit.SECONDS);

    assertThat(blocking.getExpireTime().getSeconds())
        .isBetween(before.getEpochSecond() + 300, Instant.now().getEpochSecond() + 300);
    for (IssueAppTokenResponse issued : new IssueAppTokenResponse[] {blocking, async}) {
      assertThat(lane.checkout().identifyMember(IdentifyMemberRequest.newBuilder()
          .setAppToken(issued.getToken()).build()).getMember().getMemberId()).isEqualTo(member);
    }
  }

  @Test
  void verifyLedgerFindsTheBalancesEqualToTheLedger() throws Exception {
    VerifyLedgerResponse one = backOffice.memberAdmin().verifyLedger(
        VerifyLedgerRequest.newBuilder().addMemberIds(member).build());
    VerifyLedgerResponse all = backOffice.memberAdmin()
        .withDeadline(java.time.Duration.ofSeconds(30))
        .verifyLedger(VerifyLedgerRequest.getDefaultInstance());
    VerifyLedgerResponse async = backOffice.memberAdminAsync()
        .verifyLedger(VerifyLedgerRequest.newBuilder().addMemberIds(member).build())
        .get(30, TimeUnit.SECONDS);

    assertThat(one.getMembersChecked()).isEqualTo(1);
    assertThat(one.getMismatchCount()).isZero();
    assertThat(all.getMismatchCount()).isZero();
    assertThat(async.getMembersChecked()).isEqualTo(1);
    assertThat(LaneFixtures.ledgerSum(server, member)).isEqualTo(42);
  }

  @Test
  void callsTheServiceDoesNotImplementYetFailAsLoyaltyExceptionsNamingTheMethod() {
    MemberAdminClient admin = backOffice.memberAdmin();
    CheckoutClient checkout = lane.checkout();
    List<Map.Entry<String, ThrowingCallable>> calls = new ArrayList<>();
    CompletableFuture<?> async = backOffice.memberAdminAsync().getMember(
        GetMemberRequest.newBuilder().setMemberId(member).build());
    calls.add(Map.entry("MemberAdminService/GetMember", () -> UnaryCaller.await(async)));
    calls.add(Map.entry("MemberAdminService/GetMember", () -> admin.getMember(
        GetMemberRequest.newBuilder().setMemberId(member).build())));
    calls.add(Map.entry("CheckoutService/ListMemberOffers", () -> checkout.listMemberOffers(
        ListMemberOffersRequest.newBuilder().setMemberId(member).build())));
    calls.add(Map.entry("CheckoutService/ActivateOffer", () -> checkout.activateOffer(
        ActivateOfferRequest.newBuilder().setMemberId(member).setOfferId("ofr_1").build())));
    calls.add(Map.entry("MemberAdminService/SearchMembers", () -> admin.searchMembers(
        SearchMembersRequest.newBuilder().setNamePrefix("Ada").build())));
    calls.add(Map.entry("MemberAdminService/UpdateMember", () -> admin.updateMember(
        UpdateMemberRequest.getDefaultInstance())));
    calls.add(Map.entry("MemberAdminService/ListLedgerEntries", () -> admin.listLedgerEntries(
        ListLedgerEntriesRequest.newBuilder().setMemberId(member).build())));
    calls.add(Map.entry("MemberAdminService/AdjustPoints", () -> admin.adjustPoints(
        AdjustPointsRequest.newBuilder().setMemberId(member).setPoints(5).setOperatorId("desk-1")
            .build())));
    calls.add(Map.entry("MemberAdminService/RecordFeedback", () -> admin.recordFeedback(
        RecordFeedbackRequest.newBuilder().setMemberId(member).build())));
    calls.add(Map.entry("MemberAdminService/ReplaceCard", () -> admin.replaceCard(
        ReplaceCardRequest.newBuilder().setMemberId(member).build())));
    calls.add(Map.entry("MemberAdminService/MergeMembers", () -> admin.mergeMembers(
        MergeMembersRequest.getDefaultInstance())));
    calls.add(Map.entry("MemberAdminService/SetMemberStatus", () -> admin.setMemberStatus(
        SetMemberStatusRequest.newBuilder().setMemberId(member).build())));
    calls.add(Map.entry("MemberAdminService/ExportMemberData", () -> admin.exportMemberData(
        ExportMemberDataRequest.newBuilder().setMemberId(member).build())));
    calls.add(Map.entry("MemberAdminService/EraseMember", () -> admin.eraseMember(
        EraseMemberRequest.newBuilder().setMemberId(member).build())));

    for (Map.Entry<String, ThrowingCallable> call : calls) {
      assertThatThrownBy(call.getValue()).as(call.getKey())
          .isExactlyInstanceOf(LoyaltyException.class)
          .hasMessageContaining("posloyalty.v1." + call.getKey())
          .satisfies(e -> {
            assertThat(((LoyaltyException) e).code()).isEqualTo(Status.Code.UNIMPLEMENTED);
            assertThat(((LoyaltyException) e).reason()).isEmpty();
          });
    }
    assertThat(LaneFixtures.ledgerSum(server, member)).isEqualTo(42);
  }
}
