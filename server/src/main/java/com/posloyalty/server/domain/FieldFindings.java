package com.posloyalty.server.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every bad field of a request, then refuses it once, naming them all. The
 * refusal's reason is the first specific one given, else {@code FIELD_INVALID}.
 */
public class FieldFindings {

  private final List<Refusal.FieldViolation> found = new ArrayList<>();
  private String reason = "FIELD_INVALID";

  public void add(String field, String description) {
    found.add(new Refusal.FieldViolation(field, description));
  }

  /** Like {@link #add} but with a more specific reason (the first one given wins). */
  public void add(String field, String description, String specificReason) {
    if (found.isEmpty()) {
      reason = specificReason;
    }
    add(field, description);
  }

  public void required(String field) {
    add(field, "is required", "FIELD_REQUIRED");
  }

  /** Throws the refusal when anything was found. */
  public void check() {
    if (!found.isEmpty()) {
      throw Refusal.invalid(reason, found);
    }
  }
}
