package com.posloyalty.server.flow;

import com.posloyalty.server.cache.MemberCache;
import com.posloyalty.server.domain.Member;
import com.posloyalty.server.domain.MemberView;
import com.posloyalty.server.domain.ProgramRules;
import com.posloyalty.server.domain.TierRule;
import com.posloyalty.server.store.AuditLog;
import com.posloyalty.server.store.Database;
import com.posloyalty.server.store.MemberStore;
import com.posloyalty.server.store.PointsAccount;
import com.posloyalty.server.store.ProgramStore;
import com.posloyalty.server.store.SpendStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The scheduled jobs: point expiry, tier downgrades, cache repair, ledger verification.
 * Each is idempotent — running one twice does nothing the second time.
 */
@Singleton
public final class MaintenanceJobs {

  private static final int BATCH = 500;

  private final Database db;
  private final ProgramStore program;
  private final PointsAccount points;
  private final MemberStore members;
  private final SpendStore spend;
  private final MemberViews views;
  private final MemberCache cache;
  private final AuditLog audit;
  private final Clock clock;

  @Inject
  MaintenanceJobs(Database db, ProgramStore program, PointsAccount points, MemberStore members,
      SpendStore spend, MemberViews views, MemberCache cache, AuditLog audit, Clock clock) {
    this.db = db;
    this.program = program;
    this.points = points;
    this.members = members;
    this.spend = spend;
    this.views = views;
    this.cache = cache;
    this.audit = audit;
    this.clock = clock;
  }

  private record Expired(long points, MemberView view) {}

  /** Writes EXPIRE entries for every lot past its expiry; returns the points expired. */
  public long expirePoints() {
    Instant now = clock.instant();
    ProgramRules rules = program.current();
    long total = 0;
    List<String> due;
    do {
      due = db.read(c -> points.membersWithExpiringLots(c, now, BATCH));
      for (String memberId : due) {
        Expired expired = db.inTransaction(c -> {
          long lost = points.expireLots(c, memberId, now);
          return new Expired(lost, lost == 0 ? null : views.load(c, rules, memberId));
        });
        if (expired.view() != null) {
          views.publish(expired.view());
        }
        total += expired.points();
      }
    } while (due.size() == BATCH);
    return total;
  }

  /**
   * The scheduled tier evaluation: members whose rolling 365-day spend no longer holds
   * their tier move down to the tier it does hold. Upgrades happen at commit instead.
   *
   * @return members downgraded
   */
  public int evaluateTiers() {
    Instant now = clock.instant();
    ProgramRules rules = program.current();
    List<String> candidates = db.read(members::aboveEntryTier);
    int downgraded = 0;
    for (String memberId : candidates) {
      Optional<MemberView> view = db.inTransaction(c -> {
        // Locked and read again: a sale of the member in flight holds this lock, so its
        // spend and any upgrade are in what is read next (a stale read must not
        // overwrite them), and a second instance running the job finds the work done.
        Optional<Member> member = members.lock(c, memberId);
        if (member.isEmpty() || member.get().status() != Member.Status.ACTIVE) {
          return Optional.<MemberView>empty();
        }
        long qualifying = spend.sum(c, memberId, now.minus(MemberViews.TIER_WINDOW),
            MemberViews.windowEnd(now));
        TierRule held = rules.tierForSpend(qualifying);
        TierRule current = rules.tier(member.get().tierId()).orElse(rules.entryTier());
        if (held.rank() >= current.rank()) {
          return Optional.<MemberView>empty();
        }
        members.setTier(c, memberId, held.tierId(), now);
        points.touch(c, memberId, now);
        audit.record(c, memberId, "TIER_DOWNGRADED", "system",
            current.tierId() + " -> " + held.tierId() + " (qualifying spend " + qualifying + ")", now);
        return Optional.of(views.load(c, rules, memberId));
      });
      if (view.isPresent()) {
        views.publish(view.get());
        downgraded++;
      }
    }
    return downgraded;
  }

  /** Re-publishes members whose last cache write failed; returns how many succeeded. */
  public int repairCache() {
    int repaired = 0;
    for (String memberId : cache.unsynced()) {
      ProgramRules rules = program.current();
      MemberView view = db.read(c -> views.load(c, rules, memberId));
      if (cache.put(memberId, view.balance().version(), MemberViews.toProto(view))) {
        repaired++;
      } else {
        break;
      }
    }
    return repaired;
  }

  /**
   * Checks available + held == sum of ledger for every member (or the named ones), counting
   * and checking in one snapshot. Named ids that are no member are not counted.
   */
  public LedgerCheck verifyLedger(List<String> memberIds) {
    return db.snapshot(c -> new LedgerCheck(
        points.count(c, memberIds), points.verify(c, memberIds)));
  }

  /** The result of a ledger check. */
  public record LedgerCheck(long membersChecked, List<PointsAccount.Mismatch> mismatches) {}
}
