package com.posloyalty.server.api;

import com.posloyalty.server.domain.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects every bad field of a request, then refuses it once, naming them all. */
final class Violations {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:\\-]+");

  private final List<Refusal.FieldViolation> found = new ArrayList<>();
  private String reason = "FIELD_INVALID";

  void add(String field, String description) {
    found.add(new Refusal.FieldViolation(field, description));
  }

  /** Like {@link #add} but with a more specific reason (the first one given wins). */
  void add(String field, String description, String specificReason) {
    if (found.isEmpty()) {
      reason = specificReason;
    }
    add(field, description);
  }

  /** An id: 1–{@code max} characters of letters, digits and {@code _ . : -}. */
  void id(String field, String value, int max) {
    if (value.isEmpty()) {
      add(field, "is required", "FIELD_REQUIRED");
    } else if (value.length() > max || !ID.matcher(value).matches()) {
      add(field, "must be 1-" + max + " letters, digits or _ . : -");
    }
  }

  /** Free text of at most {@code max} characters, optionally required. */
  void text(String field, String value, int min, int max) {
    if (value.strip().length() < min) {
      add(field, "is required", "FIELD_REQUIRED");
    } else if (value.length() > max) {
      add(field, "must be at most " + max + " characters");
    }
  }

  void range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      add(field, "must be between " + min + " and " + max);
    }
  }

  void check() {
    if (!found.isEmpty()) {
      throw Refusal.invalid(reason, found);
    }
  }
}
