package com.posloyalty.loadtest;

import com.posloyalty.v1.Channel;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.PointOfSale;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A lane recognising a loyalty card: IdentifyMember on cache hits over the hot set. */
final class IdentifyScenario implements Scenario {

  static final String NAME = "identify";
  private static final PointOfSale POS = PointOfSale.newBuilder().setStoreId("store-1")
      .setTerminalId("lane-1").setChannel(Channel.CHANNEL_STAFFED_LANE).build();

  private final GrpcClient client;
  private final HotSet hot;

  IdentifyScenario(GrpcClient client, HotSet hot) {
    this.client = client;
    this.hot = hot;
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
    hot.warm(client);
  }

  @Override
  public CompletableFuture<?> arrive(long dueNanos, Recording recording) {
    long member = hot.pick();
    return recording.op("identify").time(dueNanos, () -> client.call(
        CheckoutServiceGrpc.getIdentifyMemberMethod(), hot.identify(member, POS)));
  }
}
