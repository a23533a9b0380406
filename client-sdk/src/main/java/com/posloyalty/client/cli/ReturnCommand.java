package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.client.ReturnResult;
import com.posloyalty.v1.ReturnItemsRequest;
import com.posloyalty.v1.ReturnLine;
import com.posloyalty.v1.TransactionKey;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code return}: returns lines of an earlier sale. */
@Command(name = "return", mixinStandardHelpOptions = true,
    description = "Return items of a committed sale; reverses their points pro rata.")
final class ReturnCommand extends ClientCommand {
  @Option(names = "--transaction-id", required = true, paramLabel = "ID",
      description = "The original sale's POS transaction id.")
  private String transactionId;

  @Option(names = "--original-store", paramLabel = "ID",
      description = "Store of the original sale (default: --store).")
  private String originalStore;

  @Option(names = "--original-terminal", paramLabel = "ID",
      description = "Terminal of the original sale (default: --terminal).")
  private String originalTerminal;

  @Option(names = "--line", required = true, paramLabel = "LINE=QUANTITY",
      description = "A returned line and how many units (repeatable), e.g. --line 1=2.")
  private Map<String, Long> lines = new LinkedHashMap<>();

  @Option(names = "--return-id", paramLabel = "ID",
      description = "Idempotency key of the return (default: a new UUID).")
  private String returnId = "";

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    ReturnItemsRequest.Builder request = ReturnItemsRequest.newBuilder().setReturnId(returnId)
        .setOriginal(TransactionKey.newBuilder()
            .setStoreId(originalStore != null ? originalStore : cli().store)
            .setTerminalId(originalTerminal != null ? originalTerminal : cli().terminal)
            .setPosTransactionId(transactionId));
    lines.forEach((lineId, quantity) ->
        request.addLines(ReturnLine.newBuilder().setLineId(lineId).setQuantity(quantity)));
    ReturnResult result = client.checkout().returnItems(request.build());
    new ReceiptPrinter(out).returnReceipt(result.receipt().orElseThrow(), result.replayed());
  }
}
