package com.posloyalty.client.cli;

import com.google.protobuf.Timestamp;
import com.posloyalty.v1.AdjustPointsResponse;
import com.posloyalty.v1.LedgerEntry;
import com.posloyalty.v1.LinePoints;
import com.posloyalty.v1.MemberSummary;
import com.posloyalty.v1.Money;
import com.posloyalty.v1.PointsComponent;
import com.posloyalty.v1.PointsEarning;
import com.posloyalty.v1.QuoteBasketResponse;
import com.posloyalty.v1.Receipt;
import com.posloyalty.v1.ReturnReceipt;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.stream.Collectors;

/** Prints what the service answers as the plain text an operator reads. */
final class ReceiptPrinter {
  private final PrintWriter out;

  ReceiptPrinter(PrintWriter out) {
    this.out = out;
  }

  /** What the lane shows after identifying a member. */
  void member(MemberSummary member) {
    out.printf("Member     %s (%s), %s%n", member.getMemberId(), member.getDisplayName(),
        member.getStatus().name().replace("MEMBER_STATUS_", ""));
    out.printf("Tier       %s%n", member.getTier().getDisplayName());
    out.printf("Points     %d available, %d held, %d expiring soon%n",
        member.getAvailablePoints(), member.getHeldPoints(), member.getPointsExpiringSoon());
    out.printf("Offers     %d waiting%n", member.getOffersWaiting());
  }

  /** A quote: the points the basket would earn, line by line. */
  void quote(QuoteBasketResponse quote) {
    out.printf("Quote: %d points on %s eligible spend%n", quote.getEarning().getTotalPoints(),
        money(quote.getEarning().getEligibleSpend()));
    lines(quote.getEarning());
    out.printf("Available now: %d points%n", quote.getAvailablePoints());
    if (quote.hasTierAfter()) {
      out.printf("This sale would reach tier %s%n", quote.getTierAfter().getDisplayName());
    }
  }

  /** The loyalty part of a sale's receipt. */
  void receipt(Receipt receipt, boolean replayed) {
    out.printf("---- LOYALTY RECEIPT ----%s%n", replayed ? " (copy: sale already recorded)" : "");
    out.printf("Sale       %s (transaction %s)%n", receipt.getPosTransactionId(),
        receipt.getTransactionId());
    out.printf("Member     %s%n", receipt.getMemberId());
    lines(receipt.getEarning());
    out.printf("Points earned    %8d%n", receipt.getEarning().getTotalPoints());
    out.printf("Points redeemed  %8d%n", receipt.getPointsRedeemed());
    out.printf("Balance          %8d available, %d held%n", receipt.getAvailablePoints(),
        receipt.getHeldPoints());
    out.printf("Tier       %s%s%n", receipt.getTier().getDisplayName(),
        receipt.getTierUpgraded() ? " (upgraded!)" : "");
    out.printf("Recorded   %s%n", instant(receipt.getCommitTime()));
  }

  /** What a return or void reversed. */
  void returnReceipt(ReturnReceipt receipt, boolean replayed) {
    out.printf("Return %s for member %s%s%n", receipt.getReturnId(), receipt.getMemberId(),
        replayed ? " (already recorded)" : "");
    receipt.getLinesList().forEach(line -> out.printf("  line %-6s %4d returned  -%d points%n",
        line.getLineId(), line.getQuantity(), line.getPointsReversed()));
    out.printf("Points reversed  %8d%n", receipt.getPointsReversed());
    out.printf("Points refunded  %8d%n", receipt.getPointsRefunded());
    if (receipt.getShortfallPoints() > 0) {
      out.printf("Shortfall        %8d (not taken back: balance cannot go negative)%n",
          receipt.getShortfallPoints());
    }
    out.printf("Balance          %8d available, %d held%n", receipt.getAvailablePoints(),
        receipt.getHeldPoints());
  }

  /** One page of a points statement. */
  void statement(List<LedgerEntry> entries, String nextPageToken) {
    if (entries.isEmpty()) {
      out.println("No ledger entries.");
    }
    for (LedgerEntry entry : entries) {
      out.printf("%-24s %-14s %+8d  balance %8d  %s%n", instant(entry.getCreateTime()),
          entry.getType().name().replace("LEDGER_ENTRY_TYPE_", ""), entry.getPoints(),
          entry.getBalanceAfter(), entry.getDescription());
    }
    if (!nextPageToken.isEmpty()) {
      out.printf("More: --page-token %s%n", nextPageToken);
    }
  }

  /** The result of a manual adjustment. */
  void adjustment(AdjustPointsResponse adjustment) {
    out.printf("Adjusted %+d points (entry %s)%n", adjustment.getEntry().getPoints(),
        adjustment.getEntry().getEntryId());
    member(adjustment.getMember());
  }

  private void lines(PointsEarning earning) {
    for (LinePoints line : earning.getLinesList()) {
      out.printf("  line %-6s %6d pts  %s%n", line.getLineId(), line.getPoints(),
          line.getExcluded() ? "excluded" : describe(line.getComponentsList()));
    }
    for (PointsComponent bonus : earning.getBasketBonusesList()) {
      out.printf("  bonus       %6d pts  %s%n", bonus.getPoints(), bonus.getDescription());
    }
  }

  private static String describe(List<PointsComponent> components) {
    return components.stream().map(PointsComponent::getDescription)
        .collect(Collectors.joining("; "));
  }

  private static String money(Money money) {
    int digits;
    try {
      // Pseudo-currencies report -1 fraction digits.
      digits = Math.max(Currency.getInstance(money.getCurrencyCode())
          .getDefaultFractionDigits(), 0);
    } catch (IllegalArgumentException e) {
      digits = 2; // not an ISO-4217 code: the service will have refused it already
    }
    return BigDecimal.valueOf(money.getAmountMinor(), digits).toPlainString() + " "
        + money.getCurrencyCode();
  }

  private static String instant(Timestamp time) {
    return Instant.ofEpochSecond(time.getSeconds(), time.getNanos()).toString();
  }
}
