package com.posloyalty.server.flow;

import com.posloyalty.server.domain.Earning;
import com.posloyalty.server.domain.EarningCalculator;
import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.Origin;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.SaleLine;
import com.posloyalty.server.domain.TierRule;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.MemberStore;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.server.store.RewardStore;
import com.posloyalty.v1.QuoteBasketRequest;
import com.posloyalty.v1.QuoteBasketResponse;
import com.posloyalty.v1.Reward;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.inject.Inject;
import javax.inject.Singleton;

/** What a basket would earn now: the same calculator CommitTransaction uses, no writes. */
@Singleton
public final class QuoteBasketFlow {

  static final int MAX_REWARDS = 20;

  private final Database db;
  private final ProgramStore program;
  private final RewardStore rewards;
  private final MemberViews views;
  private final Clock clock;

  @Inject
  QuoteBasketFlow(Database db, ProgramStore program, RewardStore rewards, MemberViews views,
      Clock clock) {
    this.db = db;
    this.program = program;
    this.rewards = rewards;
    this.views = views;
    this.clock = clock;
  }

  public QuoteBasketResponse quote(QuoteBasketRequest request, Origin origin) {
    ProgramRules rules = program.current();
    List<SaleLine> lines = Baskets.lines(rules, request.getBasket());
    return db.read(c -> {
      Instant now = clock.instant();
      MemberStore.Standing standing = views.standing(c, request.getMemberId());
      Member member = standing.member();
      member.requireActive();
      TierRule tier = rules.tier(member.tierId()).orElse(rules.entryTier());
      long available = standing.balance().available();
      Earning earning = EarningCalculator.earn(rules, tier, lines, member.birthday(),
          member.lastBirthdayBonusYear(), now.atZone(clock.getZone()).toLocalDate());
      QuoteBasketResponse.Builder b = QuoteBasketResponse.newBuilder()
          .setEarning(Baskets.toProto(earning, rules.currencyCode()))
          .setAvailablePoints(available);
      for (RewardStore.Reward r : rewards.affordable(c, available,
          origin.storeId(), origin.channel(), MAX_REWARDS)) {
        b.addAffordableRewards(toProto(r, rules.currencyCode()));
      }
      TierRule after = rules.tierForSpend(
          Math.addExact(standing.spendMinor(), earning.eligibleMinor()));
      if (after.rank() > tier.rank()) {
        b.setTierAfter(MemberViews.tier(after));
      }
      return b.build();
    });
  }

  static Reward toProto(RewardStore.Reward r, String currency) {
    Reward.Builder b = Reward.newBuilder()
        .setRewardId(r.rewardId())
        .setDisplayName(r.displayName())
        .setDescription(r.description())
        .setPointsCost(r.pointsCost())
        .setKind(Reward.Kind.valueOf("KIND_" + r.kind()))
        .setState(Reward.State.valueOf("STATE_" + r.state()));
    if (r.amountOffMinor() > 0) {
      b.setAmountOff(Protos.money(r.amountOffMinor(), currency));
    }
    if (r.freeSku() != null) {
      b.setFreeItemSku(r.freeSku());
    }
    return b.build();
  }
}
