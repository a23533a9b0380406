package com.posloyalty.server.api;

import com.posloyalty.server.domain.FieldFindings;
import java.util.regex.Pattern;

/** {@link FieldFindings} with the edge's common checks: ids, free text, ranges. */
final class Violations extends FieldFindings {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:\\-]+");

  /** An id: 1–{@code max} characters of letters, digits and {@code _ . : -}. */
  void id(String field, String value, int max) {
    if (value.isEmpty()) {
      required(field);
    } else if (value.length() > max || !ID.matcher(value).matches()) {
      add(field, "must be 1-" + max + " letters, digits or _ . : -");
    }
  }

  /** Free text of at most {@code max} characters, optionally required. */
  void text(String field, String value, int min, int max) {
    if (value.strip().length() < min) {
      required(field);
    } else if (value.length() > max) {
      add(field, "must be at most " + max + " characters");
    }
  }

  void range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      add(field, "must be between " + min + " and " + max);
    }
  }
}
