package com.posloyalty.server.security;

import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.fields;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.flow.PageTokens;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.ApiKey;
import com.posloyalty.v1.ApiKeyScope;
import com.posloyalty.v1.CheckoutServiceGrpc;
import com.posloyalty.v1.CreateApiKeyRequest;
import com.posloyalty.v1.CreateApiKeyResponse;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.ListApiKeysRequest;
import com.posloyalty.v1.ListApiKeysResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys through ProgramAdminService: creation idempotent by request id without ever
 * showing a secret twice, and paging that neither skips nor repeats keys created in the
 * same instant (the clock here stands still).
 */
class ApiKeyAdminTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("apikey_admin", CLOCK, Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static CreateApiKeyRequest lane(String requestId, String store) {
    return CreateApiKeyRequest.newBuilder().setRequestId(requestId)
        .addScopes(ApiKeyScope.API_KEY_SCOPE_CHECKOUT).setStoreId(store)
        .setLabel("lane 1 of " + store).build();
  }

  private static long keysLabelled(String label) {
    return server.queryLong("SELECT count(*) FROM api_keys WHERE label = '" + label + "'");
  }

  @Test
  void aRepeatedCreateAnswersTheSameKeyWithoutItsSecretAndCreatesNothing() {
    CreateApiKeyResponse first = server.programAdmin().createApiKey(lane("ck-1", "s7"));
    assertThat(first.getSecret()).isNotEmpty();
    assertThat(first.getReplayed()).isFalse();
    // The secret works for its own store.
    CheckoutServiceGrpc.newBlockingStub(server.channel())
        .withCallCredentials(TestServer.bearer(first.getSecret()))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .enrollMember(EnrollMemberRequest.newBuilder().setRequestId("e-ck")
            .setPointOfSale(TestServer.lane("s7", "l1")).setGivenName("Kim")
            .setPhone("+4915100000777").build());

    CreateApiKeyResponse again = server.programAdmin().createApiKey(lane("ck-1", "s7"));
    assertThat(again.getReplayed()).isTrue();
    assertThat(again.getSecret()).isEmpty();
    assertThat(again.getApiKey()).isEqualTo(first.getApiKey());
    assertThat(keysLabelled("lane 1 of s7")).isEqualTo(1);

    StatusRuntimeException reused = expect(Status.Code.ALREADY_EXISTS,
        () -> server.programAdmin().createApiKey(lane("ck-1", "s8")));
    assertThat(reason(reused)).isEqualTo("REQUEST_ID_REUSED");
    assertThat(keysLabelled("lane 1 of s8")).isZero();
  }

  @Test
  void pagesOfKeysCreatedInOneInstantNeitherSkipNorRepeat() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(server.programAdmin().createApiKey(lane("page-" + i, "pg")).getApiKey()
          .getKeyId());
    }
    List<String> listed = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListApiKeysResponse page = server.programAdmin().listApiKeys(ListApiKeysRequest
          .newBuilder().setStoreId("pg").setPageSize(3).setPageToken(token).build());
      page.getApiKeysList().stream().map(ApiKey::getKeyId).forEach(listed::add);
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty() && pages < 10);
    assertThat(pages).isEqualTo(3);
    // A token belongs to its list: another store or show_revoked is refused.
    String second = server.programAdmin().listApiKeys(ListApiKeysRequest.newBuilder()
        .setStoreId("pg").setPageSize(3).build()).getNextPageToken();
    for (ListApiKeysRequest other : List.of(
        ListApiKeysRequest.newBuilder().setStoreId("s7").setPageToken(second).build(),
        ListApiKeysRequest.newBuilder().setStoreId("pg").setShowRevoked(true)
            .setPageToken(second).build())) {
      StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
          () -> server.programAdmin().listApiKeys(other));
      assertThat(reason(e)).isEqualTo("PAGE_TOKEN_INVALID");
    }
    assertThat(listed).hasSize(7).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(created);
  }

  @Test
  void aPageTokenNotFromTheListIsRefused() {
    assertEveryPageTokenRefused(List.of("123", "x.y.z", "%%%",
        PageTokens.encode("k1", "", "false", "1", "2", ""),
        PageTokens.encode("k1", "", "false", "x", "0", "k"),
        PageTokens.encode("k1", "", "false", "9223372036854775807", "0", "k")));
  }

  @Test
  void aForgedPageTokenOutOfRangeIsRefusedAsInvalidNotInternal() {
    assertEveryPageTokenRefused(List.of(
        // Instant.ofEpochSecond overflows adding the nanos' whole seconds.
        PageTokens.encode("k1", "", "false", "9223372036854775807", "9223372036854775807", "k"),
        // Valid instants beyond PostgreSQL's timestamp range (294276 AD, 4713 BC).
        PageTokens.encode("k1", "", "false", "10000000000000", "0", "k"),
        PageTokens.encode("k1", "", "false", "-1000000000000", "0", "k"),
        // Never issued: nanos outside a second, a key id that is not one.
        PageTokens.encode("k1", "", "false", "1772445600", "-1", "k"),
        PageTokens.encode("k1", "", "false", "1772445600", "1000000000", "k"),
        PageTokens.encode("k1", "", "false", "1772445600", "0", "k\u0000")));
  }

  private static void assertEveryPageTokenRefused(List<String> tokens) {
    for (String token : tokens) {
      StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
          () -> server.programAdmin().listApiKeys(
              ListApiKeysRequest.newBuilder().setPageToken(token).build()));
      assertThat(reason(e)).isEqualTo("PAGE_TOKEN_INVALID");
      assertThat(fields(e)).containsExactly("page_token");
    }
  }
}
