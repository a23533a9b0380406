package com.posloyalty.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.Status;
import java.util.List;
import java.util.Map;

/**
 * A call to the loyalty service failed. Carries the gRPC status code and, when the service
 * sent them, the stable {@code reason} of its {@code google.rpc.ErrorInfo} (for example
 * {@code MEMBER_NOT_FOUND}), the ErrorInfo metadata and the {@code google.rpc.BadRequest}
 * field violations. Subclasses name the failures a lane handles differently; catch this class
 * for all of them. docs/errors.md lists every reason.
 */
public class LoyaltyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The gRPC status code. */
  private final Status.Code code;
  /** The ErrorInfo reason, or empty. */
  private final String reason;
  /** The ErrorInfo metadata. */
  private final Map<String, String> metadata;
  /** The BadRequest field violations. */
  private final List<FieldViolation> fieldViolations;

  LoyaltyException(ErrorDetails details, Throwable cause) {
    super(details.description(), cause);
    this.code = details.code();
    this.reason = details.reason();
    this.metadata = Map.copyOf(details.metadata());
    this.fieldViolations = List.copyOf(details.fieldViolations());
  }

  /**
   * The gRPC status code of the failure.
   *
   * @return the status code, never {@code OK}
   */
  public Status.Code code() {
    return code;
  }

  /**
   * The stable reason of the failure, such as {@code INSUFFICIENT_POINTS}.
   *
   * @return the ErrorInfo reason, or an empty string when the service sent none
   */
  public String reason() {
    return reason;
  }

  /**
   * The ErrorInfo metadata, for example {@code available_points} or {@code member_id}.
   *
   * @return an unmodifiable map, empty when the service sent none
   */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * The offending request fields, named by their path in the request (for example
   * {@code basket.lines[2].quantity}).
   *
   * @return an unmodifiable list, empty unless the request was refused as invalid
   */
  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }
}
