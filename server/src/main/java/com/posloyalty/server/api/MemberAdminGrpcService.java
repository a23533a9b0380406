package com.posloyalty.server.api;

import com.google.protobuf.Timestamp;
import com.posloyalty.server.flow.IdentifyMemberFlow;
import com.posloyalty.server.flow.MaintenanceJobs;
import com.posloyalty.v1.IssueAppTokenRequest;
import com.posloyalty.v1.IssueAppTokenResponse;
import java.time.Duration;
import java.util.Optional;
import javax.inject.Named;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.v1.LedgerMismatch;
import com.posloyalty.v1.MemberAdminServiceGrpc;
import com.posloyalty.v1.VerifyLedgerRequest;
import com.posloyalty.v1.VerifyLedgerResponse;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import javax.inject.Inject;

/**
 * MemberAdminService over gRPC. VerifyLedger and IssueAppToken are served now; the other back-office RPCs
 * are inherited and answer UNIMPLEMENTED until the back-office work lands.
 */
public final class MemberAdminGrpcService extends MemberAdminServiceGrpc.MemberAdminServiceImplBase {

  private final MaintenanceJobs jobs;
  private final IdentifyMemberFlow identify;
  private final int appTokenTtlSeconds;
  private final Clock clock;

  @Inject
  MemberAdminGrpcService(MaintenanceJobs jobs, IdentifyMemberFlow identify,
      @Named("appTokenTtlSeconds") int appTokenTtlSeconds, Clock clock) {
    this.jobs = jobs;
    this.identify = identify;
    this.appTokenTtlSeconds = appTokenTtlSeconds;
    this.clock = clock;
  }

  @Override
  public void issueAppToken(IssueAppTokenRequest request,
      StreamObserver<IssueAppTokenResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.id("member_id", request.getMemberId(), CheckoutValidator.MAX_ID);
      if (request.hasTtl()) {
        v.range("ttl.seconds", request.getTtl().getSeconds(), 30, 900);
      }
      v.check();
      IdentifyMemberFlow.AppToken token = identify.issueAppToken(request.getMemberId(),
          request.hasTtl() ? Optional.of(Duration.ofSeconds(request.getTtl().getSeconds()))
              : Optional.empty(), appTokenTtlSeconds, AuthInterceptor.actor());
      return IssueAppTokenResponse.newBuilder().setToken(token.token())
          .setExpireTime(Timestamp.newBuilder().setSeconds(token.expiresAt().getEpochSecond()))
          .build();
    });
  }

  @Override
  public void verifyLedger(VerifyLedgerRequest request,
      StreamObserver<VerifyLedgerResponse> observer) {
    Unary.run(observer, () -> {
      Violations v = new Violations();
      v.range("max_mismatches", request.getMaxMismatches(), 0, 1000);
      if (request.getMemberIdsCount() > 10_000) {
        v.add("member_ids", "at most 10000 members per check", "TOO_MANY_MEMBERS");
      }
      for (int i = 0; i < request.getMemberIdsCount() && i < 10_000; i++) {
        v.id("member_ids[" + i + "]", request.getMemberIds(i), CheckoutValidator.MAX_ID);
      }
      v.check();
      MaintenanceJobs.LedgerCheck check = jobs.verifyLedger(request.getMemberIdsList());
      int limit = request.getMaxMismatches() == 0 ? 100 : request.getMaxMismatches();
      List<PointsAccount.Mismatch> shown =
          check.mismatches().subList(0, Math.min(limit, check.mismatches().size()));
      VerifyLedgerResponse.Builder b = VerifyLedgerResponse.newBuilder()
          .setMembersChecked(check.membersChecked())
          .setMismatchCount(check.mismatches().size())
          .setCheckTime(com.google.protobuf.Timestamp.newBuilder()
              .setSeconds(clock.instant().getEpochSecond()));
      for (PointsAccount.Mismatch m : shown) {
        b.addMismatches(LedgerMismatch.newBuilder().setMemberId(m.memberId())
            .setLedgerSum(m.ledgerSum()).setBalanceSum(m.available() + m.held())
            .setAvailablePoints(m.available()).setHeldPoints(m.held()));
      }
      return b.build();
    });
  }
}
