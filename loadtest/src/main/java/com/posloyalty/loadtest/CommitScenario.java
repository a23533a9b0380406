package com.posloyalty.loadtest;

import com.posloyalty.v1.Basket;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CommitTransaction on its own: each arrival commits one new sale that earns, for a hot
 * member named by id (as a lane does once IdentifyMember has answered), with no
 * redemption. It is what the SQL ceiling's bare transaction stands for, so the commit
 * targets are judged on it; the {@code checkout} lane mix shows what a whole sale costs.
 */
final class CommitScenario implements Scenario {

  static final String NAME = "commit";

  private final GrpcClient client;
  private final HotSet hot;
  private final Lanes lanes;
  private final List<Basket> baskets = LaneBaskets.generate(256, 43);
  private final String runTag = "lc" + Long.toString(System.currentTimeMillis(), 36);
  private final AtomicLong sales = new AtomicLong();

  CommitScenario(GrpcClient client, HotSet hot, Lanes lanes) {
    this.client = client;
    this.hot = hot;
    this.lanes = lanes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> operations() {
    return List.of("commit");
  }

  @Override
  public String headline() {
    return "commit";
  }

  @Override
  public void prepare() throws InterruptedException {
    hot.warm(client, lanes);
  }

  @Override
  public CompletableFuture<?> arrive(long dueNanos, Recording recording) {
    Lanes.Lane lane = lanes.pick();
    CommitTransactionRequest request = CommitTransactionRequest.newBuilder()
        .setPointOfSale(lane.pos())
        .setPosTransactionId(runTag + "-" + sales.incrementAndGet())
        .setMemberId(Population.memberId(hot.pick()))
        .setBasket(baskets.get(ThreadLocalRandom.current().nextInt(baskets.size())))
        .build();
    return recording.op("commit").time(dueNanos, () -> client.call(
        CheckoutServiceGrpc.getCommitTransactionMethod(), request, lane.apiKey()));
  }
}
