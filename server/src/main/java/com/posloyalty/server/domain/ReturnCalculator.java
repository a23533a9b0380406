package com.posloyalty.server.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what a return (or a void) reverses. Reversals are cumulative: after returning
 * q of a line's n units, exactly floor(points × q / n) of its points have been taken back
 * in total, whatever the number of partial returns — so a full return always reverses
 * everything and a sequence of returns can never reverse more than was earned. Basket
 * bonuses and points paid as tender follow the same rule, pro rata to the returned spend.
 */
public final class ReturnCalculator {

  private ReturnCalculator() {}

  /** One line of the original sale and what has come back of it so far. */
  public record SoldLine(
      String lineId, String sku, long quantity, long netMinor, long eligibleMinor, long points,
      long returnedQuantity, long reversedPoints) {}

  /** A redemption the original sale captured, and what has been refunded of it. */
  public record CapturedRedemption(
      String reservationId, long points, long refundedPoints, String freeSku) {}

  /** The original sale as it stands now. */
  public record SaleState(
      List<SoldLine> lines, long basketBonusPoints, long basketBonusReversed,
      List<CapturedRedemption> redemptions) {}

  /** Effect on one line. */
  public record LineReversal(String lineId, long quantity, long pointsReversed) {}

  /** Effect on one captured redemption. */
  public record RedemptionRefund(String reservationId, long points) {}

  /** What the return does. Points are positive amounts to take back or to give back. */
  public record Outcome(
      List<LineReversal> lines, long bonusReversed, List<RedemptionRefund> refunds) {

    public long pointsReversed() {
      return lines.stream().mapToLong(LineReversal::pointsReversed).sum() + bonusReversed;
    }

    public long pointsRefunded() {
      return refunds.stream().mapToLong(RedemptionRefund::points).sum();
    }
  }

  /**
   * @param requested line id → units to return now; each line id known and each quantity
   *     at most what is left of the line
   */
  public static Outcome compute(SaleState sale, Map<String, Long> requested) {
    Map<String, SoldLine> byId = new LinkedHashMap<>();
    sale.lines().forEach(l -> byId.put(l.lineId(), l));
    for (Map.Entry<String, Long> e : requested.entrySet()) {
      SoldLine line = byId.get(e.getKey());
      if (line == null) {
        throw Refusal.notFound("LINE_NOT_FOUND",
            "line " + e.getKey() + " is not in the original sale");
      }
      long left = line.quantity() - line.returnedQuantity();
      if (e.getValue() > left) {
        throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "RETURN_EXCEEDS_PURCHASE",
            "only " + left + " of line " + line.lineId() + " left to return",
            Map.of("line_id", line.lineId(), "quantity_left", Long.toString(left)));
      }
    }

    List<LineReversal> reversals = new ArrayList<>();
    long totalNet = 0;
    long returnedNetAfter = 0;
    Map<String, long[]> skuUnits = new HashMap<>();
    for (SoldLine line : sale.lines()) {
      long now = requested.getOrDefault(line.lineId(), 0L);
      long returnedAfter = line.returnedQuantity() + now;
      totalNet = Math.addExact(totalNet, line.netMinor());
      returnedNetAfter = Math.addExact(returnedNetAfter,
          PointsMath.mulDivFloor(line.netMinor(), returnedAfter, line.quantity()));
      long[] units = skuUnits.computeIfAbsent(line.sku(), k -> new long[2]);
      units[0] += line.quantity();
      units[1] += returnedAfter;
      if (now > 0) {
        long target = PointsMath.mulDivFloor(line.points(), returnedAfter, line.quantity());
        reversals.add(new LineReversal(line.lineId(), now, target - line.reversedPoints()));
      }
    }
    boolean allReturned = sale.lines().stream().allMatch(
        l -> l.returnedQuantity() + requested.getOrDefault(l.lineId(), 0L) == l.quantity());
    long bonusTarget = share(sale.basketBonusPoints(), returnedNetAfter, totalNet, allReturned);
    long bonusReversed = Math.max(0, bonusTarget - sale.basketBonusReversed());

    List<RedemptionRefund> refunds = new ArrayList<>();
    for (CapturedRedemption r : sale.redemptions()) {
      long target;
      long[] units = r.freeSku() == null ? null : skuUnits.get(r.freeSku());
      if (units != null) {
        // A free-item reward comes back with the item it paid for.
        target = PointsMath.mulDivFloor(r.points(), units[1], units[0]);
      } else {
        target = share(r.points(), returnedNetAfter, totalNet, allReturned);
      }
      long refund = target - r.refundedPoints();
      if (refund > 0) {
        refunds.add(new RedemptionRefund(r.reservationId(), refund));
      }
    }
    return new Outcome(List.copyOf(reversals), bonusReversed, List.copyOf(refunds));
  }

  /** The state after voiding: everything not yet returned comes back. */
  public static Map<String, Long> remainder(SaleState sale) {
    Map<String, Long> rest = new LinkedHashMap<>();
    for (SoldLine line : sale.lines()) {
      long left = line.quantity() - line.returnedQuantity();
      if (left > 0) {
        rest.put(line.lineId(), left);
      }
    }
    return rest;
  }

  private static long share(long points, long returnedNet, long totalNet, boolean allReturned) {
    if (allReturned) {
      return points;
    }
    if (totalNet == 0) {
      return 0;
    }
    return PointsMath.mulDivFloor(points, returnedNet, totalNet);
  }

  /**
   * Caps a reversal so the balance does not go negative when the program forbids it.
   *
   * @return the points actually taken back; the rest is the shortfall
   */
  public static long capReversal(
      long reversal, long refund, long available, boolean allowNegative) {
    if (allowNegative) {
      return reversal;
    }
    long room = Math.max(0, available + refund);
    return Math.min(reversal, room);
  }
}
