package com.posloyalty.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.Status;
import java.util.List;
import java.util.Map;

/** What an error says: the values every {@link LoyaltyException} is built from. */
record ErrorDetails(
    Status.Code code,
    String reason,
    String description,
    Map<String, String> metadata,
    List<FieldViolation> fieldViolations) {

  /** An error raised by the SDK itself, with a reason of its own and no details. */
  static ErrorDetails local(Status.Code code, String reason, String description) {
    return new ErrorDetails(code, reason, description, Map.of(), List.of());
  }
}
