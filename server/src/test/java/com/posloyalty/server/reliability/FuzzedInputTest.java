package com.posloyalty.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.posloyalty.server.testing.TestServices;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EventServiceGrpc;
import com.posloyalty.v1.MemberAdminServiceGrpc;
import com.posloyalty.v1.PointOfSale;
import com.posloyalty.v1.ProgramAdminServiceGrpc;
import io.grpc.Status.Code;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: generated requests to every RPC of the four services — random fields,
 * numbers near the int64 limits, huge strings and repeated fields, unknown enum values,
 * string fields whose bytes are not UTF-8 — against a server process. Every answer must
 * be a success or a refusal with a reason (never INTERNAL or UNKNOWN), the process must
 * survive, and the database must hold no partial write.
 */
@Tag("reliability")
class FuzzedInputTest {

  static final int CLIENTS = 4;

  @Test
  void tenThousandGeneratedRequestsGetOnlyAnswersOrReasonedRefusals() throws Exception {
    run("short", 10_000);
  }

  @Test
  @Tag("long")
  void hundredThousandGeneratedRequestsGetOnlyAnswersOrReasonedRefusals() throws Exception {
    run("long", 100_000);
  }

  private static void run(String form, int requests) throws Exception {
    String db = TestServices.newDatabase("rel_fuzz");
    Map<String, String> settings = ServerProcess.settings(db, TestServices.redisUrl(), "fuzz");
    // App QR tokens on, so that their parsing and checks are fuzzed too.
    settings.put("LOYALTY_APP_TOKEN_KEYS", "t1=" + Base64.getEncoder()
        .encodeToString("reliability-app-token-key-0123456789".getBytes()));
    String key = ServerProcess.createKey(settings);
    try (ServerProcess server = ServerProcess.start("fuzz-" + form, settings);
        LedgerAudit audit = new LedgerAudit(db)) {
      Map<String, List<String>> ids = seed(server, key);
      List<MethodDescriptor> methods = new ArrayList<>();
      for (ServiceDescriptor service : List.of(
          CheckoutServiceGrpc.getServiceDescriptor(), MemberAdminServiceGrpc.getServiceDescriptor(),
          ProgramAdminServiceGrpc.getServiceDescriptor(), EventServiceGrpc.getServiceDescriptor())
          .stream().map(d -> ((ProtoServiceDescriptorSupplier)
              d.getSchemaDescriptor()).getServiceDescriptor()).toList()) {
        methods.addAll(service.getMethods());
      }
      // Most requests go to the RPCs this release serves (the rest answer UNIMPLEMENTED).
      RawCall probe = new RawCall(server);
      List<MethodDescriptor> served = methods.stream().filter(m -> probe.call(m, new byte[0], key)
          .code() != Code.UNIMPLEMENTED).toList();
      FuzzTally tally = new FuzzTally();
      List<Thread> clients = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < CLIENTS; i++) {
        int client = i;
        int count = requests / CLIENTS + (i < requests % CLIENTS ? 1 : 0);
        Thread t = new Thread(() -> fuzz(server, key, methods, served, ids,
            new Random(6_000 + client), count, tally), "fuzz-" + i);
        t.start();
        clients.add(t);
      }
      for (Thread t : clients) {
        t.join();
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      int oversized = oversized(server, key, tally);

      boolean alive = server.alive();
      ServingStatus health = server.health("");
      LedgerAudit.Findings findings = audit.audit();
      new Figures("6-fuzzed-input", form)
          .put("RPCs fuzzed (all of the four services)", methods.size())
          .put("RPCs served in this release (90 % of the requests)", served.size())
          .put("generated requests", tally.sent.get())
          .put("  of which with a non-UTF-8 string field", tally.invalidUtf8.get())
          .put("  of which with a made-up API key", tally.badKey.get())
          .put("wall time ms", millis)
          .put("answers by status/reason", new TreeMap<>(tally.outcomes))
          .put("non-UTF-8 requests answered", new TreeMap<>(tally.invalidUtf8Outcomes))
          .put("over-size requests (> 1 MiB) answered", oversized + " x RESOURCE_EXHAUSTED")
          .put("RPCs answering UNIMPLEMENTED (not served in this release)",
              tally.unimplemented.keySet().stream().sorted().toList())
          .put("other violations (INTERNAL, UNKNOWN, refusal without reason …)",
              tally.violations.get())
          .put("violations by RPC and answer (an example each)", new TreeMap<>(tally.examples))
          .put("server process alive / health", alive + " / " + health)
          .put("sales in PostgreSQL", findings.transactions())
          .put("ledger audit (partial writes)", findings)
          .write();

      assertThat(tally.examples).as("violations").isEmpty();
      assertThat(tally.sent.get()).isEqualTo(requests);
      assertThat(tally.invalidUtf8.get()).isPositive();
      assertThat(tally.invalidUtf8Outcomes).as("how non-UTF-8 requests were answered")
          .containsKey("INVALID_ARGUMENT/MALFORMED_REQUEST");
      assertThat(oversized).isEqualTo(3);
      assertThat(alive).as("server process alive").isTrue();
      assertThat(health).isEqualTo(ServingStatus.SERVING);
      assertThat(findings.clean()).as(findings.toString()).isTrue();
    }
  }

