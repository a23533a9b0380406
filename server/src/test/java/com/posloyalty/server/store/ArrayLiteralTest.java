package com.posloyalty.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.testing.TestServices;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What PostgreSQL reads from the literals is exactly the values they were made of. */
class ArrayLiteralTest {

  private static final String URL = TestServices.newDatabase("arrayliteral");

  @Test
  void textComesBackAsItWent() throws Exception {
    List<String> values = List.of("MILK", "", "NULL", "a,b", "{x}", "say \"hi\"", "back\\slash",
        "  spaced  ", "tab\there", "line\nbreak", "üñí€😀", "\\\"", "'quoted'");
    String literal = ArrayLiteral.ofText(values, v -> v);
    assertThat(cast(literal, "text[]")).containsExactlyElementsOf(values);
    assertThat(cast(ArrayLiteral.ofText(List.<String>of(), v -> v), "text[]")).isEmpty();
  }

  @Test
  void numbersComeBackAsTheyWent() throws Exception {
    List<Long> values = List.of(0L, -1L, 7L, Long.MAX_VALUE, Long.MIN_VALUE);
    assertThat(cast(ArrayLiteral.ofLong(values, v -> v), "bigint[]"))
        .containsExactlyElementsOf(values);
  }

  @Test
  void aNullIsNotWrittenAsText() {
    assertThatThrownBy(() -> ArrayLiteral.ofText(Arrays.asList("a", null), v -> v))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Object> cast(String literal, String type) throws Exception {
    try (Connection c = DriverManager.getConnection(URL, "postgres", "");
        PreparedStatement ps = c.prepareStatement("SELECT ?::" + type)) {
      ps.setString(1, literal);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Array a = rs.getArray(1);
        return Arrays.asList((Object[]) a.getArray());
      }
    }
  }
}
