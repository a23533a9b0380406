package com.posloyalty.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.domain.CardNumber;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.google.common.util.concurrent.ListenableFuture;
import com.posloyalty.v1.IdentifyMemberResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-key limits hold across two instances sharing Redis; card guessing is throttled. */
class RateLimitTest {

  private static String db;
  private static TestServer first;
  private static TestServer second;

  @BeforeAll
  static void start() {
    db = TestServices.newDatabase("ratelimit");
    // The shared buckets are under test, not the per-instance fallback: with the default
    // 50 ms Redis timeout, one slow reply on a busy build machine makes an instance count a
    // failed lookup in its local bucket instead, and one more guess gets through.
    Map<String, String> limits = Map.of("LOYALTY_RATE_LIMIT_CHECKOUT", "5",
        "LOYALTY_IDENTIFY_FAILURES_PER_MINUTE", "6",
        "LOYALTY_REDIS_TIMEOUT_MS", "2000",
        "LOYALTY_REDIS_KEY_PREFIX", TestServices.newKeyPrefix("ratelimit"));
    first = TestServer.start(db, TestServices.redisUrl(), "ratelimit", Clock.systemUTC(), limits);
    second = TestServer.start(db, TestServices.redisUrl(), "ratelimit", Clock.systemUTC(), limits);
  }

  @AfterAll
  static void stop() {
    first.close();
    second.close();
  }

