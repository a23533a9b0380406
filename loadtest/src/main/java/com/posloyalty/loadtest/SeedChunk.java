package com.posloyalty.loadtest;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The COPY text for a run of seeded members: each member with a card, a purchase history
 * in the ledger (earnings and the odd redemption), the point lots behind it and the
 * balance row. A member's history is drawn from a generator seeded by its index, so it
 * is the same in every seeding. The rows keep the server's invariants: available + held
 * equals the sum of the member's ledger entries, and the lots' remaining points (oldest
 * consumed first) sum to available.
 */
final class SeedChunk {

  static final String MEMBERS_COPY = "COPY members (member_id, status, given_name, family_name,"
      + " phone_e164, email, birth_month, birth_day, marketing_consent, consent_time, tier_id,"
      + " referral_bonus_paid, enrolled_store_id, enrolled_channel, created_at, updated_at)"
      + " FROM STDIN";
  static final String CARDS_COPY =
      "COPY cards (card_number, member_id, state, issued_at) FROM STDIN";
  static final String BALANCES_COPY =
      "COPY balances (member_id, available, held, version, updated_at) FROM STDIN";
  static final String LEDGER_COPY = "COPY ledger_entries (member_id, entry_type, points,"
      + " balance_after, created_at, occurred_at, store_id, terminal_id, channel, reference_id,"
      + " description, actor) FROM STDIN";
  static final String LOTS_COPY = "COPY point_lots (member_id, points, remaining, earned_at,"
      + " expires_at, reference_id) FROM STDIN";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssX").withZone(ZoneOffset.UTC);
  private static final long HISTORY_SECONDS = Duration.ofDays(360).toSeconds();
  private static final int STORES = 50;
  private static final int REDEEM_EVERY = 6;

  final StringBuilder members = new StringBuilder();
  final StringBuilder cards = new StringBuilder();
  final StringBuilder balances = new StringBuilder();
  final StringBuilder ledger = new StringBuilder();
  final StringBuilder lots = new StringBuilder();

  private final String entryTier;
  private final int expiryMonths;
  private final long nowSecond;

  SeedChunk(String entryTier, int expiryMonths, Instant now) {
    this.entryTier = entryTier;
    this.expiryMonths = expiryMonths;
    this.nowSecond = now.getEpochSecond();
  }

  /** Appends member {@code index} with {@code entries} ledger entries. */
  void add(long index, int entries) {
    SplittableRandom random = new SplittableRandom(index);
    String id = Population.memberId(index);
    String store = "store-" + (1 + index % STORES);
    long joined = nowSecond - HISTORY_SECONDS - Duration.ofDays(30).toSeconds();
    boolean consent = random.nextBoolean();
    row(members, id, "ACTIVE", "Member", "LT" + index, Population.phone(index),
        Population.email(index), Integer.toString(1 + random.nextInt(12)),
        Integer.toString(1 + random.nextInt(28)), Boolean.toString(consent),
        consent ? time(joined) : "\\N", entryTier, "false", store, "STAFFED_LANE",
        time(joined), time(joined));
    row(cards, Population.cardNumber(index), id, "ACTIVE", time(joined));

    long available = 0;
    long last = joined;
    List<Lot> earned = new ArrayList<>();
    long step = HISTORY_SECONDS / (entries + 1);
    for (int j = 0; j < entries; j++) {
      long at = nowSecond - HISTORY_SECONDS + (j + 1) * step
          + random.nextLong(Math.max(1, step / 2));
      String terminal = "lane-" + (1 + random.nextInt(8));
      String reference = "seed-" + index + "-" + j;
      long points;
      String type;
      String description;
      if (j % REDEEM_EVERY == REDEEM_EVERY - 1 && available >= 100) {
        points = -Math.min(available, 100 + 50L * random.nextInt(5));
        consumeOldest(earned, -points);
        type = "REDEEM";
        description = "Points as tender " + reference;
      } else {
        points = 1 + random.nextInt(60);
        earned.add(new Lot(points, at, reference));
        type = "EARN";
        description = "Purchase " + reference;
      }
      available += points;
      row(ledger, id, type, Long.toString(points), Long.toString(available), time(at), time(at),
          store, terminal, "STAFFED_LANE", reference, description,
          "terminal:" + store + "/" + terminal);
      last = at;
    }
    for (Lot lot : earned) {
      row(lots, id, Long.toString(lot.points), Long.toString(lot.remaining), time(lot.earnedAt),
          expiry(lot.earnedAt), lot.reference);
    }
    row(balances, id, Long.toString(available), "0", Integer.toString(entries), time(last));
  }

  /** An earned lot; {@code remaining} drops as later debits consume it. */
  private static final class Lot {
    final long points;
    final long earnedAt;
    final String reference;
    long remaining;

    Lot(long points, long earnedAt, String reference) {
      this.points = points;
      this.remaining = points;
      this.earnedAt = earnedAt;
      this.reference = reference;
    }
  }

  /** Debits take points from the oldest lots first, as the server does. */
  private static void consumeOldest(List<Lot> lots, long points) {
    long left = points;
    for (int i = 0; i < lots.size() && left > 0; i++) {
      Lot lot = lots.get(i);
      long take = Math.min(left, lot.remaining);
      lot.remaining -= take;
      left -= take;
    }
  }

  private String expiry(long earnedSecond) {
    if (expiryMonths <= 0) {
      return "\\N";
    }
    return TIME.format(Instant.ofEpochSecond(earnedSecond).atZone(ZoneOffset.UTC)
        .plusMonths(expiryMonths));
  }

  private static String time(long epochSecond) {
    return TIME.format(Instant.ofEpochSecond(epochSecond));
  }

  /** One row of COPY text format: tab-separated, \N for NULL (no value here needs escaping). */
  private static void row(StringBuilder out, String... values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append('\t');
      }
      out.append(values[i]);
    }
    out.append('\n');
  }
}
