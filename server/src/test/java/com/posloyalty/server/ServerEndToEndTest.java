package com.posloyalty.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.EventServiceGrpc;
import com.posloyalty.v1.ListMemberOffersRequest;
import com.posloyalty.v1.StreamEventsRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real server on a real Netty port: health, reflection, UNIMPLEMENTED for later RPCs. */
class ServerEndToEndTest {

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("e2e", Clock.systemUTC(), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthIsServingForTheServerAndEveryService() throws InterruptedException {
    for (String service : List.of("", "posloyalty.v1.CheckoutService",
        "posloyalty.v1.MemberAdminService", "posloyalty.v1.ProgramAdminService",
        "posloyalty.v1.EventService", "posloyalty.dependency.Redis")) {
      assertThat(statusWithin10s(service)).as(service).isEqualTo(ServingStatus.SERVING);
    }
  }

  /** Health is probed every second; a loaded machine may need a few probes after start. */
  private static ServingStatus statusWithin10s(String service) throws InterruptedException {
    ServingStatus status = ServingStatus.UNKNOWN;
    for (int i = 0; i < 100 && status != ServingStatus.SERVING; i++) {
      if (i > 0) {
        Thread.sleep(100);
      }
      status = HealthGrpc.newBlockingStub(server.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }
    return status;
  }

  @Test
  void reflectionListsTheFourLoyaltyServices() throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc
        .newStub(server.channel())
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse r) {
            names.complete(r.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList());
          }

          @Override
          public void onError(Throwable t) {
            names.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    assertThat(names.get(10, TimeUnit.SECONDS)).contains(
        "posloyalty.v1.CheckoutService", "posloyalty.v1.MemberAdminService",
        "posloyalty.v1.ProgramAdminService", "posloyalty.v1.EventService",
        "grpc.health.v1.Health");
  }

  @Test
  void notYetImplementedRpcsAnswerUnimplemented() {
    assertThatThrownBy(() -> server.checkout().listMemberOffers(
        ListMemberOffersRequest.newBuilder().setMemberId("m").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    var events = EventServiceGrpc.newBlockingStub(server.channel())
        .withCallCredentials(TestServer.bearer(server.apiKey()))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .streamEvents(StreamEventsRequest.getDefaultInstance());
    assertThatThrownBy(events::hasNext)
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void metricsCarryCallLatenciesAndTheJvmsHeapAndGc() {
    assertThatThrownBy(() -> server.checkout().listMemberOffers(
        ListMemberOffersRequest.newBuilder().setMemberId("m").build()))
        .isInstanceOf(StatusRuntimeException.class);
    String scrape = server.app().component().metrics().scrape();
    assertThat(scrape)
        .contains("loyalty_grpc_server_calls_seconds_count{code=\"UNIMPLEMENTED\","
            + "method=\"posloyalty.v1.CheckoutService/ListMemberOffers\"}")
        .contains("jvm_memory_used_bytes{area=\"heap\"")
        .contains("jvm_memory_max_bytes{area=\"heap\"")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("process_cpu_usage");
  }
}
