package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.AdjustPointsRequest;
import com.posloyalty.v1.AdjustmentReason;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code adjust}: adds or removes points by hand, audited. */
@Command(name = "adjust", mixinStandardHelpOptions = true,
    description = "Add (positive) or remove (negative) points by hand (back-office key).")
final class AdjustCommand extends ClientCommand {
  /** The reasons an operator may give, without the proto enum's prefix. */
  enum Reason { GOODWILL, CORRECTION, SERVICE_RECOVERY, OTHER }

  @Option(names = "--member-id", required = true, paramLabel = "ID", description = "The member.")
  private String memberId;

  @Option(names = "--points", required = true,
      description = "Signed change, e.g. 500 or -200.")
  private long points;

  @Option(names = "--reason", required = true,
      description = "One of: ${COMPLETION-CANDIDATES}.")
  private Reason reason;

  @Option(names = "--operator", required = true, paramLabel = "ID",
      description = "Back-office user making the adjustment.")
  private String operator;

  @Option(names = "--note", description = "Explanation (required for OTHER).")
  private String note = "";

  @Option(names = "--request-id", paramLabel = "ID",
      description = "Idempotency key (default: a new UUID).")
  private String requestId = "";

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    AdjustPointsRequest request = AdjustPointsRequest.newBuilder().setRequestId(requestId)
        .setMemberId(memberId).setPoints(points)
        .setReasonCode(AdjustmentReason.valueOf("ADJUSTMENT_REASON_" + reason.name()))
        .setOperatorId(operator).setNote(note).build();
    new ReceiptPrinter(out).adjustment(client.memberAdmin().adjustPoints(request));
  }
}
