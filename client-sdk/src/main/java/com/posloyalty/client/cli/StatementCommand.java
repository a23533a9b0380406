package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.ListLedgerEntriesRequest;
import com.posloyalty.v1.ListLedgerEntriesResponse;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code statement}: a member's points statement, newest first. */
@Command(name = "statement", mixinStandardHelpOptions = true,
    description = "Show a member's points statement, newest first (back-office key).")
final class StatementCommand extends ClientCommand {
  @Option(names = "--member-id", required = true, paramLabel = "ID", description = "The member.")
  private String memberId;

  @Option(names = "--page-size", defaultValue = "20",
      description = "Entries per page (default ${DEFAULT-VALUE}).")
  private int pageSize;

  @Option(names = "--page-token", paramLabel = "TOKEN", description = "Page to show.")
  private String pageToken = "";

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    ListLedgerEntriesResponse page = client.memberAdmin().listLedgerEntries(
        ListLedgerEntriesRequest.newBuilder().setMemberId(memberId).setPageSize(pageSize)
            .setPageToken(pageToken).build());
    new ReceiptPrinter(out).statement(page.getEntriesList(), page.getNextPageToken());
  }
}
