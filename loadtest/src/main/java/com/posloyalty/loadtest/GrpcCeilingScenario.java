package com.posloyalty.loadtest;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The empty-call ceiling: the standard health Check on the same server through the same
 * client and channels, with the same authorization header (which the health service does
 * not check). It does no work, so its highest sustained rate is what this machine's gRPC
 * stack (client and server together) can carry.
 */
final class GrpcCeilingScenario implements Scenario {

  static final String NAME = "ceiling-grpc";
  private static final HealthCheckRequest CHECK = HealthCheckRequest.newBuilder().build();

  private final GrpcClient client;
  private final Lanes lanes;

  GrpcCeilingScenario(GrpcClient client, Lanes lanes) {
    this.client = client;
    this.lanes = lanes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> operations() {
    return List.of("health-check");
  }

  @Override
  public String headline() {
    return "health-check";
  }

  @Override
  public CompletableFuture<?> arrive(long dueNanos, Recording recording) {
    return recording.op("health-check").time(dueNanos,
        () -> client.call(HealthGrpc.getCheckMethod(), CHECK, lanes.pick().apiKey())
            .thenApply(answer -> {
              if (answer.getStatus() != ServingStatus.SERVING) {
                throw new Failures.UnexpectedResponse("HEALTH/" + answer.getStatus());
              }
              return answer;
            }));
  }
}
