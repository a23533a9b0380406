package com.posloyalty.loadtest;

import com.posloyalty.v1.CheckoutServiceGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A lane recognising a loyalty card: IdentifyMember on cache hits over the hot set. */
final class IdentifyScenario implements Scenario {

  static final String NAME = "identify";

  private final GrpcClient client;
  private final HotSet hot;
  private final Lanes lanes;

  IdentifyScenario(GrpcClient client, HotSet hot, Lanes lanes) {
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
    return List.of("identify");
  }

  @Override
  public String headline() {
    return "identify";
  }

  @Override
  public void prepare() throws InterruptedException {
    hot.warm(client, lanes);
  }

  @Override
  public CompletableFuture<?> arrive(long dueNanos, Recording recording) {
    long member = hot.pick();
    Lanes.Lane lane = lanes.pick();
    return recording.op("identify").time(dueNanos, () -> client.call(
        CheckoutServiceGrpc.getIdentifyMemberMethod(), hot.identify(member, lane.pos()),
        lane.apiKey()));
  }
}
