package com.posloyalty.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.GrpcErrors;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.EventServiceGrpc;
import com.posloyalty.v1.MemberAdminServiceGrpc;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ProgramAdminServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every RPC of every loyalty service, called with no key, an unknown key, a revoked key,
 * a key without the scope, and another store's key: the right code, and nothing written.
 */
class AccessControlTest {

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("access", Clock.systemUTC(),
        Map.of("LOYALTY_API_KEY_CACHE_SECONDS", "1"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<MethodDescriptor<?, ?>> everyRpc() {
    List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
    for (ServiceDescriptor service : List.of(CheckoutServiceGrpc.getServiceDescriptor(),
        MemberAdminServiceGrpc.getServiceDescriptor(), ProgramAdminServiceGrpc.getServiceDescriptor(),
        EventServiceGrpc.getServiceDescriptor())) {
      methods.addAll(service.getMethods());
    }
    return methods;
  }

  /** A request for the method, acting for store s1 wherever the request names a store. */
  @SuppressWarnings("unchecked")
  static <Q> Q request(MethodDescriptor<Q, ?> method) {
    Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<Q>)
        method.getRequestMarshaller()).getMessagePrototype();
    Message.Builder b = prototype.toBuilder();
    for (String name : List.of("point_of_sale", "original")) {
      FieldDescriptor f = b.getDescriptorForType().findFieldByName(name);
      if (f != null) {
        b.setField(f, name.equals("point_of_sale")
            ? TestServer.lane("s1", "lane-1")
            : com.posloyalty.v1.TransactionKey.newBuilder().setStoreId("s1")
                .setTerminalId("lane-1").setPosTransactionId("t1").build());
      }
    }
    return (Q) b.build();
  }

