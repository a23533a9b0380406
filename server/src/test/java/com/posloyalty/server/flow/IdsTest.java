package com.posloyalty.server.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

  private static final Instant T = Instant.parse("2026-11-24T06:00:00.123Z");

  @Test
  void anIdIsItsPrefixTheTimeAndSixteenRandomCharacters() {
    String id = Ids.next("txn", T);

    assertThat(id).matches("txn_[0-9a-hjkmnp-tv-z]{26}");
  }

  @Test
  void idsSortByTheirCreationTimeAsText() throws Exception {
    List<Instant> times = List.of(Instant.EPOCH, Instant.ofEpochMilli(31),
        Instant.ofEpochMilli(32), Instant.parse("2026-11-24T05:59:59.999Z"), T,
        T.plusMillis(1), Instant.parse("2099-12-31T23:59:59.999Z"));
    List<String> ids = new ArrayList<>();
    for (Instant t : times) {
      ids.add(Ids.next("txn", t));
    }

    assertThat(ids).isSorted();
    assertThat(orderedByPostgres(ids)).as("PostgreSQL's text order, the indexes' order")
        .isEqualTo(ids);
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
  void aTimeBeforeTheEpochIsRefused() {
    assertThatThrownBy(() -> Ids.next("mbr", Instant.EPOCH.minusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** {@code ids} as PostgreSQL's default collation orders them, given in reverse. */
  private static List<String> orderedByPostgres(List<String> ids) throws Exception {
    List<String> reversed = new ArrayList<>(ids);
    Collections.reverse(reversed);
    List<String> ordered = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(TestServices.newDatabase("ids"),
            "postgres", "");
        PreparedStatement ps = c.prepareStatement(
            "SELECT id FROM unnest(?::text[]) AS id ORDER BY id")) {
      ps.setArray(1, c.createArrayOf("text", reversed.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ordered.add(rs.getString(1));
        }
      }
    }
    return ordered;
  }
}
