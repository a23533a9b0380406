package com.posloyalty.client.cli;

import com.posloyalty.v1.IdentifyMemberRequest;
import picocli.CommandLine.Option;

/** How the operator names a member: exactly one of the identifiers IdentifyMember takes. */
final class MemberIdentifier {
  @Option(names = "--card", paramLabel = "NUMBER", description = "Loyalty card number.")
  private String card;

  @Option(names = "--phone", description = "Phone number.")
  private String phone;

  @Option(names = "--email", description = "E-mail address.")
  private String email;

  @Option(names = "--member-id", paramLabel = "ID", description = "Member id.")
  private String memberId;

  @Option(names = "--app-token", paramLabel = "TOKEN", description = "App QR token.")
  private String appToken;

  /** The IdentifyMember request for the identifier given. */
  IdentifyMemberRequest toRequest() {
    IdentifyMemberRequest.Builder request = IdentifyMemberRequest.newBuilder();
    if (card != null) {
      request.setCardNumber(card);
    } else if (phone != null) {
      request.setPhone(phone);
    } else if (email != null) {
      request.setEmail(email);
    } else if (memberId != null) {
      request.setMemberId(memberId);
    } else {
      request.setAppToken(appToken);
    }
    return request.build();
  }
}
