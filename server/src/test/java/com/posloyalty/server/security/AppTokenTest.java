package com.posloyalty.server.security;

import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.fields;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.posloyalty.server.domain.AppTokens;
import com.posloyalty.server.testing.MutableClock;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.IssueAppTokenRequest;
import com.posloyalty.v1.IssueAppTokenResponse;
import io.grpc.Status;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** App QR tokens: short-lived, signed, naming one member; rotation keeps old tokens valid. */
class AppTokenTest {

  private static final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T09:00:00Z"));
  private static TestServer server;
  private static String member;

  @BeforeAll
  static void start() {
    server = TestServer.start("apptoken", clock, Map.of());
    member = server.checkout().enrollMember(EnrollMemberRequest.newBuilder().setRequestId("a1")
        .setPointOfSale(TestServer.lane("s1", "l1")).setGivenName("Ada")
        .setPhone("+4915100000401").build()).getMember().getMemberId();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static IdentifyMemberRequest byToken(String token) {
    return IdentifyMemberRequest.newBuilder().setPointOfSale(TestServer.lane("s1", "l1"))
        .setAppToken(token).build();
  }

  @Test
  void aFreshTokenIdentifiesItsMemberUntilItExpires() {
    IssueAppTokenResponse issued = server.memberAdmin().issueAppToken(
        IssueAppTokenRequest.newBuilder().setMemberId(member).build());
    assertThat(issued.getToken().length()).isLessThanOrEqualTo(256);
    assertThat(issued.getExpireTime().getSeconds())
        .isEqualTo(clock.instant().getEpochSecond() + 120);
    assertThat(server.checkout().identifyMember(byToken(issued.getToken())).getMember()
        .getMemberId()).isEqualTo(member);
    clock.advance(java.time.Duration.ofSeconds(121));
    var expired = expect(Status.Code.FAILED_PRECONDITION,
        () -> server.checkout().identifyMember(byToken(issued.getToken())));
    assertThat(reason(expired)).isEqualTo("APP_TOKEN_EXPIRED");
  }

  @Test
  void issuingATokenIsAuditedWithoutTheTokenOrPersonalData() {
    String bo = server.checkout().enrollMember(EnrollMemberRequest.newBuilder().setRequestId("a2")
        .setPointOfSale(TestServer.lane("s1", "l1")).setGivenName("Bo")
        .setPhone("+4915100000402").build()).getMember().getMemberId();
    server.memberAdmin().issueAppToken(IssueAppTokenRequest.newBuilder().setMemberId(bo)
        .setTtl(Duration.newBuilder().setSeconds(300)).build());
    String keyId = server.apiKey().split("_")[1];
    assertThat(server.queryLong("SELECT count(*) FROM audit_log WHERE member_id = '" + bo
        + "' AND action = 'APP_TOKEN_ISSUED'")).isEqualTo(1);
    assertThat(server.queryLong("SELECT count(*) FROM audit_log WHERE member_id = '" + bo
        + "' AND action = 'APP_TOKEN_ISSUED' AND actor = 'key:" + keyId + "'"
        + " AND detail = 'valid for 300 s'")).isEqualTo(1);
  }

  @Test
  void tamperedTokensAreRefused() {
    String token = server.memberAdmin().issueAppToken(IssueAppTokenRequest.newBuilder()
        .setMemberId(member).setTtl(Duration.newBuilder().setSeconds(600)).build()).getToken();
    String otherMember = token.replace(member, "mbr_someoneelse00000000");
    String longer = token.replaceFirst("\\.(\\d+)\\.", ".9999999999.");
    for (String forged : new String[] {otherMember, longer, token + "x", "v1.t1.a.b.c", "garbage"}) {
      var e = expect(Status.Code.INVALID_ARGUMENT,
          () -> server.checkout().identifyMember(byToken(forged)));
      assertThat(reason(e)).as(forged).isEqualTo("APP_TOKEN_INVALID");
      assertThat(fields(e)).containsExactly("app_token");
    }
  }

  @Test
  void rotatedKeysStillAcceptTokensSignedBeforeTheRotation() {
    Map<String, byte[]> before = new LinkedHashMap<>();
    before.put("k1", Base64.getDecoder().decode("a2V5LW9uZS0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OQ=="));
    AppTokens old = new AppTokens(before);
    Instant now = Instant.parse("2026-05-01T09:00:00Z");
    String issuedBefore = old.issue("mbr_1", now, java.time.Duration.ofMinutes(2));
    Map<String, byte[]> after = new LinkedHashMap<>();
    after.put("k2", Base64.getDecoder().decode("a2V5LXR3by0wMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OQ=="));
    after.putAll(before);
    AppTokens rotated = new AppTokens(after);
    assertThat(rotated.verify(issuedBefore, now.plusSeconds(60))).isEqualTo("mbr_1");
    String issuedAfter = rotated.issue("mbr_2", now, java.time.Duration.ofMinutes(2));
    assertThat(issuedAfter).startsWith("v1.k2.");
    assertThat(rotated.verify(issuedAfter, now.plusSeconds(1))).isEqualTo("mbr_2");
  }
}
