package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ReserveRedemptionRequest;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoyaltyClientTest {
  @TempDir
  Path journal;

  private final FakeServer server = new FakeServer();
  private LoyaltyClient client;

  @AfterEach
  void stop() throws InterruptedException {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  @Test
  void preparingForTheFirstSaleSendsNothingToTheService() throws Exception {
    server.start();

    client = server.client().build();

    assertThat(server.service.authorizations).isEmpty();
  }

  @Test
  void unavailableIsRetriedWithTheSameGeneratedRequestId() throws Exception {
    server.start().service.failNext.set(2);
    client = server.client().build();

    client.checkout().enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Alice")
        .setEmail("alice@example.com").build());

    assertThat(server.service.received).hasSize(3).allSatisfy(request ->
        assertThat(((EnrollMemberRequest) request).getRequestId())
            .matches("[0-9a-f-]{36}")
            .isEqualTo(((EnrollMemberRequest) server.service.received.get(0)).getRequestId()));
  }

  @Test
  void anEmptyPointOfSaleIsFilledFromTheBuilderAndGivenFieldsAreKept() throws Exception {
    server.start();
    client = server.client().salesChannel(Channel.CHANNEL_SELF_CHECKOUT).build();

    client.checkout().identifyMember(IdentifyMemberRequest.newBuilder().setMemberId("mbr_1")
        .setPointOfSale(PointOfSale.newBuilder().setOperatorId("cashier-9")).build());

    assertThat(((IdentifyMemberRequest) server.service.received.get(0)).getPointOfSale())
        .isEqualTo(PointOfSale.newBuilder().setStoreId("store-1").setTerminalId("lane-1")
            .setChannel(Channel.CHANNEL_SELF_CHECKOUT).setOperatorId("cashier-9").build());
  }

  @Test
  void theApiKeyTravelsAsABearerToken() throws Exception {
    server.start();
    client = server.client().apiKey("k-123").build();

    client.checkout().identifyMember(IdentifyMemberRequest.newBuilder().setMemberId("m").build());

    assertThat(server.service.authorizations).containsExactly("Bearer k-123");
  }

  @Test
  void aCommitWithoutSaleTimeIsStampedWithTheClock() throws Exception {
    server.start().service.down = true;
    Instant now = Instant.parse("2025-11-23T10:15:30.250Z");
    client = server.client().journalDirectory(journal)
        .clock(Clock.fixed(now, ZoneOffset.UTC)).build();

    client.checkout().commitTransaction(StoreAndForwardTest.sale("sale-1", "mbr_1"));
    client.close();
    client = null;

    try (ForwardJournal reopened = ForwardJournal.open(journal, 10, 1 << 20, Clock.systemUTC())) {
      CommitTransactionRequest journaled = (CommitTransactionRequest) ForwardKind.COMMIT_TRANSACTION
          .parse(reopened.oldest().orElseThrow().request());
      assertThat(journaled.getOccurTime().getSeconds()).isEqualTo(now.getEpochSecond());
      assertThat(journaled.getOccurTime().getNanos()).isEqualTo(250_000_000);
      assertThat(journaled.getPointOfSale().getStoreId()).isEqualTo("store-1");
    }
  }

  @Test
  void redemptionsAreRefusedOfflineAndNeverJournaled() throws Exception {
    server.start().service.down = true;
    client = server.client().journalDirectory(journal).build();

    assertThatThrownBy(() -> client.checkout().reserveRedemption(ReserveRedemptionRequest
        .newBuilder().setMemberId("mbr_1").setRewardId("coffee").build()))
        .isInstanceOf(OfflineRedemptionException.class)
        .hasMessageContaining("points cannot be verified offline")
        .satisfies(e -> assertThat(((LoyaltyException) e).reason())
            .isEqualTo(OfflineRedemptionException.REASON));
    assertThatThrownBy(() -> client.checkout().commitTransaction(
        StoreAndForwardTest.sale("sale-1", "mbr_1").toBuilder().addReservationIds("rsv_1").build()))
        .isInstanceOf(OfflineRedemptionException.class);
    assertThat(client.pendingForwardCount()).isZero();
  }

  @Test
  void aCommitCapturingPointsThatNeverWentOutIsRefusedOffline() {
    // The server is never started: no attempt finds a transport.
    client = server.client().journalDirectory(journal).build();

    assertThatThrownBy(() -> client.checkout().commitTransaction(
        StoreAndForwardTest.sale("sale-1", "mbr_1").toBuilder().addReservationIds("rsv_1").build()))
        .isInstanceOf(OfflineRedemptionException.class)
        .satisfies(e -> assertThat(((LoyaltyException) e).code())
            .isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(client.pendingForwardCount()).isZero();
  }

  @Test
  void aCommitCapturingPointsAppliedWithEveryAnswerLostIsOfUnknownOutcome() throws Exception {
    server.start().service.loseResponses.set(3);
    client = server.client().journalDirectory(journal).build();
    CommitTransactionRequest redeeming = StoreAndForwardTest.sale("sale-1", "mbr_1").toBuilder()
        .addReservationIds("rsv_1").setOccurTime(Timestamp.newBuilder().setSeconds(1_764_000_000))
        .build();

    assertThatThrownBy(() -> client.checkout().commitTransaction(redeeming))
        .isInstanceOf(CommitOutcomeUnknownException.class)
        .hasMessageContaining("send the same commit again")
        .satisfies(e -> assertThat(((LoyaltyException) e).code())
            .isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(server.service.attempts).hasSize(3);
    assertThat(server.service.applied).hasSize(1);

    CommitResult again = client.checkout().commitTransaction(redeeming);
    assertThat(again.replayed()).isTrue();
    assertThat(server.service.applied).hasSize(1);
    assertThat(client.pendingForwardCount()).isZero();
  }

  @Test
  void withoutAJournalAnUnreachableServiceFailsTheCommit() throws Exception {
    server.start().service.down = true;
    client = server.client().build();

    assertThatThrownBy(() -> client.checkout().commitTransaction(
        StoreAndForwardTest.sale("sale-1", "mbr_1")))
        .isInstanceOf(ServiceUnavailableException.class)
        .satisfies(e -> assertThat(((LoyaltyException) e).code())
            .isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void theAsynchronousFormFailsWithTheSameException() throws Exception {
    server.start().service.blockedMembers.add("mbr_blocked");
    client = server.client().build();

    assertThatThrownBy(() -> client.checkoutAsync()
        .commitTransaction(StoreAndForwardTest.sale("sale-1", "mbr_blocked")).get())
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MemberNotActiveException.class);
  }

  @Test
  void theAsynchronousFormReturnsTheReceipt() throws Exception {
    server.start();
    client = server.client().build();

    CommitResult result = client.checkoutAsync()
        .commitTransaction(StoreAndForwardTest.sale("sale-1", "mbr_1")).get();

    assertThat(result.isPending()).isFalse();
    assertThat(result.receipt().orElseThrow().getEarning().getTotalPoints()).isEqualTo(25);
  }
}
