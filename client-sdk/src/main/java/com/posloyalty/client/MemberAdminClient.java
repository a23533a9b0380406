package com.posloyalty.client;

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
import java.time.Duration;
import java.time.Duration;

/**
 * The MemberAdminService calls of a {@link LoyaltyClient}, for store back-office systems and
 * the service desk; they need an API key with the {@code backoffice} scope. Each call blocks
 * until the service answers or the back-office deadline (5 s by default, automatic retries on
 * {@code UNAVAILABLE} included) passes, and throws a {@link LoyaltyException} on failure.
 * Mutating calls get a generated {@code request_id} when they carry none, so a retry applies
 * them once; set {@code operator_id} on them for the audit trail. {@link MemberAdminAsyncClient}
 * has the same calls without blocking. Thread-safe.
 */
public final class MemberAdminClient {
  private final MemberAdminAsyncClient async;

  MemberAdminClient(MemberAdminAsyncClient async) {
    this.async = async;
  }

  /**
   * The same client with another deadline per call, for example a minute for a VerifyLedger
   * over every member.
   *
   * @param deadline the deadline of each call, retries included
   * @return a client using {@code deadline}
   */
  public MemberAdminClient withDeadline(Duration deadline) {
    return new MemberAdminClient(async.withDeadline(deadline));
  }

  /**
   * The full member record and the lane's view of their points.
   *
   * @param request the member
   * @return the record and the balances
   * @throws MemberNotFoundException when the member id is unknown
   */
  public GetMemberResponse getMember(GetMemberRequest request) {
    return UnaryCaller.await(async.getMember(request));
  }

  /**
   * Finds members by name prefix, phone, e-mail or card number.
   *
   * @param request the criteria and the page wanted
   * @return one page of matching members
   * @throws InvalidRequestException for example {@code SEARCH_CRITERIA_MISSING}
   */
  public SearchMembersResponse searchMembers(SearchMembersRequest request) {
    return UnaryCaller.await(async.searchMembers(request));
  }

  /**
   * Changes a member's personal data named by the update mask; an empty {@code request_id} is
   * generated.
   *
   * @param request the new values, the field mask and the operator
   * @return the member afterwards
   * @throws DuplicateMemberException when the new phone or e-mail belongs to another member
   */
  public UpdateMemberResponse updateMember(UpdateMemberRequest request) {
    return UnaryCaller.await(async.updateMember(request));
  }

  /**
   * The member's points statement, newest first.
   *
   * @param request the member, filters and the page wanted
   * @return one page of ledger entries
   * @throws MemberNotFoundException when the member id is unknown
   */
  public ListLedgerEntriesResponse listLedgerEntries(ListLedgerEntriesRequest request) {
    return UnaryCaller.await(async.listLedgerEntries(request));
  }

  /**
   * Adds or removes points by hand (goodwill, correction), audited; an empty {@code request_id} is
   * generated.
   *
   * @param request the member, the signed points, the reason code and the operator
   * @return the ledger entry written and the balances afterwards
   * @throws InsufficientPointsException when a removal exceeds the available points
   */
  public AdjustPointsResponse adjustPoints(AdjustPointsRequest request) {
    return UnaryCaller.await(async.adjustPoints(request));
  }

  /**
   * Records a member's feedback, optionally with service-recovery points; an empty {@code
   * request_id} is generated.
   *
   * @param request the member, the rating and kind, and the operator
   * @return the feedback, any bonus entry and the balances
   * @throws MemberNotActiveException when points are given to a member who is not active
   */
  public RecordFeedbackResponse recordFeedback(RecordFeedbackRequest request) {
    return UnaryCaller.await(async.recordFeedback(request));
  }

  /**
   * Replaces a lost or damaged card: the old one stops identifying the member; an empty {@code
   * request_id} is generated.
   *
   * @param request the member, the old card and the operator
   * @return the new card and the member
   * @throws NotFoundException when the card is not the member's
   */
  public ReplaceCardResponse replaceCard(ReplaceCardRequest request) {
    return UnaryCaller.await(async.replaceCard(request));
  }

  /**
   * Merges a duplicate account into the one that remains; an empty {@code request_id} is generated.
   *
   * @param request the source, the target and the operator
   * @return the target afterwards and the points moved
   * @throws RefusedException for example {@code MEMBER_HAS_HELD_POINTS}
   */
  public MergeMembersResponse mergeMembers(MergeMembersRequest request) {
    return UnaryCaller.await(async.mergeMembers(request));
  }

  /**
   * Blocks a member (for example for fraud) or unblocks them; an empty {@code request_id} is
   * generated.
   *
   * @param request the member, the status, why and the operator
   * @return the member afterwards
   * @throws InvalidRequestException for a status that cannot be set this way
   */
  public SetMemberStatusResponse setMemberStatus(SetMemberStatusRequest request) {
    return UnaryCaller.await(async.setMemberStatus(request));
  }

  /**
   * Issues a short-lived token the member's app shows as a QR code for identification.
   *
   * @param request the member and the token's lifetime
   * @return the token and when it expires
   * @throws MemberNotActiveException when the member may not use the program
   */
  public IssueAppTokenResponse issueAppToken(IssueAppTokenRequest request) {
    return UnaryCaller.await(async.issueAppToken(request));
  }

  /**
   * Everything the service holds about a member (privacy-law access request), audited.
   *
   * @param request the member and the operator
   * @return the record, ledger and feedback
   * @throws MemberNotFoundException when the member id is unknown
   */
  public ExportMemberDataResponse exportMemberData(ExportMemberDataRequest request) {
    return UnaryCaller.await(async.exportMemberData(request));
  }

  /**
   * Erases a member's personal data (privacy-law erasure), irreversibly; an empty {@code
   * request_id} is generated.
   *
   * @param request the member, the operator and the request reference
   * @return the anonymised member
   * @throws MemberNotFoundException when the member id is unknown
   */
  public EraseMemberResponse eraseMember(EraseMemberRequest request) {
    return UnaryCaller.await(async.eraseMember(request));
  }

  /**
   * Checks that every member's balance equals the sum of their ledger; give a full check a longer
   * deadline with {@link #withDeadline}.
   *
   * @param request the members to check (empty: all)
   * @return the mismatches found
   * @throws InvalidRequestException when too many members are named
   */
  public VerifyLedgerResponse verifyLedger(VerifyLedgerRequest request) {
    return UnaryCaller.await(async.verifyLedger(request));
  }
}
