package com.posloyalty.server.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.flow.Overloaded;
import com.posloyalty.server.store.StoreUnavailableException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place errors become gRPC statuses: a {@code google.rpc.Status} with an
 * {@link ErrorInfo} (domain {@value #DOMAIN}, a stable reason) and, for bad input, a
 * {@link BadRequest} naming each field. Unexpected failures become INTERNAL with no
 * detail, and are logged.
 */
public final class ErrorMapper {

  public static final String DOMAIN = "posloyalty.v1";
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof Refusal r) {
      return refusal(r);
    }
    if (t instanceof Overloaded o) {
      return retryLater(Code.UNAVAILABLE, "SERVER_OVERLOADED", o.getMessage(),
          QueueGuard.RETRY_AFTER_MILLIS);
    }
    if (t instanceof StoreUnavailableException s && s.outcomeUnknown()) {
      return status(Code.UNAVAILABLE, "COMMIT_OUTCOME_UNKNOWN",
          "the connection to the loyalty database was lost while the change was being"
              + " committed: it may have been applied; retry with the same idempotency key to"
              + " learn which", null);
    }
    if (t instanceof StoreUnavailableException) {
      return status(Code.UNAVAILABLE, "DATABASE_UNAVAILABLE",
          "the loyalty database is unavailable; retry with the same idempotency key", null);
    }
    log.error("unexpected failure", t);
    return status(Code.INTERNAL, "INTERNAL", "internal error", null);
  }

  /** RESOURCE_EXHAUSTED with a RetryInfo telling the caller when to try again. */
  static StatusRuntimeException exhausted(String reason, String message, long retryAfterMillis) {
    return retryLater(Code.RESOURCE_EXHAUSTED, reason, message, retryAfterMillis);
  }

  /** {@code code} with a RetryInfo telling the caller when to try again. */
  static StatusRuntimeException retryLater(Code code, String reason, String message,
      long retryAfterMillis) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build();
    RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
        .setSeconds(retryAfterMillis / 1000).setNanos((int) (retryAfterMillis % 1000) * 1_000_000))
        .build();
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage(message)
        .addDetails(Any.pack(info)).addDetails(Any.pack(retry)).build());
  }

  /** At most this many field violations travel in one refusal's {@link BadRequest}. */
  static final int MAX_VIOLATIONS = 20;

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "…";
  }

  private static StatusRuntimeException refusal(Refusal r) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(r.reason()).setDomain(DOMAIN)
        .putAllMetadata(r.metadata());
    if (r.violations().size() > MAX_VIOLATIONS) {
      info.putMetadata("violation_count", Integer.toString(r.violations().size()));
    }
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code(r.kind()).getNumber())
        .setMessage(truncate(r.getMessage(), 500))
        .addDetails(Any.pack(info.build()));
    if (!r.violations().isEmpty()) {
      // Trailers must stay well under the 8 KiB metadata limit of gRPC clients: a basket of
      // hundreds of bad lines is reported by its first violations and the total count.
      BadRequest.Builder bad = BadRequest.newBuilder();
      r.violations().stream().limit(MAX_VIOLATIONS)
          .forEach(v -> bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
              .setField(truncate(v.field(), 200)).setDescription(truncate(v.description(), 200))));
      status.addDetails(Any.pack(bad.build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  static StatusRuntimeException status(Code code, String reason, String message,
      java.util.Map<String, String> metadata) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
    if (metadata != null) {
      info.putAllMetadata(metadata);
    }
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage(message).addDetails(Any.pack(info.build())).build());
  }

  private static Code code(Refusal.Kind kind) {
    return switch (kind) {
      case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
      case NOT_FOUND -> Code.NOT_FOUND;
      case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
      case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
      case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
      case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
      case RESOURCE_EXHAUSTED -> Code.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> Code.UNAVAILABLE;
    };
  }
}
