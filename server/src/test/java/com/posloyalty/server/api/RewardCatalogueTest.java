package com.posloyalty.server.api;

import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.fields;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.Baskets;
import com.posloyalty.server.testing.Lane;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CreateRewardRequest;
import com.posloyalty.v1.GetRewardRequest;
import com.posloyalty.v1.ListRewardsRequest;
import com.posloyalty.v1.ListRewardsResponse;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ProgramAdminServiceGrpc;
import com.posloyalty.v1.ProgramAdminServiceGrpc.ProgramAdminServiceBlockingStub;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.Reservation;
import com.posloyalty.v1.RetireRewardRequest;
import com.posloyalty.v1.Reward;
import com.posloyalty.v1.UpdateRewardRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rewards catalogue through ProgramAdminService: create, read, list, edit and retire
 * over the real server, what a lane can then redeem, and every refusal — with its reason,
 * the field named and nothing written.
 */
class RewardCatalogueTest {

  private static final Instant START = Instant.parse("2025-03-03T09:00:00Z");
  private static final PointOfSale LANE = TestServer.lane("store-1", "lane-1");
  private static final AtomicInteger ids = new AtomicInteger();

  private static MutableClock clock;
  private static TestServer server;
  private static Lane lane;

  @BeforeAll
  static void start() {
    clock = new MutableClock(START);
    server = TestServer.start("reward_catalogue", clock, Map.of());
    lane = new Lane(server, LANE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aCreatedRewardIsActiveAndReadsBackAsCreated() {
    Reward created = create(amountOff("", 500, 300));

    assertThat(created.getRewardId()).startsWith("rwd_");
    assertThat(created.getState()).isEqualTo(Reward.State.STATE_ACTIVE);
    assertThat(created.getAmountOff()).isEqualTo(Lane.eur(300));
    assertThat(created.getCreateTime()).isEqualTo(timestamp(clock.instant()));
    assertThat(created.getUpdateTime()).isEqualTo(created.getCreateTime());
    assertThat(get(created.getRewardId())).isEqualTo(created);
    assertThat(server.queryLong("SELECT count(*) FROM audit_log WHERE action = 'REWARD_CREATED'"
        + " AND detail LIKE 'reward " + created.getRewardId() + " %' AND actor LIKE 'key:%'"))
        .isEqualTo(1);
  }

  @Test
  void aQuoteOffersACreatedRewardToAMemberWhoCanAffordIt() {
    Reward reward = create(freeItem(newId(), 1, "SWEET-1"));
    String member = lane.enrolWith(1);

    var quote = server.checkout().quoteBasket(QuoteBasketRequest.newBuilder()
        .setPointOfSale(LANE).setMemberId(member)
        .setBasket(Baskets.eur(Baskets.line("1", "SKU-1", "grocery", 1, 100))).build());

    assertThat(quote.getAffordableRewardsList()).extracting(Reward::getRewardId)
        .containsExactly(reward.getRewardId());
  }

  @Test
  void anUpdateChangesOnlyTheMaskedFieldsKeepsTheIdAndMovesVersionAndUpdateTime() {
    Reward created = create(amountOff(newId(), 500, 300).toBuilder()
        .setDescription("Three euros off").addStoreIds("store-1").build());
    clock.advance(Duration.ofMinutes(5));

    Reward edited = server.programAdmin().updateReward(UpdateRewardRequest.newBuilder()
        .setRequestId(newId())
        .setReward(created.toBuilder().setDisplayName("3 € off, now cheaper").setPointsCost(250)
            .setDescription("not in the mask").clearStoreIds())
        .setUpdateMask(FieldMask.newBuilder().addPaths("display_name").addPaths("points_cost"))
        .build()).getReward();

    assertThat(edited).isEqualTo(created.toBuilder().setDisplayName("3 € off, now cheaper")
        .setPointsCost(250).setUpdateTime(timestamp(clock.instant())).build());
    assertThat(version(created.getRewardId())).isEqualTo(2);
    assertThat(get(created.getRewardId())).isEqualTo(edited);
  }

  @Test
  void anUpdateThatChangesNothingWritesNothing() {
    Reward created = create(amountOff(newId(), 500, 300));
    clock.advance(Duration.ofMinutes(1));

    Reward same = update(created, "display_name", "description");

    assertThat(same).isEqualTo(created);
    assertThat(version(created.getRewardId())).isEqualTo(1);
  }

  @Test
  void theWildcardMaskReplacesEveryMutableField() {
    Reward created = create(freeItem(newId(), 400, "COFFEE-CUP").toBuilder()
        .setDescription("A cup").addChannels(Channel.CHANNEL_STAFFED_LANE).build());

    Reward replaced = update(created.toBuilder().setDisplayName("Free tea").clearDescription()
        .setFreeItemSku("TEA-CUP").setPointsCost(350).clearChannels().addStoreIds("store-9")
        .build(), "*");

    assertThat(replaced.getDisplayName()).isEqualTo("Free tea");
    assertThat(replaced.getDescription()).isEmpty();
    assertThat(replaced.getFreeItemSku()).isEqualTo("TEA-CUP");
    assertThat(replaced.getPointsCost()).isEqualTo(350);
    assertThat(replaced.getChannelsList()).isEmpty();
    assertThat(replaced.getStoreIdsList()).containsExactly("store-9");
    assertThat(replaced.getKind()).isEqualTo(Reward.Kind.KIND_FREE_ITEM);
  }

  @Test
  void aReservationAfterAnEditCostsTheEditedPoints() {
    Reward reward = create(amountOff(newId(), 500, 300));
    update(reward.toBuilder().setPointsCost(320).build(), "points_cost");
    String member = lane.enrolWith(400);

    var reserved = server.checkout().reserveRedemption(lane.reward(member, reward.getRewardId()));

    assertThat(reserved.getReservation().getPoints()).isEqualTo(320);
    assertThat(reserved.getReservation().getValue()).isEqualTo(Lane.eur(300));
    assertThat(reserved.getAvailablePoints()).isEqualTo(80);
  }

  @Test
  void retiringIsIdempotentAndStopsNewReservationsWhileOpenOnesCanStillBeCaptured() {
    Reward reward = create(amountOff(newId(), 200, 150));
    String member = lane.enrolWith(1000);
    Reservation open = server.checkout().reserveRedemption(lane.reward(member,
        reward.getRewardId())).getReservation();
    clock.advance(Duration.ofMinutes(1));

    Reward retired = retire(reward.getRewardId());
    clock.advance(Duration.ofMinutes(1));
    Reward again = retire(reward.getRewardId());

    assertThat(retired).isEqualTo(reward.toBuilder().setState(Reward.State.STATE_RETIRED)
        .setUpdateTime(timestamp(clock.instant().minus(Duration.ofMinutes(1)))).build());
    assertThat(again).isEqualTo(retired);
    assertThat(version(reward.getRewardId())).isEqualTo(2);
    StatusRuntimeException refused = expect(Status.Code.FAILED_PRECONDITION,
        () -> server.checkout().reserveRedemption(lane.reward(member, reward.getRewardId())));
    assertThat(reason(refused)).isEqualTo("REWARD_NOT_AVAILABLE");
    assertThat(refused.getStatus().getDescription()).contains("retired");
    assertThat(server.checkout().commitTransaction(lane.sale(member, 1000,
        open.getReservationId())).getReceipt().getPointsRedeemed()).isEqualTo(200);
    StatusRuntimeException edit = expect(Status.Code.FAILED_PRECONDITION,
        () -> update(retired.toBuilder().setPointsCost(100).build(), "points_cost"));
    assertThat(reason(edit)).isEqualTo("REWARD_RETIRED");
  }

  @Test
  void aRewardLimitedToStoresAndChannelsIsRefusedElsewhere() {
    Reward reward = create(amountOff(newId(), 100, 100).toBuilder().addStoreIds("store-1")
        .addChannels(Channel.CHANNEL_STAFFED_LANE).build());
    Lane otherStore = new Lane(server, TestServer.lane("store-2", "lane-1"));
    Lane kiosk = new Lane(server, LANE.toBuilder().setTerminalId("kiosk-1")
        .setChannel(Channel.CHANNEL_SELF_CHECKOUT).build());
    String member = lane.enrolWith(500);

    java.util.function.Function<PointOfSale, List<String>> quoted = pos -> server.checkout()
        .quoteBasket(QuoteBasketRequest.newBuilder().setPointOfSale(pos).setMemberId(member)
            .setBasket(Baskets.eur(Baskets.line("1", "SKU-1", "grocery", 1, 100))).build())
        .getAffordableRewardsList().stream().map(Reward::getRewardId).toList();
    assertThat(quoted.apply(LANE)).contains(reward.getRewardId());
    assertThat(quoted.apply(TestServer.lane("store-2", "lane-1")))
        .doesNotContain(reward.getRewardId());
    assertThat(quoted.apply(LANE.toBuilder().setTerminalId("kiosk-1")
        .setChannel(Channel.CHANNEL_SELF_CHECKOUT).build())).doesNotContain(reward.getRewardId());
    for (Lane elsewhere : List.of(otherStore, kiosk)) {
      var request = elsewhere.reward(member, reward.getRewardId());
      StatusRuntimeException e = expect(Status.Code.FAILED_PRECONDITION,
          () -> server.checkout().reserveRedemption(request));
      assertThat(reason(e)).isEqualTo("REWARD_NOT_AVAILABLE");
    }
    assertThat(server.queryLong("SELECT count(*) FROM reservations WHERE member_id = '" + member
        + "'")).isZero();
    assertThat(server.checkout().reserveRedemption(lane.reward(member, reward.getRewardId()))
        .getAvailablePoints()).isEqualTo(400);
  }

  @Test
  void listsPageCheapestFirstAndFilterByStateAndStore() {
    try (TestServer own = TestServer.start("reward_list", clock, Map.of())) {
      ProgramAdminServiceBlockingStub admin = own.programAdmin();
      for (String[] r : new String[][] {{"b-tea", "300"}, {"a-mug", "300"}, {"cake", "100"},
          {"scarf", "900"}, {"pen", "50"}}) {
        admin.createReward(CreateRewardRequest.newBuilder().setRequestId("c-" + r[0])
            .setReward(amountOff(r[0], Long.parseLong(r[1]), 100)).build());
      }
      admin.createReward(CreateRewardRequest.newBuilder().setRequestId("c-local")
          .setReward(amountOff("local", 200, 100).toBuilder().addStoreIds("store-7")).build());
      admin.retireReward(RetireRewardRequest.newBuilder().setRequestId("r-cake")
          .setRewardId("cake").build());

      assertThat(pages(admin, ListRewardsRequest.newBuilder().setPageSize(2).build()))
          .containsExactly(List.of("pen", "cake"), List.of("local", "a-mug"),
              List.of("b-tea", "scarf"));
      assertThat(pages(admin, ListRewardsRequest.newBuilder().setPageSize(4)
          .setState(Reward.State.STATE_ACTIVE).setStoreId("store-1").build()))
          .containsExactly(List.of("pen", "a-mug", "b-tea", "scarf"));
      assertThat(pages(admin, ListRewardsRequest.newBuilder()
          .setState(Reward.State.STATE_RETIRED).build())).containsExactly(List.of("cake"));
      assertThat(pages(admin, ListRewardsRequest.newBuilder().setStoreId("store-7").build()))
          .containsExactly(List.of("pen", "cake", "local", "a-mug", "b-tea", "scarf"));

      String token = admin.listRewards(ListRewardsRequest.newBuilder().setPageSize(2).build())
          .getNextPageToken();
      for (ListRewardsRequest bad : List.of(
          ListRewardsRequest.newBuilder().setPageToken(token)
              .setState(Reward.State.STATE_ACTIVE).build(),
          ListRewardsRequest.newBuilder().setPageToken(token).setStoreId("store-7").build(),
          ListRewardsRequest.newBuilder().setPageToken("not a token").build())) {
        StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
            () -> admin.listRewards(bad));
        assertThat(reason(e)).isEqualTo("PAGE_TOKEN_INVALID");
        assertThat(fields(e)).containsExactly("page_token");
      }
      StatusRuntimeException tooBig = expect(Status.Code.INVALID_ARGUMENT,
          () -> admin.listRewards(ListRewardsRequest.newBuilder().setPageSize(1001).build()));
      assertThat(fields(tooBig)).containsExactly("page_size");
    }
  }

  @Test
  void everyBrokenRuleIsRefusedNamingItsFieldAndNothingIsWritten() {
    Reward good = amountOff(newId(), 500, 300);
    Reward sku = freeItem(newId(), 500, "COFFEE-CUP");
    record Case(Reward reward, String reason, String field) {}
    List<Case> cases = List.of(
        new Case(good.toBuilder().setDisplayName(" ").build(), "FIELD_REQUIRED",
            "reward.display_name"),
        new Case(good.toBuilder().setDisplayName("x".repeat(101)).build(), "FIELD_INVALID",
            "reward.display_name"),
        new Case(good.toBuilder().setDescription("x".repeat(1001)).build(), "FIELD_INVALID",
            "reward.description"),
        new Case(good.toBuilder().setPointsCost(0).build(), "FIELD_INVALID", "reward.points_cost"),
        new Case(good.toBuilder().setPointsCost(-5).build(), "FIELD_INVALID",
            "reward.points_cost"),
        new Case(good.toBuilder().setPointsCost(10_000_001).build(), "FIELD_INVALID",
            "reward.points_cost"),
        new Case(good.toBuilder().clearKind().clearAmountOff().build(), "FIELD_REQUIRED",
            "reward.kind"),
        new Case(good.toBuilder().clearAmountOff().build(), "FIELD_REQUIRED", "reward.amount_off"),
        new Case(good.toBuilder().setAmountOff(Lane.eur(0)).build(), "FIELD_INVALID",
            "reward.amount_off.amount_minor"),
        new Case(good.toBuilder().setAmountOff(Lane.eur(-100)).build(), "FIELD_INVALID",
            "reward.amount_off.amount_minor"),
        new Case(good.toBuilder().setAmountOff(Lane.eur(300).toBuilder().setCurrencyCode("USD"))
            .build(), "CURRENCY_MISMATCH", "reward.amount_off.currency_code"),
        new Case(good.toBuilder().setFreeItemSku("MUG").build(), "FIELD_INVALID",
            "reward.free_item_sku"),
        new Case(sku.toBuilder().clearFreeItemSku().build(), "FIELD_REQUIRED",
            "reward.free_item_sku"),
        new Case(sku.toBuilder().setFreeItemSku("S".repeat(65)).build(), "FIELD_INVALID",
            "reward.free_item_sku"),
        new Case(sku.toBuilder().setAmountOff(Lane.eur(100)).build(), "FIELD_INVALID",
            "reward.amount_off"),
        new Case(good.toBuilder().setRewardId("Not An Id").build(), "FIELD_INVALID",
            "reward.reward_id"),
        new Case(good.toBuilder().addStoreIds("store-1").addStoreIds("no spaces").build(),
            "FIELD_INVALID", "reward.store_ids[1]"),
        new Case(good.toBuilder().addChannels(Channel.CHANNEL_UNSPECIFIED).build(),
            "FIELD_INVALID", "reward.channels[0]"));
    List<Long> before = footprint();

    for (Case c : cases) {
      StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
          () -> server.programAdmin().createReward(CreateRewardRequest.newBuilder()
              .setRequestId(newId()).setReward(c.reward()).build()));
      assertThat(reason(e)).as(c.field()).isEqualTo(c.reason());
      assertThat(fields(e)).as(c.field()).containsExactly(c.field());
    }
    StatusRuntimeException noRequestId = expect(Status.Code.INVALID_ARGUMENT,
        () -> server.programAdmin().createReward(CreateRewardRequest.newBuilder()
            .setReward(good).build()));
    assertThat(fields(noRequestId)).containsExactly("request_id");
    assertThat(footprint()).isEqualTo(before);
  }

