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
 * The MemberAdminService calls of a {@link LoyaltyClient}, for store back-office systems and
 * the service desk; they need an API key with the {@code backoffice} scope. Each call has a
 * blocking form and an asynchronous one returning a {@link CompletableFuture} that fails with
 * the same {@link LoyaltyException}s. Mutating calls get a generated {@code request_id} when
 * they carry none, so the automatic retries on {@code UNAVAILABLE} apply them once; set
 * {@code operator_id} on them for the audit trail. Calls run under the back-office deadline
 * (5 s by default). Thread-safe.
 */
public final class MemberAdminClient {
  private final UnaryCaller caller;
  private final RequestDefaults defaults;
  private final Duration deadline;

  MemberAdminClient(UnaryCaller caller, RequestDefaults defaults, Duration deadline) {
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
  public MemberAdminClient withDeadline(Duration deadline) {
    return new MemberAdminClient(caller, defaults, Objects.requireNonNull(deadline, "deadline"));
  }

  /**
   * The full member record and the lane's view of their points.
   *
   * @param request the member
   * @return the record and the balances
   * @throws MemberNotFoundException when the member id is unknown
   */
  public GetMemberResponse getMember(GetMemberRequest request) {
    return UnaryCaller.await(getMemberAsync(request));
  }

  /**
   * Asynchronous {@link #getMember}.
   *
   * @param request the member
   * @return the record and the balances, or a future failed with the same exceptions
   */
  public CompletableFuture<GetMemberResponse> getMemberAsync(GetMemberRequest request) {
    return call(MemberAdminServiceGrpc.getGetMemberMethod(), request);
  }

  /**
   * Finds members by name prefix, phone, e-mail or card number.
   *
   * @param request the criteria and the page wanted
   * @return one page of matching members
   * @throws InvalidRequestException for example {@code SEARCH_CRITERIA_MISSING}
   */
  public SearchMembersResponse searchMembers(SearchMembersRequest request) {
    return UnaryCaller.await(searchMembersAsync(request));
  }

  /**
   * Asynchronous {@link #searchMembers}.
   *
   * @param request the criteria and the page wanted
   * @return one page of matching members, or a future failed with the same exceptions
   */
  public CompletableFuture<SearchMembersResponse> searchMembersAsync(SearchMembersRequest request) {
    return call(MemberAdminServiceGrpc.getSearchMembersMethod(), request);
  }

  /**
   * Changes a member's personal data named by the update mask; an empty {@code request_id} is generated.
   *
   * @param request the new values, the field mask and the operator
   * @return the member afterwards
   * @throws DuplicateMemberException when the new phone or e-mail belongs to another member
   */
  public UpdateMemberResponse updateMember(UpdateMemberRequest request) {
    return UnaryCaller.await(updateMemberAsync(request));
  }

  /**
   * Asynchronous {@link #updateMember}.
   *
   * @param request the new values, the field mask and the operator
   * @return the member afterwards, or a future failed with the same exceptions
   */
  public CompletableFuture<UpdateMemberResponse> updateMemberAsync(UpdateMemberRequest request) {
    return call(MemberAdminServiceGrpc.getUpdateMemberMethod(), request);
  }

  /**
   * The member's points statement, newest first.
   *
   * @param request the member, filters and the page wanted
   * @return one page of ledger entries
   * @throws MemberNotFoundException when the member id is unknown
   */
  public ListLedgerEntriesResponse listLedgerEntries(ListLedgerEntriesRequest request) {
    return UnaryCaller.await(listLedgerEntriesAsync(request));
  }

  /**
   * Asynchronous {@link #listLedgerEntries}.
   *
   * @param request the member, filters and the page wanted
   * @return one page of ledger entries, or a future failed with the same exceptions
   */
  public CompletableFuture<ListLedgerEntriesResponse> listLedgerEntriesAsync(ListLedgerEntriesRequest request) {
    return call(MemberAdminServiceGrpc.getListLedgerEntriesMethod(), request);
  }

  /**
   * Adds or removes points by hand (goodwill, correction), audited; an empty {@code request_id} is generated.
   *
   * @param request the member, the signed points, the reason code and the operator
   * @return the ledger entry written and the balances afterwards
   * @throws InsufficientPointsException when a removal exceeds the available points
   */
  public AdjustPointsResponse adjustPoints(AdjustPointsRequest request) {
    return UnaryCaller.await(adjustPointsAsync(request));
  }

  /**
   * Asynchronous {@link #adjustPoints}.
   *
   * @param request the member, the signed points, the reason code and the operator
   * @return the ledger entry written and the balances afterwards, or a future failed with the same exceptions
   */
  public CompletableFuture<AdjustPointsResponse> adjustPointsAsync(AdjustPointsRequest request) {
    return call(MemberAdminServiceGrpc.getAdjustPointsMethod(), request);
  }

  /**
   * Records a member's feedback, optionally with service-recovery points; an empty {@code request_id} is generated.
   *
   * @param request the member, the rating and kind, and the operator
   * @return the feedback, any bonus entry and the balances
   * @throws MemberNotActiveException when points are given to a member who is not active
   */
  public RecordFeedbackResponse recordFeedback(RecordFeedbackRequest request) {
    return UnaryCaller.await(recordFeedbackAsync(request));
  }

  /**
   * Asynchronous {@link #recordFeedback}.
   *
   * @param request the member, the rating and kind, and the operator
   * @return the feedback, any bonus entry and the balances, or a future failed with the same exceptions
   */
  public CompletableFuture<RecordFeedbackResponse> recordFeedbackAsync(RecordFeedbackRequest request) {
    return call(MemberAdminServiceGrpc.getRecordFeedbackMethod(), request);
  }

  /**
   * Replaces a lost or damaged card: the old one stops identifying the member; an empty {@code request_id} is generated.
   *
   * @param request the member, the old card and the operator
   * @return the new card and the member
   * @throws NotFoundException when the card is not the member's
   */
  public ReplaceCardResponse replaceCard(ReplaceCardRequest request) {
    return UnaryCaller.await(replaceCardAsync(request));
  }

  /**
   * Asynchronous {@link #replaceCard}.
   *
   * @param request the member, the old card and the operator
   * @return the new card and the member, or a future failed with the same exceptions
   */
  public CompletableFuture<ReplaceCardResponse> replaceCardAsync(ReplaceCardRequest request) {
    return call(MemberAdminServiceGrpc.getReplaceCardMethod(), request);
  }

  /**
   * Merges a duplicate account into the one that remains; an empty {@code request_id} is generated.
   *
   * @param request the source, the target and the operator
   * @return the target afterwards and the points moved
   * @throws RefusedException for example {@code MEMBER_HAS_HELD_POINTS}
   */
  public MergeMembersResponse mergeMembers(MergeMembersRequest request) {
    return UnaryCaller.await(mergeMembersAsync(request));
  }

  /**
   * Asynchronous {@link #mergeMembers}.
   *
   * @param request the source, the target and the operator
   * @return the target afterwards and the points moved, or a future failed with the same exceptions
   */
  public CompletableFuture<MergeMembersResponse> mergeMembersAsync(MergeMembersRequest request) {
    return call(MemberAdminServiceGrpc.getMergeMembersMethod(), request);
  }

  /**
   * Blocks a member (for example for fraud) or unblocks them; an empty {@code request_id} is generated.
   *
   * @param request the member, the status, why and the operator
   * @return the member afterwards
   * @throws InvalidRequestException for a status that cannot be set this way
   */
  public SetMemberStatusResponse setMemberStatus(SetMemberStatusRequest request) {
    return UnaryCaller.await(setMemberStatusAsync(request));
  }

  /**
   * Asynchronous {@link #setMemberStatus}.
   *
   * @param request the member, the status, why and the operator
   * @return the member afterwards, or a future failed with the same exceptions
   */
  public CompletableFuture<SetMemberStatusResponse> setMemberStatusAsync(SetMemberStatusRequest request) {
    return call(MemberAdminServiceGrpc.getSetMemberStatusMethod(), request);
  }

  /**
   * Issues a short-lived token the member's app shows as a QR code for identification.
   *
   * @param request the member and the token's lifetime
   * @return the token and when it expires
   * @throws MemberNotActiveException when the member may not use the program
   */
  public IssueAppTokenResponse issueAppToken(IssueAppTokenRequest request) {
    return UnaryCaller.await(issueAppTokenAsync(request));
  }

  /**
   * Asynchronous {@link #issueAppToken}.
   *
   * @param request the member and the token's lifetime
   * @return the token and when it expires, or a future failed with the same exceptions
   */
  public CompletableFuture<IssueAppTokenResponse> issueAppTokenAsync(IssueAppTokenRequest request) {
    return call(MemberAdminServiceGrpc.getIssueAppTokenMethod(), request);
  }

  /**
   * Everything the service holds about a member (privacy-law access request), audited.
   *
   * @param request the member and the operator
   * @return the record, ledger and feedback
   * @throws MemberNotFoundException when the member id is unknown
   */
  public ExportMemberDataResponse exportMemberData(ExportMemberDataRequest request) {
    return UnaryCaller.await(exportMemberDataAsync(request));
  }

  /**
   * Asynchronous {@link #exportMemberData}.
   *
   * @param request the member and the operator
   * @return the record, ledger and feedback, or a future failed with the same exceptions
   */
  public CompletableFuture<ExportMemberDataResponse> exportMemberDataAsync(ExportMemberDataRequest request) {
    return call(MemberAdminServiceGrpc.getExportMemberDataMethod(), request);
  }

  /**
   * Erases a member's personal data (privacy-law erasure), irreversibly; an empty {@code request_id} is generated.
   *
   * @param request the member, the operator and the request reference
   * @return the anonymised member
   * @throws MemberNotFoundException when the member id is unknown
   */
  public EraseMemberResponse eraseMember(EraseMemberRequest request) {
    return UnaryCaller.await(eraseMemberAsync(request));
  }

  /**
   * Asynchronous {@link #eraseMember}.
   *
   * @param request the member, the operator and the request reference
   * @return the anonymised member, or a future failed with the same exceptions
   */
  public CompletableFuture<EraseMemberResponse> eraseMemberAsync(EraseMemberRequest request) {
    return call(MemberAdminServiceGrpc.getEraseMemberMethod(), request);
  }

  /**
   * Checks that every member's balance equals the sum of their ledger; give a full check a longer deadline with {@link #withDeadline}.
   *
   * @param request the members to check (empty: all)
   * @return the mismatches found
   * @throws InvalidRequestException when too many members are named
   */
  public VerifyLedgerResponse verifyLedger(VerifyLedgerRequest request) {
    return UnaryCaller.await(verifyLedgerAsync(request));
  }

  /**
   * Asynchronous {@link #verifyLedger}.
   *
   * @param request the members to check (empty: all)
   * @return the mismatches found, or a future failed with the same exceptions
   */
  public CompletableFuture<VerifyLedgerResponse> verifyLedgerAsync(VerifyLedgerRequest request) {
    return call(MemberAdminServiceGrpc.getVerifyLedgerMethod(), request);
  }

  private <Q extends Message, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method,
      Q request) {
    return caller.call(method, defaults.apply(request), deadline);
  }
}
