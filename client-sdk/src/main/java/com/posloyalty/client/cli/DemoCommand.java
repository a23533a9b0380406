package com.posloyalty.client.cli;

import com.posloyalty.client.CheckoutClient;
import com.posloyalty.client.CommitResult;
import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.CommitTransactionRequest;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.EnrollMemberResponse;
import com.posloyalty.v1.IdentifyMemberRequest;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.QuoteBasketRequest;
import java.io.PrintWriter;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: a whole checkout as a lane runs it — enrol a demo member (or identify the one
 * named), identify them by card, quote a small basket, commit it and print the receipt.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a whole checkout against a running server and print the receipt.")
final class DemoCommand extends ClientCommand {
  @ArgGroup(exclusive = true, multiplicity = "0..1",
      heading = "Use an existing member instead of enrolling one:%n")
  private MemberIdentifier existing;

  @Option(names = "--currency", defaultValue = "EUR",
      description = "The program's currency (default ${DEFAULT-VALUE}).")
  private String currency;

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    CheckoutClient checkout = client.checkout();
    String saleId = "demo-" + UUID.randomUUID().toString().substring(0, 8);
    ReceiptPrinter printer = new ReceiptPrinter(out);

    IdentifyMemberRequest identify;
    if (existing != null) {
      identify = existing.toRequest();
    } else {
      EnrollMemberResponse enrolled = checkout.enrollMember(EnrollMemberRequest.newBuilder()
          .setGivenName("Demo").setFamilyName("Shopper")
          .setEmail(saleId + "@example.com").build());
      out.printf("1. Enrolled %s: card %s, welcome bonus %d points%n",
          enrolled.getMember().getMemberId(), enrolled.getCardNumber(),
          enrolled.getWelcomeBonusPoints());
      identify = IdentifyMemberRequest.newBuilder().setCardNumber(enrolled.getCardNumber()).build();
    }
    MemberSummary member = checkout.identifyMember(identify).getMember();
    out.println("2. Identified at the lane:");
    printer.member(member);

    Basket basket = basket();
    out.println("3. Quoted while scanning:");
    printer.quote(checkout.quoteBasket(QuoteBasketRequest.newBuilder()
        .setMemberId(member.getMemberId()).setBasket(basket).build()));

    CommitResult result = checkout.commitTransaction(CommitTransactionRequest.newBuilder()
        .setPosTransactionId(saleId).setMemberId(member.getMemberId()).setBasket(basket).build());
    out.printf("4. Committed sale %s%n", saleId);
    printer.receipt(result.receipt().orElseThrow(), result.replayed());
  }

  private Basket basket() {
    return Basket.newBuilder().setCurrencyCode(currency)
        .addLines(line("1", "4006381333931", "dairy", 2, 129))
        .addLines(line("2", "5000159484695", "bakery", 1, 349))
        .addLines(line("3", "8712100849084", "household", 3, 499))
        .build();
  }

  private static BasketLine line(String id, String sku, String category, long quantity,
      long unitPriceMinor) {
    return BasketLine.newBuilder().setLineId(id).setSku(sku).setCategory(category)
        .setQuantity(quantity).setUnitPriceMinor(unitPriceMinor).build();
  }
}
