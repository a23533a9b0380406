package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import java.io.PrintWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;

/** {@code identify}: finds a member and shows what the lane shows. */
@Command(name = "identify", mixinStandardHelpOptions = true,
    description = "Find a member by card, phone, e-mail, member id or app token.")
final class IdentifyCommand extends ClientCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  private MemberIdentifier member;

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    new ReceiptPrinter(out)
        .member(client.checkout().identifyMember(member.toRequest()).getMember());
  }
}
