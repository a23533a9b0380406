package com.posloyalty.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  private static final Instant T = Instant.parse("2026-11-24T06:00:00.123Z");

  /** Creation times from the epoch to 2099, in order, with a carry between 31 and 32 ms. */
  private static final List<Instant> TIMES = List.of(Instant.EPOCH, Instant.ofEpochMilli(31),
      Instant.ofEpochMilli(32), Instant.parse("2026-11-24T05:59:59.999Z"), T, T.plusMillis(1),
      Instant.parse("2099-12-31T23:59:59.999Z"));

  @Test
  void anIdIsItsPrefixTheTimeAndSixteenRandomCharacters() {
    String id = Ids.next("txn", T);

    assertThat(id).matches("txn_[0-9a-hjkmnp-tv-z]{26}");
  }

  @Test
  void idsSortByTheirCreationTimeAsText() {
    List<String> ids = new ArrayList<>();
    for (Instant t : TIMES) {
      ids.add(Ids.next("txn", t));
    }

    assertThat(ids).isSorted();
    // The time part is the same for the same millisecond, whatever the random part.
    assertThat(Ids.next("txn", T).substring(0, 14)).isEqualTo(Ids.next("txn", T).substring(0, 14));
    assertThat(Ids.next("txn", T).substring(0, 14))
        .isNotEqualTo(Ids.next("txn", T.plusMillis(1)).substring(0, 14));
  }

  @Test
  void idsOfTheSameMillisecondDiffer() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(Ids.next("rsv", T));
    }

    assertThat(ids).hasSize(10_000);
  }

  @Test
  void everyRandomPositionTakesEveryCharacterEvenly() {
    // 80 random bits, five to a character: no position stuck, none lopsided. Each of the 32
    // characters is expected 1,000 times per position; 800 lies 6.4 deviations below.
    int[][] counts = new int[16][128];
    for (int i = 0; i < 32_000; i++) {
      String random = Ids.next("txn", T).substring(14);
      for (int p = 0; p < 16; p++) {
        counts[p][random.charAt(p)]++;
      }
    }

    for (int p = 0; p < 16; p++) {
      for (char c : "0123456789abcdefghjkmnpqrstvwxyz".toCharArray()) {
        assertThat(counts[p][c]).as("position %d, character %s", p, c).isBetween(800, 1200);
      }
    }
  }

  @Test
  void aTimeBeforeTheEpochIsRefused() {
    assertThatThrownBy(() -> Ids.next("mbr", Instant.EPOCH.minusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
