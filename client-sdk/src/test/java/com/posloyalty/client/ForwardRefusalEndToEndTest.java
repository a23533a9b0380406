package com.posloyalty.client;

import static com.posloyalty.client.LaneFixtures.awaitTrue;
import static com.posloyalty.client.LaneFixtures.earnedSales;
import static com.posloyalty.client.LaneFixtures.sale;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.client.FaultyProxy.Fault;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the real server refuses with {@code PERMISSION_DENIED}: one about the request is a
 * dead letter, one about the key waits for the key to be fixed. The outage is a proxy that
 * refuses every attempt with {@code UNAVAILABLE} until the test lets calls through.
 */
class ForwardRefusalEndToEndTest {
  private static final String COMMIT = "posloyalty.v1.CheckoutService/CommitTransaction";
  private static final Duration BACKOFF = Duration.ofMillis(50);

  @TempDir
  Path journal;

  private TestServer server;
  private FaultyProxy proxy;
  private String laneKey;
  private String member;

  @BeforeEach
  void start() {
    server = TestServer.start("sdk_forward_refusal", Clock.systemUTC(),
        LaneFixtures.SERVER_SETTINGS);
    proxy = FaultyProxy.start(server.app().grpcPort());
    laneKey = LaneFixtures.laneKey(server);
    try (LoyaltyClient lane = LaneFixtures.lane(proxy.target(), laneKey).build()) {
      member = lane.checkout().enrollMember(EnrollMemberRequest.newBuilder().setGivenName("Ada")
          .setPhone("+4915100009101").build()).getMember().getMemberId();
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    proxy.close();
    server.close();
  }

  @Test
  void aReturnOfAnotherStoresSaleIsDeadLetteredAndTheSalesBehindItAreApplied()
      throws Exception {
    try (LoyaltyClient lane = journaledLane(laneKey)) {
      outage();
      lane.checkout().commitTransaction(sale("pos-1", member, 10));
      ReturnResult foreign = lane.checkout().returnItems(ReturnItemsRequest.newBuilder()
          .setOriginal(TransactionKey.newBuilder().setStoreId("store-2").setTerminalId("lane-1")
              .setPosTransactionId("pos-of-store-2"))
          .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1)).build());
      lane.checkout().commitTransaction(sale("pos-2", member, 20));
      assertThat(foreign.journalSequence()).hasValue(2);

      proxy.reset();
      awaitTrue(() -> lane.pendingForwardCount() == 0, Duration.ofSeconds(30));

      assertThat(earnedSales(server, member)).containsExactly("pos-1", "pos-2");
      assertThat(lane.deadLetters()).singleElement().satisfies(letter -> {
        assertThat(letter.sequence()).isEqualTo(2);
        assertThat(letter.kind()).isEqualTo(ForwardKind.RETURN_ITEMS);
        assertThat(letter.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(letter.reason()).isEqualTo("STORE_MISMATCH");
        assertThat(((ReturnItemsRequest) letter.request()).getOriginal().getStoreId())
            .isEqualTo("store-2");
      });
    }
  }

  @Test
  void aKeyWithoutTheCheckoutScopeKeepsTheSaleJournaledUntilTheKeyIsFixed() throws Exception {
    String adminKey = server.app().component().apiKeys()
        .create(EnumSet.of(Scope.ADMIN), Optional.empty(), "admin", "test").secret();
    try (LoyaltyClient lane = journaledLane(adminKey)) {
      outage();
      lane.checkout().commitTransaction(sale("pos-1", member, 10));

      proxy.reset();
      awaitTrue(() -> proxy.attempts().stream().filter(a -> a.method().equals(COMMIT)).count()
          >= 2, Duration.ofSeconds(30));

      assertThat(lane.pendingForwardCount()).as("refused SCOPE_MISSING, tried again").isOne();
      assertThat(lane.deadLetters()).isEmpty();
    }
    try (LoyaltyClient fixed = journaledLane(laneKey)) {
      awaitTrue(() -> fixed.pendingForwardCount() == 0, Duration.ofSeconds(30));
      assertThat(earnedSales(server, member)).containsExactly("pos-1");
      assertThat(fixed.deadLetters()).isEmpty();
    }
  }

  private LoyaltyClient journaledLane(String apiKey) {
    return LaneFixtures.lane(proxy.target(), apiKey).journalDirectory(journal)
        .forwardBackoff(BACKOFF, BACKOFF).build();
  }

  /** Every attempt from now on fails as if the service were unreachable. */
  private void outage() {
    proxy.onFirstAttempt(method -> Fault.REFUSE);
    proxy.onRetry(method -> Fault.REFUSE);
  }
}
