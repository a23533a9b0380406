package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.BirthDate;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import java.io.PrintWriter;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code enroll}: signs a customer up, as a lane does. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
    description = "Enrol a new member (a phone or an e-mail is required).")
final class EnrollCommand extends ClientCommand {
  @Option(names = "--given-name", required = true, description = "First name.")
  private String givenName;

  @Option(names = "--family-name", description = "Last name.")
  private String familyName = "";

  @Option(names = "--phone", description = "Mobile phone number.")
  private String phone = "";

  @Option(names = "--email", description = "E-mail address.")
  private String email = "";

  @Option(names = "--birth-date", paramLabel = "YYYY-MM-DD", description = "Birthday.")
  private LocalDate birthDate;

  @Option(names = "--marketing-consent", description = "The customer agreed to marketing.")
  private boolean marketingConsent;

  @Option(names = "--referrer", paramLabel = "ID", description = "Referring member or card.")
  private String referrer = "";

  @Option(names = "--request-id", paramLabel = "ID",
      description = "Idempotency key (default: a new UUID).")
  private String requestId = "";

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    EnrollMemberRequest.Builder request = EnrollMemberRequest.newBuilder()
        .setRequestId(requestId).setGivenName(givenName).setFamilyName(familyName)
        .setPhone(phone).setEmail(email).setMarketingConsent(marketingConsent)
        .setReferrer(referrer);
    if (birthDate != null) {
      request.setBirthDate(BirthDate.newBuilder().setYear(birthDate.getYear())
          .setMonth(birthDate.getMonthValue()).setDay(birthDate.getDayOfMonth()));
    }
    EnrollMemberResponse enrolled = client.checkout().enrollMember(request.build());
    out.printf("Enrolled: card %s, welcome bonus %d points%n", enrolled.getCardNumber(),
        enrolled.getWelcomeBonusPoints());
    new ReceiptPrinter(out).member(enrolled.getMember());
  }
}
