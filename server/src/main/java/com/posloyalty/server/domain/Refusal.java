package com.posloyalty.server.domain;

import java.util.List;
import java.util.Map;

/**
 * A request the service refuses for a business or input reason. Every refusal carries a
 * stable reason code (listed in docs/errors.md); the api layer maps the {@link Kind} to a
 * gRPC status. Nothing has been written when a refusal is thrown.
 */
public final class Refusal extends RuntimeException {

  /** The class of refusal; maps one-to-one to a gRPC status code. */
  public enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    PERMISSION_DENIED,
    UNAUTHENTICATED,
    RESOURCE_EXHAUSTED,
    UNAVAILABLE
  }

  /** One bad field, named by its path in the request (e.g. {@code lines[2].quantity}). */
  public record FieldViolation(String field, String description) {}

  private final Kind kind;
  private final String reason;
  private final List<FieldViolation> violations;
  private final Map<String, String> metadata;

  private Refusal(
      Kind kind, String reason, String message, List<FieldViolation> violations,
      Map<String, String> metadata) {
    super(message, null, false, false);
    this.kind = kind;
    this.reason = reason;
    this.violations = List.copyOf(violations);
    this.metadata = Map.copyOf(metadata);
  }

  public static Refusal of(Kind kind, String reason, String message) {
    return new Refusal(kind, reason, message, List.of(), Map.of());
  }

  public static Refusal of(Kind kind, String reason, String message, Map<String, String> metadata) {
    return new Refusal(kind, reason, message, List.of(), metadata);
  }

  /** Bad input in one field. */
  public static Refusal invalid(String reason, String field, String description) {
    return new Refusal(
        Kind.INVALID_ARGUMENT, reason, field + ": " + description,
        List.of(new FieldViolation(field, description)), Map.of());
  }

  /** Bad input in several fields, all reported at once. */
  public static Refusal invalid(String reason, List<FieldViolation> violations) {
    String message = violations.size() == 1
        ? violations.get(0).field() + ": " + violations.get(0).description()
        : violations.size() + " invalid fields, first " + violations.get(0).field() + ": "
            + violations.get(0).description();
    return new Refusal(Kind.INVALID_ARGUMENT, reason, message, violations, Map.of());
  }

  public static Refusal notFound(String reason, String message) {
    return of(Kind.NOT_FOUND, reason, message);
  }

  public static Refusal precondition(String reason, String message) {
    return of(Kind.FAILED_PRECONDITION, reason, message);
  }

  public Kind kind() {
    return kind;
  }

  public String reason() {
    return reason;
  }

  public List<FieldViolation> violations() {
    return violations;
  }

  public Map<String, String> metadata() {
    return metadata;
  }
}