  static <Q, R> Status.Code call(MethodDescriptor<Q, R> method, Optional<String> key) {
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    if (key.isPresent()) {
      options = options.withCallCredentials(TestServer.bearer(key.get()));
    }
    try {
      if (method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        Iterator<R> it = ClientCalls.blockingServerStreamingCall(server.channel(), method,
            options, request(method));
        it.hasNext();
      } else {
        ClientCalls.blockingUnaryCall(server.channel(), method, options, request(method));
      }
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  static long writes() {
    return server.queryLong("SELECT (SELECT count(*) FROM ledger_entries)"
        + " + (SELECT count(*) FROM members) + (SELECT count(*) FROM transactions)"
        + " + (SELECT count(*) FROM reservations) + (SELECT count(*) FROM api_keys)"
        + " + (SELECT count(*) FROM idempotency_records)");
  }

  @Test
  void missingUnknownAndMalformedKeysAreUnauthenticated() {
    long before = writes();
    for (MethodDescriptor<?, ?> method : everyRpc()) {
      assertThat(call(method, Optional.empty())).as(method.getFullMethodName())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(call(method, Optional.of("plk_aaaaaaaaaaaa_" + "b".repeat(32))))
          .as(method.getFullMethodName()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(call(method, Optional.of("not-a-key"))).as(method.getFullMethodName())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    assertThat(writes()).isEqualTo(before);
  }

  @Test
  void aRevokedKeyStopsWorkingWithinSeconds() throws Exception {
    String key = server.app().component().apiKeys().create(EnumSet.of(Scope.BACKOFFICE),
        Optional.empty(), "to revoke", "test").secret();
    MethodDescriptor<?, ?> verify = MemberAdminServiceGrpc.getVerifyLedgerMethod();
    assertThat(call(verify, Optional.of(key))).isEqualTo(Status.Code.OK);
    server.app().component().apiKeys().revoke(key.substring(4, 16), "test");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    Status.Code code = Status.Code.OK;
    while (code == Status.Code.OK && System.nanoTime() < deadline) {
      Thread.sleep(100);
      code = call(verify, Optional.of(key));
    }
    assertThat(code).isEqualTo(Status.Code.UNAUTHENTICATED);
    long before = writes();
    for (MethodDescriptor<?, ?> method : everyRpc()) {
      assertThat(call(method, Optional.of(key))).as(method.getFullMethodName())
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    assertThat(writes()).isEqualTo(before);
  }

  @Test
  void keysWithoutTheServicesScopeAreDenied() {
    var keys = server.app().component().apiKeys();
    String checkout = keys.create(EnumSet.of(Scope.CHECKOUT), Optional.of("s1"), "lane", "t").secret();
    String backoffice = keys.create(EnumSet.of(Scope.BACKOFFICE), Optional.empty(), "bo", "t").secret();
    String admin = keys.create(EnumSet.of(Scope.ADMIN), Optional.empty(), "admin", "t").secret();
    long before = writes();
    for (MethodDescriptor<?, ?> method : everyRpc()) {
      String service = method.getServiceName();
      boolean checkoutAllowed = service.equals("posloyalty.v1.CheckoutService");
      boolean backofficeAllowed = !service.equals("posloyalty.v1.ProgramAdminService");
      boolean adminAllowed = !service.equals("posloyalty.v1.CheckoutService")
          && (!service.equals("posloyalty.v1.MemberAdminService")
              || method.getFullMethodName().endsWith("/VerifyLedger"));
      check(method, checkout, checkoutAllowed);
      check(method, backoffice, backofficeAllowed);
      check(method, admin, adminAllowed);
    }
    assertThat(writes()).isEqualTo(before);
  }

  private static void check(MethodDescriptor<?, ?> method, String key, boolean allowed) {
    Status.Code code = call(method, Optional.of(key));
    if (allowed) {
      assertThat(code).as(method.getFullMethodName()).isNotIn(Status.Code.UNAUTHENTICATED,
          Status.Code.PERMISSION_DENIED, Status.Code.INTERNAL);
    } else {
      assertThat(code).as(method.getFullMethodName()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
  }

  @Test
  void aTerminalKeyCannotActForAnotherStore() {
    String storeB = server.app().component().apiKeys().create(EnumSet.of(Scope.CHECKOUT),
        Optional.of("s2"), "lane of s2", "t").secret();
    long before = writes();
    for (MethodDescriptor<?, ?> method : CheckoutServiceGrpc.getServiceDescriptor().getMethods()) {
      Message request = (Message) request(method);
      if (request.getDescriptorForType().findFieldByName("point_of_sale") == null) {
        continue;
      }
      assertThat(call(method, Optional.of(storeB))).as(method.getFullMethodName())
          .isEqualTo(Status.Code.PERMISSION_DENIED);
    }
    var identify = com.posloyalty.v1.IdentifyMemberRequest.newBuilder()
        .setPointOfSale(PointOfSale.newBuilder().setStoreId("s1").setTerminalId("x")
            .setChannel(com.posloyalty.v1.Channel.CHANNEL_STAFFED_LANE))
        .setMemberId("mbr_x").build();
    StatusRuntimeException denied = GrpcErrors.expect(Status.Code.PERMISSION_DENIED,
        () -> CheckoutServiceGrpc.newBlockingStub(server.channel())
            .withCallCredentials(TestServer.bearer(storeB)).identifyMember(identify));
    assertThat(GrpcErrors.reason(denied)).isEqualTo("STORE_MISMATCH");
    assertThat(writes()).isEqualTo(before);
  }

  @Test
  void aTerminalKeysBadInputIsRefusedAsBadInputNotAsAnotherStore() {
    String storeA = server.app().component().apiKeys().create(EnumSet.of(Scope.CHECKOUT),
        Optional.of("s1"), "lane of s1", "t").secret();
    var lane = CheckoutServiceGrpc.newBlockingStub(server.channel())
        .withCallCredentials(TestServer.bearer(storeA));
    long before = writes();

    StatusRuntimeException noLane = GrpcErrors.expect(Status.Code.INVALID_ARGUMENT,
        () -> lane.commitTransaction(com.posloyalty.v1.CommitTransactionRequest.newBuilder()
            .setPosTransactionId("p-1").setMemberId("mbr_x").build()));
    assertThat(GrpcErrors.reason(noLane)).isEqualTo("FIELD_REQUIRED");
    assertThat(GrpcErrors.fields(noLane)).contains("point_of_sale");

    StatusRuntimeException noOriginal = GrpcErrors.expect(Status.Code.INVALID_ARGUMENT,
        () -> lane.voidTransaction(com.posloyalty.v1.VoidTransactionRequest.newBuilder()
            .setPointOfSale(PointOfSale.newBuilder().setStoreId("s1").setTerminalId("x")
                .setChannel(com.posloyalty.v1.Channel.CHANNEL_STAFFED_LANE)).build()));
    assertThat(GrpcErrors.fields(noOriginal)).contains("original");

    // Bytes that do not parse (a string field that is not UTF-8).
    MethodDescriptor<byte[], byte[]> raw = com.posloyalty.server.testing.RawBytes.of(
        CheckoutServiceGrpc.getIdentifyMemberMethod());
    StatusRuntimeException malformed = GrpcErrors.expect(Status.Code.INVALID_ARGUMENT,
        () -> ClientCalls.blockingUnaryCall(server.channel(), raw,
            CallOptions.DEFAULT.withCallCredentials(TestServer.bearer(storeA))
                .withDeadlineAfter(10, TimeUnit.SECONDS), new byte[] {0x2a, 2, (byte) 0xff, 0}));
    assertThat(GrpcErrors.reason(malformed)).isEqualTo("MALFORMED_REQUEST");
    assertThat(writes()).isEqualTo(before);
  }
}
