package com.posloyalty.client;

import com.google.protobuf.Message;
import com.posloyalty.v1.AdjustPointsRequest;
import com.posloyalty.v1.AdjustPointsResponse;
import com.posloyalty.v1.EraseMemberRequest;
import com.posloyalty.v1.EraseMemberResponse;
import com.posloyalty.v1.ExportMemberDataRequest;
import com.posloyalty.v1.ExportMemberDataResponse;
import com.posloyalty.v1.GetMemberRequest;
import com.posloyalty.v1.GetMemberResponse;
import com.posloyalty.v1.IssueAppTokenRequest;
import com.posloyalty.v1.IssueAppTokenResponse;
import com.posloyalty.v1.ListLedgerEntriesRequest;
import com.posloyalty.v1.ListLedgerEntriesResponse;
import com.posloyalty.v1.MemberAdminServiceGrpc;
import com.posloyalty.v1.MergeMembersRequest;
import com.posloyalty.v1.MergeMembersResponse;
import com.posloyalty.v1.RecordFeedbackRequest;
import com.posloyalty.v1.RecordFeedbackResponse;
import com.posloyalty.v1.ReplaceCardRequest;
import com.posloyalty.v1.ReplaceCardResponse;
import com.posloyalty.v1.SearchMembersRequest;
import com.posloyalty.v1.SearchMembersResponse;
import com.posloyalty.v1.SetMemberStatusRequest;
import com.posloyalty.v1.SetMemberStatusResponse;
import com.posloyalty.v1.UpdateMemberRequest;
import com.posloyalty.v1.UpdateMemberResponse;
import com.posloyalty.v1.VerifyLedgerRequest;
import com.posloyalty.v1.VerifyLedgerResponse;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The MemberAdminService calls of a {@link LoyaltyClient} in asynchronous form: each returns a
 * {@link CompletableFuture} that completes with the response or fails with the
 * {@link LoyaltyException} that {@link MemberAdminClient}, the blocking form, would throw; see
 * there for what each call does. Thread-safe.
 */
public final class MemberAdminAsyncClient {
  private final UnaryCaller caller;
  private final RequestDefaults defaults;
  private final Duration deadline;

  MemberAdminAsyncClient(UnaryCaller caller, RequestDefaults defaults, Duration deadline) {
    this.caller = caller;
    this.defaults = defaults;
    this.deadline = deadline;
  }

  /**
   * The same client with another deadline per call, for example a minute for a VerifyLedger
   * over every member.
   *
   * @param deadline the deadline of each call, retries included
   * @return a client using {@code deadline}
   */
  public MemberAdminAsyncClient withDeadline(Duration deadline) {
    return new MemberAdminAsyncClient(caller, defaults,
        Objects.requireNonNull(deadline, "deadline"));
  }

  /**
   * Asynchronous {@link MemberAdminClient#getMember}: the future fails with its exceptions.
   *
   * @param request the member
   * @return the record and the balances
   */
  public CompletableFuture<GetMemberResponse> getMember(GetMemberRequest request) {
    return call(MemberAdminServiceGrpc.getGetMemberMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#searchMembers}: the future fails with its exceptions.
   *
   * @param request the criteria and the page wanted
   * @return one page of matching members
   */
  public CompletableFuture<SearchMembersResponse> searchMembers(SearchMembersRequest request) {
    return call(MemberAdminServiceGrpc.getSearchMembersMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#updateMember}: the future fails with its exceptions.
   *
   * @param request the new values, the field mask and the operator
   * @return the member afterwards
   */
  public CompletableFuture<UpdateMemberResponse> updateMember(UpdateMemberRequest request) {
    return call(MemberAdminServiceGrpc.getUpdateMemberMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#listLedgerEntries}: the future fails with its exceptions.
   *
   * @param request the member, filters and the page wanted
   * @return one page of ledger entries
   */
  public CompletableFuture<ListLedgerEntriesResponse> listLedgerEntries(
      ListLedgerEntriesRequest request) {
    return call(MemberAdminServiceGrpc.getListLedgerEntriesMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#adjustPoints}: the future fails with its exceptions.
   *
   * @param request the member, the signed points, the reason code and the operator
   * @return the ledger entry written and the balances afterwards
   */
  public CompletableFuture<AdjustPointsResponse> adjustPoints(AdjustPointsRequest request) {
    return call(MemberAdminServiceGrpc.getAdjustPointsMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#recordFeedback}: the future fails with its exceptions.
   *
   * @param request the member, the rating and kind, and the operator
   * @return the feedback, any bonus entry and the balances
   */
  public CompletableFuture<RecordFeedbackResponse> recordFeedback(
      RecordFeedbackRequest request) {
    return call(MemberAdminServiceGrpc.getRecordFeedbackMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#replaceCard}: the future fails with its exceptions.
   *
   * @param request the member, the old card and the operator
   * @return the new card and the member
   */
  public CompletableFuture<ReplaceCardResponse> replaceCard(ReplaceCardRequest request) {
    return call(MemberAdminServiceGrpc.getReplaceCardMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#mergeMembers}: the future fails with its exceptions.
   *
   * @param request the source, the target and the operator
   * @return the target afterwards and the points moved
   */
  public CompletableFuture<MergeMembersResponse> mergeMembers(MergeMembersRequest request) {
    return call(MemberAdminServiceGrpc.getMergeMembersMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#setMemberStatus}: the future fails with its exceptions.
   *
   * @param request the member, the status, why and the operator
   * @return the member afterwards
   */
  public CompletableFuture<SetMemberStatusResponse> setMemberStatus(
      SetMemberStatusRequest request) {
    return call(MemberAdminServiceGrpc.getSetMemberStatusMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#issueAppToken}: the future fails with its exceptions.
   *
   * @param request the member and the token's lifetime
   * @return the token and when it expires
   */
  public CompletableFuture<IssueAppTokenResponse> issueAppToken(IssueAppTokenRequest request) {
    return call(MemberAdminServiceGrpc.getIssueAppTokenMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#exportMemberData}: the future fails with its exceptions.
   *
   * @param request the member and the operator
   * @return the record, ledger and feedback
   */
  public CompletableFuture<ExportMemberDataResponse> exportMemberData(
      ExportMemberDataRequest request) {
    return call(MemberAdminServiceGrpc.getExportMemberDataMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#eraseMember}: the future fails with its exceptions.
   *
   * @param request the member, the operator and the request reference
   * @return the anonymised member
   */
  public CompletableFuture<EraseMemberResponse> eraseMember(EraseMemberRequest request) {
    return call(MemberAdminServiceGrpc.getEraseMemberMethod(), request);
  }

  /**
   * Asynchronous {@link MemberAdminClient#verifyLedger}: the future fails with its exceptions.
   *
   * @param request the members to check (empty: all)
   * @return the mismatches found
   */
  public CompletableFuture<VerifyLedgerResponse> verifyLedger(VerifyLedgerRequest request) {
    return call(MemberAdminServiceGrpc.getVerifyLedgerMethod(), request);
  }

  private <Q extends Message, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method,
      Q request) {
    return caller.call(method, defaults.apply(request), deadline);
  }
}
