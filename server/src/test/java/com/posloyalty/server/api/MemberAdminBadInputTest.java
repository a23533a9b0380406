package com.posloyalty.server.api;

import static com.posloyalty.server.testing.GrpcErrors.expect;
import static com.posloyalty.server.testing.GrpcErrors.fields;
import static com.posloyalty.server.testing.GrpcErrors.reason;
import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.VerifyLedgerRequest;
import com.posloyalty.v1.VerifyLedgerResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MemberAdminService refuses bad input with the reason its contract names. */
class MemberAdminBadInputTest {

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start("memberadmin_input", Clock.systemUTC(), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static VerifyLedgerRequest naming(int members) {
    return VerifyLedgerRequest.newBuilder().addAllMemberIds(IntStream.range(0, members)
        .mapToObj(i -> "mbr_" + i).toList()).build();
  }

  @Test
  void verifyLedgerOfMoreThanTenThousandMembersIsRefusedAsTooManyMembers() {
    // Made-up ids are checked and found to be no member.
    assertThat(server.memberAdmin().verifyLedger(naming(10_000)).getMembersChecked())
        .isZero();
    StatusRuntimeException e = expect(Status.Code.INVALID_ARGUMENT,
        () -> server.memberAdmin().verifyLedger(naming(10_001)));
    assertThat(reason(e)).isEqualTo("TOO_MANY_MEMBERS");
    assertThat(fields(e)).containsExactly("member_ids");
  }

  @Test
  void verifyLedgerCountsTheNamedIdsThatAreMembers() {
    String member = server.checkout().enrollMember(EnrollMemberRequest.newBuilder()
        .setRequestId("verify-1").setPointOfSale(TestServer.lane("s1", "l1")).setGivenName("V")
        .setPhone("+4915100000411").build()).getMember().getMemberId();

    VerifyLedgerResponse check = server.memberAdmin().verifyLedger(VerifyLedgerRequest
        .newBuilder().addMemberIds(member).addMemberIds("mbr_no_such_member").build());

    assertThat(check.getMembersChecked()).isEqualTo(1);
    assertThat(check.getMismatchCount()).isZero();
  }
}