  @Test
  void updatesNamingFixedOrUnknownFieldsOrBreakingARuleAreRefusedAndWriteNothing() {
    Reward reward = create(freeItem(newId(), 400, "COFFEE-CUP"));
    record Case(List<String> paths, Reward values, String reason, String field) {}
    List<Case> cases = List.of(
        new Case(List.of(), reward, "UPDATE_MASK_INVALID", "update_mask"),
        new Case(List.of("display_name", "kind"), reward, "UPDATE_MASK_INVALID",
            "update_mask.paths[1]"),
        new Case(List.of("reward_id"), reward, "UPDATE_MASK_INVALID", "update_mask.paths[0]"),
        new Case(List.of("state"), reward, "UPDATE_MASK_INVALID", "update_mask.paths[0]"),
        new Case(List.of("update_time"), reward, "UPDATE_MASK_INVALID", "update_mask.paths[0]"),
        new Case(List.of("colour"), reward, "UPDATE_MASK_INVALID", "update_mask.paths[0]"),
        new Case(List.of("amount_off.amount_minor"), reward, "UPDATE_MASK_INVALID",
            "update_mask.paths[0]"),
        new Case(List.of("points_cost"), reward.toBuilder().setPointsCost(0).build(),
            "FIELD_INVALID", "reward.points_cost"),
        new Case(List.of("free_item_sku"), reward.toBuilder().clearFreeItemSku().build(),
            "FIELD_REQUIRED", "reward.free_item_sku"),
        new Case(List.of("amount_off"), reward.toBuilder().setAmountOff(Lane.eur(100)).build(),
            "FIELD_INVALID", "reward.amount_off"),
        new Case(List.of("channels"), reward.toBuilder().addChannelsValue(99).build(),
            "FIELD_INVALID", "reward.channels[0]"));
    List<Long> before = footprint();

    for (Case c : cases) {
      StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
          () -> update(c.values(), c.paths().toArray(String[]::new)));
      assertThat(reason(e)).as(c.field()).isEqualTo(c.reason());
      assertThat(fields(e)).as(c.field()).containsExactly(c.field());
    }
    assertThat(footprint()).isEqualTo(before);
    assertThat(get(reward.getRewardId())).isEqualTo(reward);
  }

  @Test
  void anUnknownRewardIsNotFound() {
    List<Runnable> calls = List.of(
        () -> get("no-such-reward"),
        () -> retire("no-such-reward"),
        () -> update(amountOff("no-such-reward", 100, 100), "points_cost"));
    List<Long> before = footprint();
    for (Runnable call : calls) {
      assertThat(reason(expect(Status.Code.NOT_FOUND, call))).isEqualTo("REWARD_NOT_FOUND");
    }
    assertThat(footprint()).isEqualTo(before);
  }

  @Test
  void aRetriedCreateReturnsTheFirstRewardWhileATakenIdOrReusedRequestIdIsRefused() {
    CreateRewardRequest request = CreateRewardRequest.newBuilder().setRequestId(newId())
        .setReward(freeItem("", 300, "MUG")).build();
    Reward first = server.programAdmin().createReward(request).getReward();

    assertThat(server.programAdmin().createReward(request).getReward()).isEqualTo(first);
    assertThat(server.queryLong("SELECT count(*) FROM rewards WHERE free_sku = 'MUG'"))
        .isEqualTo(1);
    StatusRuntimeException reused = expect(Status.Code.ALREADY_EXISTS,
        () -> server.programAdmin().createReward(request.toBuilder()
            .setReward(freeItem("", 301, "MUG")).build()));
    assertThat(reason(reused)).isEqualTo("REQUEST_ID_REUSED");
    StatusRuntimeException taken = expect(Status.Code.ALREADY_EXISTS,
        () -> create(freeItem(first.getRewardId(), 50, "PEN")));
    assertThat(reason(taken)).isEqualTo("REWARD_ALREADY_EXISTS");
    assertThat(get(first.getRewardId())).isEqualTo(first);
  }

  @Test
  void keysWithoutTheAdminScopeCannotReadOrChangeTheCatalogue() {
    Reward reward = create(amountOff(newId(), 500, 300));
    var keys = server.app().component().apiKeys();
    for (String key : List.of(
        keys.create(EnumSet.of(Scope.CHECKOUT), Optional.of("store-1"), "lane", "test").secret(),
        keys.create(EnumSet.of(Scope.BACKOFFICE), Optional.empty(), "desk", "test").secret())) {
      ProgramAdminServiceBlockingStub stub = ProgramAdminServiceGrpc
          .newBlockingStub(server.channel()).withCallCredentials(TestServer.bearer(key))
          .withDeadlineAfter(30, TimeUnit.SECONDS);
      List<Runnable> calls = List.of(
          () -> stub.createReward(CreateRewardRequest.newBuilder().setRequestId(newId())
              .setReward(amountOff(newId(), 500, 300)).build()),
          () -> stub.updateReward(UpdateRewardRequest.newBuilder().setRequestId(newId())
              .setReward(reward.toBuilder().setPointsCost(1))
              .setUpdateMask(FieldMask.newBuilder().addPaths("points_cost")).build()),
          () -> stub.getReward(GetRewardRequest.newBuilder().setRewardId(reward.getRewardId())
              .build()),
          () -> stub.listRewards(ListRewardsRequest.getDefaultInstance()),
          () -> stub.retireReward(RetireRewardRequest.newBuilder().setRequestId(newId())
              .setRewardId(reward.getRewardId()).build()));
      for (Runnable call : calls) {
        assertThat(reason(expect(Status.Code.PERMISSION_DENIED, call))).isEqualTo("SCOPE_MISSING");
      }
    }
    assertThat(get(reward.getRewardId())).isEqualTo(reward);
  }

  private static Reward amountOff(String id, long cost, long offMinor) {
    return Reward.newBuilder().setRewardId(id).setDisplayName("Money off").setPointsCost(cost)
        .setKind(Reward.Kind.KIND_AMOUNT_OFF).setAmountOff(Lane.eur(offMinor)).build();
  }

  private static Reward freeItem(String id, long cost, String sku) {
    return Reward.newBuilder().setRewardId(id).setDisplayName("Free item").setPointsCost(cost)
        .setKind(Reward.Kind.KIND_FREE_ITEM).setFreeItemSku(sku).build();
  }

  private static Reward create(Reward reward) {
    return server.programAdmin().createReward(CreateRewardRequest.newBuilder()
        .setRequestId(newId()).setReward(reward).build()).getReward();
  }

  private static Reward update(Reward values, String... paths) {
    return server.programAdmin().updateReward(UpdateRewardRequest.newBuilder()
        .setRequestId(newId()).setReward(values)
        .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths))).build()).getReward();
  }

  private static Reward get(String rewardId) {
    return server.programAdmin().getReward(GetRewardRequest.newBuilder().setRewardId(rewardId)
        .build()).getReward();
  }

  private static Reward retire(String rewardId) {
    return server.programAdmin().retireReward(RetireRewardRequest.newBuilder()
        .setRequestId(newId()).setRewardId(rewardId).build()).getReward();
  }

  /** Every page of a list, as the reward ids of each page. */
  private static List<List<String>> pages(ProgramAdminServiceBlockingStub admin,
      ListRewardsRequest first) {
    List<List<String>> pages = new ArrayList<>();
    ListRewardsRequest request = first;
    while (true) {
      ListRewardsResponse page = admin.listRewards(request);
      pages.add(page.getRewardsList().stream().map(Reward::getRewardId).toList());
      if (page.getNextPageToken().isEmpty()) {
        return pages;
      }
      request = request.toBuilder().setPageToken(page.getNextPageToken()).build();
    }
  }

  private static long version(String rewardId) {
    return server.queryLong("SELECT version FROM rewards WHERE reward_id = '" + rewardId + "'");
  }

  /** What a catalogue change writes: rewards, their versions, idempotency and audit rows. */
  private static List<Long> footprint() {
    return List.of(
        server.queryLong("SELECT count(*) FROM rewards"),
        server.queryLong("SELECT COALESCE(SUM(version), 0) FROM rewards"),
        server.queryLong("SELECT count(*) FROM idempotency_records"),
        server.queryLong("SELECT count(*) FROM audit_log"));
  }

  private static String newId() {
    return "t-" + ids.incrementAndGet();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano())
        .build();
  }
}
