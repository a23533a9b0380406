package com.posloyalty.server.flow;

import com.posloyalty.server.domain.Earning;
import com.posloyalty.server.domain.LineEarning;
import com.posloyalty.server.domain.PointsComponent;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.SaleLine;
import com.posloyalty.v1.Basket;
import com.posloyalty.v1.BasketLine;
import com.posloyalty.v1.LinePoints;
import com.posloyalty.v1.PointsComponentKind;
import com.posloyalty.v1.PointsEarning;
import java.util.ArrayList;
import java.util.List;

/** Checks a basket against the program and converts it between API and domain forms. */
final class Baskets {

  private Baskets() {}

  /** Refuses a basket in another currency or with more lines than the program allows. */
  static List<SaleLine> lines(ProgramRules rules, Basket basket) {
    if (!basket.getCurrencyCode().equals(rules.currencyCode())) {
      throw Refusal.invalid("CURRENCY_MISMATCH", "basket.currency_code",
          "must be the program's currency " + rules.currencyCode());
    }
    if (basket.getLinesCount() > rules.maxBasketLines()) {
      throw Refusal.invalid("BASKET_TOO_LARGE", "basket.lines",
          "at most " + rules.maxBasketLines() + " lines per basket");
    }
    List<SaleLine> lines = new ArrayList<>(basket.getLinesCount());
    for (BasketLine l : basket.getLinesList()) {
      lines.add(new SaleLine(l.getLineId(), l.getSku(), l.getCategory(), l.getQuantity(),
          l.getUnitPriceMinor(), l.getDiscountMinor()));
    }
    return lines;
  }

  static PointsEarning toProto(Earning earning, String currency) {
    PointsEarning.Builder b = PointsEarning.newBuilder()
        .setTotalPoints(earning.totalPoints())
        .setEligibleSpend(Protos.money(earning.eligibleMinor(), currency));
    for (LineEarning line : earning.lines()) {
      LinePoints.Builder lb = LinePoints.newBuilder()
          .setLineId(line.lineId())
          .setEligibleMinor(line.eligibleMinor())
          .setPoints(line.points())
          .setExcluded(line.excluded());
      line.components().forEach(c -> lb.addComponents(component(c)));
      b.addLines(lb);
    }
    earning.basketBonuses().forEach(c -> b.addBasketBonuses(component(c)));
    return b.build();
  }

  private static com.posloyalty.v1.PointsComponent component(PointsComponent c) {
    return com.posloyalty.v1.PointsComponent.newBuilder()
        .setKind(PointsComponentKind.valueOf("POINTS_COMPONENT_KIND_" + c.kind().name()))
        .setPoints(c.points())
        .setDescription(c.description())
        .setSourceId(c.sourceId())
        .build();
  }
}
