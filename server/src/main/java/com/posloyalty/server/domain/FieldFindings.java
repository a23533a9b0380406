package com.posloyalty.server.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects every bad field of a request, then refuses it once, naming them all. The
 * refusal's reason is the first specific one given, else {@code FIELD_INVALID}.
 */
public class FieldFindings {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:\\-]+");

  private final List<Refusal.FieldViolation> found = new ArrayList<>();
  private String reason = "FIELD_INVALID";
  private boolean specific;

  public void add(String field, String description) {
    found.add(new Refusal.FieldViolation(field, description));
  }

  /** Like {@link #add} but with a more specific reason (the first one given wins). */
  public void add(String field, String description, String specificReason) {
    if (!specific) {
      reason = specificReason;
      specific = true;
    }
    add(field, description);
  }

  public void required(String field) {
    add(field, "is required", "FIELD_REQUIRED");
  }

  /** An id: 1–{@code max} characters of letters, digits and {@code _ . : -}. */
  public void id(String field, String value, int max) {
    if (value.isEmpty()) {
      required(field);
    } else {
      idFormat(field, value, max);
    }
  }

  /** Like {@link #id}, but an empty value is malformed rather than missing (list entries). */
  public void idFormat(String field, String value, int max) {
    if (value.isEmpty() || value.length() > max || !ID.matcher(value).matches()) {
      add(field, "must be 1-" + max + " letters, digits or _ . : -");
    }
  }

  /** Throws the refusal when anything was found. */
  public void check() {
    if (!found.isEmpty()) {
      throw Refusal.invalid(reason, found);
    }
  }
}
