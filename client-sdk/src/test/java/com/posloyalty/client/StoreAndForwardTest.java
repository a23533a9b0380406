package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreAndForwardTest {
  private static final Duration FAST = Duration.ofMillis(20);

  @TempDir
  Path journal;

  private final FakeServer server = new FakeServer();
  private final List<LoyaltyClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    clients.forEach(LoyaltyClient::close);
    server.close();
  }

  @Test
  void salesMadeWhileUnreachableArePendingThenAppliedOnceEachInOrder() throws Exception {
    server.start().service.down = true;
    LoyaltyClient lane = lane(FAST);

    CommitResult first = lane.checkout().commitTransaction(sale("sale-1", "mbr_1"));
    CommitResult second = lane.checkout().commitTransaction(sale("sale-2", "mbr_1"));
    ReturnResult giveBack = lane.checkout().returnItems(returnOf("sale-1", "return-1"));

    assertThat(first.isPending()).isTrue();
    assertThat(first.receipt()).isEmpty();
    assertThat(first.journalSequence()).hasValue(1);
    assertThat(second.journalSequence()).hasValue(2);
    assertThat(giveBack.journalSequence()).hasValue(3);
    assertThat(server.service.applied).isEmpty();

    server.service.down = false;
    awaitTrue(() -> lane.pendingForwardCount() == 0);

    assertThat(server.service.applied).containsExactly("sale-1", "sale-2", "return-1");
    assertThat(lane.deadLetters()).isEmpty();
  }

  @Test
  void aSaleAppliedWhoseAnswerWasLostIsForwardedWithoutBeingAppliedTwice() throws Exception {
    server.start().service.loseResponses.set(3); // the first attempt and both automatic retries
    LoyaltyClient lane = lane(FAST);

    CommitResult result = lane.checkout().commitTransaction(sale("sale-1", "mbr_1"));

    assertThat(result.isPending()).isTrue();
    awaitTrue(() -> lane.pendingForwardCount() == 0);
    assertThat(server.service.applied).containsExactly("sale-1");
    assertThat(server.service.attempts).containsOnly("sale-1").hasSizeGreaterThan(3);
  }

  @Test
  void aReplayRefusedForABusinessReasonIsDeadLetteredAndTheRestStillFlows() throws Exception {
    server.start().service.down = true;
    LoyaltyClient lane = lane(FAST);
    lane.checkout().commitTransaction(sale("sale-1", "mbr_1"));
    lane.checkout().commitTransaction(sale("sale-2", "mbr_blocked"));
    lane.checkout().commitTransaction(sale("sale-3", "mbr_1"));

    server.service.blockedMembers.add("mbr_blocked");
    server.service.down = false;
    awaitTrue(() -> lane.pendingForwardCount() == 0);

    assertThat(server.service.applied).containsExactly("sale-1", "sale-3");
    assertThat(lane.deadLetters()).singleElement().satisfies(letter -> {
      assertThat(letter.sequence()).isEqualTo(2);
      assertThat(letter.kind()).isEqualTo(ForwardKind.COMMIT_TRANSACTION);
      assertThat(letter.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(letter.reason()).isEqualTo("MEMBER_NOT_ACTIVE");
      assertThat(((CommitTransactionRequest) letter.request()).getPosTransactionId())
          .isEqualTo("sale-2");
    });

    lane.close();
    clients.remove(lane);
    LoyaltyClient restarted = lane(FAST);
    assertThat(restarted.deadLetters()).extracting(DeadLetter::sequence).containsExactly(2L);
    assertThat(restarted.pendingForwardCount()).isZero();

    // The store settles it by hand; it leaves the list, also for the next run.
    DeadLetter settled = restarted.deadLetters().get(0);
    assertThat(restarted.settleDeadLetter(settled)).isTrue();
    assertThat(restarted.settleDeadLetter(settled)).isFalse();
    assertThat(restarted.deadLetters()).isEmpty();
    restarted.close();
    clients.remove(restarted);
    assertThat(lane(FAST).deadLetters()).isEmpty();
  }

  @Test
  void theJournalIsForwardedByTheNextRunOfTheTerminal() throws Exception {
    LoyaltyClient lane = lane(FAST); // no server yet: the service is unreachable
    lane.checkout().commitTransaction(sale("sale-1", "mbr_1"));
    lane.checkout().commitTransaction(sale("sale-2", "mbr_1"));
    lane.close();
    clients.remove(lane);

    server.start();
    LoyaltyClient restarted = lane(FAST);
    awaitTrue(() -> restarted.pendingForwardCount() == 0);

    assertThat(server.service.applied).containsExactly("sale-1", "sale-2");
  }

  @Test
  void whileRequestsWaitNewOnesQueueBehindThemEvenWithTheServiceBack() throws Exception {
    server.start().service.down = true;
    LoyaltyClient lane = lane(Duration.ofHours(1)); // the sender will not run in this test
    lane.checkout().commitTransaction(sale("sale-1", "mbr_1"));
    server.service.down = false;

    CommitResult second = lane.checkout().commitTransaction(sale("sale-2", "mbr_1"));

    assertThat(second.journalSequence()).hasValue(2);
    assertThat(server.service.attempts).doesNotContain("sale-2");
    lane.close();
    clients.remove(lane);
    LoyaltyClient restarted = lane(FAST);
    awaitTrue(() -> restarted.pendingForwardCount() == 0);
    assertThat(server.service.applied).containsExactly("sale-1", "sale-2");
  }

  @Test
  void aBusinessRefusalOnlineIsThrownAndNotJournaled() throws Exception {
    server.start().service.blockedMembers.add("mbr_blocked");
    LoyaltyClient lane = lane(FAST);

    assertThatThrownBy(() -> lane.checkout().commitTransaction(sale("sale-1", "mbr_blocked")))
        .isInstanceOf(MemberNotActiveException.class);
    assertThat(lane.pendingForwardCount()).isZero();
  }

  @Test
  void aFullJournalRefusesTheSale() throws Exception {
    server.start().service.down = true;
    LoyaltyClient lane = clientWith(FAST).journalLimits(1, 1024 * 1024).build();
    clients.add(lane);
    lane.checkout().commitTransaction(sale("sale-1", "mbr_1"));

    assertThatThrownBy(() -> lane.checkout().commitTransaction(sale("sale-2", "mbr_1")))
        .isInstanceOf(JournalFullException.class).hasMessageContaining("limit 1");
  }

  @Test
  void aFullJournalFindsTheServiceBackWithoutWaitingOutTheBackoff() throws Exception {
    server.start().service.down = true;
    LoyaltyClient lane = server.client().journalDirectory(journal)
        .forwardBackoff(Duration.ofMillis(50), Duration.ofMinutes(10))
        .journalLimits(1, 1024 * 1024).build();
    clients.add(lane);
    lane.checkout().commitTransaction(sale("sale-1", "mbr_1"));
    // The sale's own call and each replay make three attempts (the retry policy). Replays at
    // about 0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2 and 6.4 s: after the eighth the next is 6.4 s away.
    awaitTrue(() -> server.service.attempts.size() >= 3 + 8 * 3);
    server.service.down = false;

    long refusedAt = System.nanoTime();
    assertThatThrownBy(() -> lane.checkout().commitTransaction(sale("sale-2", "mbr_1")))
        .isInstanceOf(JournalFullException.class);
    awaitTrue(() -> lane.pendingForwardCount() == 0);

    assertThat(Duration.ofNanos(System.nanoTime() - refusedAt))
        .as("the refusal woke the sender").isLessThan(Duration.ofSeconds(3));
    assertThat(server.service.applied).containsExactly("sale-1");
    assertThat(lane.checkout().commitTransaction(sale("sale-3", "mbr_1")).isPending()).isFalse();
  }

  private LoyaltyClient lane(Duration backoff) {
    LoyaltyClient client = clientWith(backoff).build();
    clients.add(client);
    return client;
  }

  private LoyaltyClientBuilder clientWith(Duration backoff) {
    return server.client().journalDirectory(journal)
        .forwardBackoff(backoff, backoff.multipliedBy(4));
  }

  static CommitTransactionRequest sale(String posTransactionId, String memberId) {
    return CommitTransactionRequest.newBuilder().setPosTransactionId(posTransactionId)
        .setMemberId(memberId)
        .setBasket(Basket.newBuilder().setCurrencyCode("EUR").addLines(BasketLine.newBuilder()
            .setLineId("1").setSku("4006381333931").setQuantity(2).setUnitPriceMinor(1250)))
        .build();
  }

  private static ReturnItemsRequest returnOf(String posTransactionId, String returnId) {
    return ReturnItemsRequest.newBuilder().setReturnId(returnId)
        .setOriginal(TransactionKey.newBuilder().setStoreId("store-1").setTerminalId("lane-1")
            .setPosTransactionId(posTransactionId))
        .addLines(ReturnLine.newBuilder().setLineId("1").setQuantity(1))
        .build();
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
