package com.posloyalty.server.domain;

/** Decides whether a redemption may be reserved and what it is worth. */
public final class RedemptionPolicy {

  private RedemptionPolicy() {}

  /** The money value of {@code points} paid as tender, rounded down. */
  public static long tenderValueMinor(ProgramRules rules, long points) {
    return PointsMath.mulDivFloor(points, rules.tenderUnitMinor(), rules.tenderPointsPerUnit());
  }

  /** Refuses a tender below the minimum or above the cap share of the basket. */
  public static long checkTender(ProgramRules rules, long points, long basketTotalMinor) {
    if (points < rules.tenderMinPoints()) {
      throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "TENDER_BELOW_MINIMUM",
          "points as tender need at least " + rules.tenderMinPoints() + " points",
          java.util.Map.of("minimum_points", Long.toString(rules.tenderMinPoints())));
    }
    long value = tenderValueMinor(rules, points);
    long cap = PointsMath.mulDivFloor(basketTotalMinor, rules.tenderMaxShareBp(), PointsMath.ONE_BP);
    if (value > cap) {
      long maxPoints = PointsMath.mulDivFloor(cap, rules.tenderPointsPerUnit(), rules.tenderUnitMinor());
      throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "TENDER_ABOVE_CAP",
          "points as tender may pay at most " + Money.format(cap, rules.currencyCode())
              + " of this basket (" + maxPoints + " points)",
          java.util.Map.of("max_points", Long.toString(maxPoints)));
    }
    return value;
  }

  /**
   * At commit: the points tendered must still fit the cap share of the basket actually
   * sold (the reservation was checked against the total the lane announced).
   */
  public static void checkTenderAgainstSale(ProgramRules rules, long tenderValueMinor,
      long basketNetMinor) {
    long cap = PointsMath.mulDivFloor(basketNetMinor, rules.tenderMaxShareBp(), PointsMath.ONE_BP);
    if (tenderValueMinor > cap) {
      throw Refusal.of(Refusal.Kind.FAILED_PRECONDITION, "TENDER_ABOVE_CAP",
          "points tendered (" + Money.format(tenderValueMinor, rules.currencyCode())
              + ") exceed the share points may pay of this sale ("
              + Money.format(cap, rules.currencyCode()) + "); release the reservation or"
              + " reserve a smaller tender",
          java.util.Map.of("max_value_minor", Long.toString(cap)));
    }
  }

  /** Unattended kiosks need an attendant's code above the program's threshold. */
  public static void checkApproval(
      ProgramRules rules, long points, boolean unattended, String approvalCode) {
    if (unattended && rules.kioskApprovalThreshold() > 0
        && points > rules.kioskApprovalThreshold()
        && (approvalCode == null || approvalCode.isBlank())) {
      throw Refusal.precondition("APPROVAL_REQUIRED",
          "redemptions above " + rules.kioskApprovalThreshold()
              + " points at a self-checkout kiosk need an attendant's approval code");
    }
  }
}
