package com.posloyalty.server.api;

import com.posloyalty.server.domain.FieldFindings;

/** {@link FieldFindings} with the edge's other common checks: free text, ranges. */
final class Violations extends FieldFindings {

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
