package com.posloyalty.client.cli;

import com.google.protobuf.Timestamp;
import com.posloyalty.client.CommitResult;
import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.CommitTransactionRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code commit}: records a finished sale and prints its loyalty receipt. */
@Command(name = "commit", mixinStandardHelpOptions = true,
    description = "Record a sale from a basket JSON file and print the loyalty receipt.")
final class CommitCommand extends ClientCommand {
  @Option(names = "--member-id", required = true, paramLabel = "ID", description = "The member.")
  private String memberId;

  @Option(names = "--basket", required = true, paramLabel = "FILE",
      description = "Basket JSON file, as for quote.")
  private Path basket;

  @Option(names = "--transaction-id", required = true, paramLabel = "ID",
      description = "The POS transaction id, the sale's idempotency key on this terminal.")
  private String transactionId;

  @Option(names = "--occur-time", paramLabel = "INSTANT",
      description = "When the sale happened, e.g. 2025-11-23T10:15:30Z (default: now). A repeated"
          + " commit need not give the same time: the service answers it with the first receipt"
          + " and keeps the first time.")
  private Instant occurTime;

  @Option(names = "--reservation", paramLabel = "ID",
      description = "A redemption reservation the sale captures (repeatable).")
  private List<String> reservations = new ArrayList<>();

  @Override
  void run(LoyaltyClient client, PrintWriter out) throws Exception {
    CommitTransactionRequest.Builder request = CommitTransactionRequest.newBuilder()
        .setPosTransactionId(transactionId).setMemberId(memberId)
        .setBasket(BasketFile.read(basket)).addAllReservationIds(reservations);
    if (occurTime != null) {
      request.setOccurTime(Timestamp.newBuilder().setSeconds(occurTime.getEpochSecond())
          .setNanos(occurTime.getNano()));
    }
    CommitResult result = client.checkout().commitTransaction(request.build());
    // The CLI has no journal, so a result is never pending: the service answered.
    new ReceiptPrinter(out).receipt(result.receipt().orElseThrow(), result.replayed());
  }
}