  static CheckoutServiceGrpc.CheckoutServiceBlockingStub lane(TestServer server, String key) {
    return CheckoutServiceGrpc.newBlockingStub(server.channel())
        .withCallCredentials(TestServer.bearer(key)).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static String checkoutKey() {
    return first.app().component().apiKeys().create(EnumSet.of(Scope.CHECKOUT),
        Optional.of("s1"), "lane", "test").secret();
  }

  @Test
  void oneKeysLimitIsSharedByBothInstances() {
    String key = checkoutKey();
    String member = first.checkout().enrollMember(EnrollMemberRequest.newBuilder()
        .setRequestId("rl-1").setPointOfSale(TestServer.lane("s1", "l1")).setGivenName("R")
        .setPhone("+4915100000301").build()).getMember().getMemberId();
    IdentifyMemberRequest identify = IdentifyMemberRequest.newBuilder()
        .setPointOfSale(TestServer.lane("s1", "l1")).setMemberId(member).build();
    int allowed = 0;
    int refusedFirst = 0;
    int refusedSecond = 0;
    long started = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      TestServer target = i % 2 == 0 ? first : second;
      try {
        lane(target, key).identifyMember(identify);
        allowed++;
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(GrpcErrors.reason(e)).isEqualTo("RATE_LIMITED");
        assertThat(GrpcErrors.retryDelayMillis(e)).isBetween(1L, 1000L);
        if (target == first) {
          refusedFirst++;
        } else {
          refusedSecond++;
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    // A burst of 10 (twice the rate of 5/s) plus what refilled while the loop ran.
    assertThat(allowed).isGreaterThanOrEqualTo(10).isLessThanOrEqualTo(10 + (int) Math.ceil(seconds * 5) + 1);
    assertThat(refusedFirst).isPositive();
    assertThat(refusedSecond).isPositive();
  }

  @Test
  void aBurstOfGuessedCardNumbersIsThrottled() {
    String key = checkoutKey();
    Random random = new Random(3);
    int notFound = 0;
    StatusRuntimeException throttled = null;
    for (int i = 0; i < 30 && throttled == null; i++) {
      try {
        lane(i % 2 == 0 ? first : second, key).identifyMember(IdentifyMemberRequest.newBuilder()
            .setPointOfSale(TestServer.lane("s1", "l1"))
            .setCardNumber(CardNumber.issue(random)).build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          notFound++;
        } else {
          throttled = e;
        }
      }
    }
    // Six failures empty the shared bucket; the other instance may have seen it full less
    // than RateLimiter.CHECK_CACHE_MILLIS ago and let one more guess through.
    assertThat(notFound).isBetween(6, 7);
    assertThat(throttled).isNotNull();
    assertThat(throttled.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(GrpcErrors.reason(throttled)).isEqualTo("IDENTIFY_THROTTLED");
    assertThat(GrpcErrors.retryDelayMillis(throttled)).isPositive();
  }

  @Test
  void concurrentGuessesCannotOutrunTheFailedLookupBudget() throws InterruptedException {
    // A key allowed many calls a second, so only the failed-lookup budget (6) stands between
    // a burst of concurrent guesses and the members' cards.
    Map<String, String> limits = Map.of("LOYALTY_RATE_LIMIT_CHECKOUT", "1000",
        "LOYALTY_IDENTIFY_FAILURES_PER_MINUTE", "6",
        "LOYALTY_REDIS_TIMEOUT_MS", "2000",
        "LOYALTY_REDIS_KEY_PREFIX", TestServices.newKeyPrefix("ratelimit"));
    try (TestServer fast = TestServer.start(db, TestServices.redisUrl(), "ratelimit",
        Clock.systemUTC(), limits)) {
      String key = checkoutKey();
      CheckoutServiceGrpc.CheckoutServiceFutureStub stub =
          CheckoutServiceGrpc.newFutureStub(fast.channel())
              .withCallCredentials(TestServer.bearer(key))
              .withDeadlineAfter(30, TimeUnit.SECONDS);
      Random random = new Random(11);
      List<ListenableFuture<IdentifyMemberResponse>> guesses = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        guesses.add(stub.identifyMember(IdentifyMemberRequest.newBuilder()
            .setPointOfSale(TestServer.lane("s1", "l1"))
            .setCardNumber(CardNumber.issue(random)).build()));
      }
      int notFound = 0;
      int throttled = 0;
      for (ListenableFuture<IdentifyMemberResponse> guess : guesses) {
        try {
          guess.get();
        } catch (ExecutionException e) {
          StatusRuntimeException failure = (StatusRuntimeException) e.getCause();
          if (failure.getStatus().getCode() == Status.Code.NOT_FOUND) {
            notFound++;
          } else {
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(GrpcErrors.reason(failure)).isEqualTo("IDENTIFY_THROTTLED");
            assertThat(GrpcErrors.retryDelayMillis(failure)).isPositive();
            throttled++;
          }
        }
      }
      // Without counting the lookups in flight, every guess that started before the first
      // failures were charged got through: dozens of them.
      assertThat(notFound).isBetween(1, 6);
      assertThat(notFound + throttled).isEqualTo(60);
    }
  }

  @Test
  void mistypedCardNumbersDoNotUseUpTheFailedLookupBudget() {
    String key = checkoutKey();
    Random random = new Random(5);
    // Eight typos, more than the six failures the budget allows (and within the key's burst).
    for (int i = 0; i < 8; i++) {
      String card = CardNumber.issue(random);
      char last = card.charAt(card.length() - 1);
      String typo = card.substring(0, card.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
      StatusRuntimeException refused = GrpcErrors.expect(Status.Code.INVALID_ARGUMENT,
          () -> lane(first, key).identifyMember(IdentifyMemberRequest.newBuilder()
              .setPointOfSale(TestServer.lane("s1", "l1")).setCardNumber(typo).build()));
      assertThat(GrpcErrors.reason(refused)).isEqualTo("CARD_CHECK_DIGIT_INVALID");
    }
    // A real guess after them is still a lookup, not a throttle.
    GrpcErrors.expect(Status.Code.NOT_FOUND,
        () -> lane(second, key).identifyMember(IdentifyMemberRequest.newBuilder()
            .setPointOfSale(TestServer.lane("s1", "l1"))
            .setCardNumber(CardNumber.issue(random)).build()));
  }
}