  /** Real ids for the generator: members, cards, sales, reservations of a small program. */
  private static Map<String, List<String>> seed(ServerProcess server, String key) {
    List<Lane.Member> members = Lane.enroll(server.channel(), key, "fz", 4);
    PointOfSale pos = Lane.terminal("lane-1");
    List<String> sales = new ArrayList<>();
    List<String> reservations = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String member = members.get(i).memberId();
      CommitTransactionRequest sale = Lane.sale(pos, "fz-sale-" + i, member, 50_000, List.of());
      Lane.checkout(server.channel(), key, 30_000).commitTransaction(sale);
      sales.add(sale.getPosTransactionId());
      reservations.add(Lane.checkout(server.channel(), key, 30_000).reserveRedemption(
          Lane.tender(pos, "fz-reserve-" + i, member, 10, 1_000)).getReservation()
          .getReservationId());
    }
    Map<String, List<String>> ids = new ConcurrentHashMap<>();
    ids.put("member_id", members.stream().map(Lane.Member::memberId).toList());
    ids.put("card_number", members.stream().map(Lane.Member::cardNumber).toList());
    ids.put("pos_transaction_id", sales);
    ids.put("reservation_id", reservations);
    ids.put("store_id", List.of(Lane.STORE));
    ids.put("terminal_id", List.of("lane-1"));
    ids.put("currency_code", List.of("EUR"));
    ids.put("line_id", List.of("1", "2"));
    ids.put("request_id", List.of("fz-r1", "fz-r2", "fz-r3", "fz-reserve-0"));
    ids.put("return_id", List.of("fz-ret1", "fz-ret2", "fz-ret3"));
    ids.put("phone", List.of("+4915199990001", "+4915199990002", "015199990003"));
    ids.put("email", List.of("fz1@example.com", "FZ2@Example.com"));
    ids.put("given_name", List.of("Fuzz"));
    return ids;
  }

  private static void fuzz(ServerProcess server, String key, List<MethodDescriptor> methods,
      List<MethodDescriptor> served, Map<String, List<String>> ids, Random random, int count,
      FuzzTally tally) {
    RequestFuzzer fuzzer = new RequestFuzzer(random, ids);
    RawCall raw = new RawCall(server);
    for (int i = 0; i < count; i++) {
      List<MethodDescriptor> from = random.nextInt(10) == 0 ? methods : served;
      MethodDescriptor method = from.get(random.nextInt(from.size()));
      Descriptor input = method.getInputType();
      DynamicMessage message = fuzzer.message(input);
      byte[] bytes = message.toByteArray();
      boolean invalidUtf8 = random.nextInt(20) == 0;
      if (invalidUtf8) {
        byte[] broken = fuzzer.withInvalidUtf8(input, message);
        invalidUtf8 = broken != null;
        bytes = broken != null ? broken : bytes;
      }
      boolean badKey = !invalidUtf8 && random.nextInt(100) == 0;
      String usedKey = badKey ? "pl_" + Long.toHexString(random.nextLong()) : key;
      RawCall.Answer answer = raw.call(method, bytes, usedKey);
      tally.record(method, answer, invalidUtf8, badKey, bytes);
    }
  }

  /** Requests over the 1 MiB limit: refused by gRPC itself before any service code. */
  private static int oversized(ServerProcess server, String key, FuzzTally tally) {
    RawCall raw = new RawCall(server);
    MethodDescriptor commit = CommitTransactionRequest.getDescriptor().getFile()
        .findServiceByName("CheckoutService").findMethodByName("CommitTransaction");
    int refused = 0;
    for (int i = 0; i < 3; i++) {
      byte[] huge = CommitTransactionRequest.newBuilder()
          .setPosTransactionId("x".repeat(2_000_000)).build().toByteArray();
      RawCall.Answer answer = raw.call(commit, huge, key);
      refused += answer.code() == Code.RESOURCE_EXHAUSTED ? 1 : 0;
    }
    return refused;
  }

  /** What the fuzz clients saw. */
  static final class FuzzTally {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong invalidUtf8 = new AtomicLong();
    final AtomicLong badKey = new AtomicLong();
    final AtomicLong violations = new AtomicLong();
    final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> invalidUtf8Outcomes = new ConcurrentHashMap<>();
    final Map<String, Boolean> unimplemented = new ConcurrentHashMap<>();
    /** One example request per RPC and unacceptable answer. */
    final Map<String, String> examples = new ConcurrentHashMap<>();

    void record(MethodDescriptor method, RawCall.Answer answer, boolean invalidUtf8,
        boolean badKey, byte[] request) {
      sent.incrementAndGet();
      String label = answer.label();
      (invalidUtf8 ? invalidUtf8Outcomes : outcomes).computeIfAbsent(label, k -> new AtomicLong())
          .incrementAndGet();
      if (invalidUtf8) {
        this.invalidUtf8.incrementAndGet();
      }
      if (badKey) {
        this.badKey.incrementAndGet();
      }
      if (answer.code() == Code.UNIMPLEMENTED) {
        unimplemented.put(method.getFullName(), true);
      }
      if (acceptable(answer, badKey)) {
        return;
      }
      violations.incrementAndGet();
      if (examples.size() < 50) {
        examples.putIfAbsent(method.getFullName() + " -> " + label, answer.description()
            + "; request " + HexFormat.of().formatHex(request, 0, Math.min(200, request.length)));
      }
    }

    /**
     * An answer, or a refusal with a stable reason; UNIMPLEMENTED for the RPCs this release
     * does not serve; UNAUTHENTICATED only for a made-up key; PERMISSION_DENIED only when a
     * reservation named belongs to another store.
     */
    private static boolean acceptable(RawCall.Answer answer, boolean badKey) {
      boolean reasoned = !answer.reason().isEmpty();
      return switch (answer.code()) {
        case OK, UNIMPLEMENTED -> true;
        case INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS -> reasoned;
        case UNAUTHENTICATED -> badKey && reasoned;
        case PERMISSION_DENIED -> "STORE_MISMATCH".equals(answer.reason());
        default -> false;
      };
    }
  }
}
