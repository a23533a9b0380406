package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.QuoteBasketRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quote}: what a basket would earn, without recording anything. */
@Command(name = "quote", mixinStandardHelpOptions = true,
    description = "Quote the points a basket (JSON file) would earn; records nothing.")
final class QuoteCommand extends ClientCommand {
  @Option(names = "--member-id", required = true, paramLabel = "ID", description = "The member.")
  private String memberId;

  @Option(names = "--basket", required = true, paramLabel = "FILE",
      description = "Basket JSON: {\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\","
          + "\"sku\":\"...\",\"category\":\"...\",\"quantity\":2,\"unitPriceMinor\":199}]}")
  private Path basket;

  @Override
  void run(LoyaltyClient client, PrintWriter out) throws Exception {
    QuoteBasketRequest request = QuoteBasketRequest.newBuilder().setMemberId(memberId)
        .setBasket(BasketFile.read(basket)).build();
    new ReceiptPrinter(out).quote(client.checkout().quoteBasket(request));
  }
}
