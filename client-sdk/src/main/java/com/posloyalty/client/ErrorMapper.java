package com.posloyalty.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a failed gRPC call into the {@link LoyaltyException} subclass that names it. */
final class ErrorMapper {
  /** The ErrorInfo domain of the service's own reasons. */
  static final String DOMAIN = "posloyalty.v1";

  private ErrorMapper() {}

  /** Maps any failure of a call; a {@link LoyaltyException} is returned unchanged. */
  static LoyaltyException map(Throwable failure) {
    if (failure instanceof LoyaltyException known) {
      return known;
    }
    ErrorDetails details = details(failure);
    return switch (details.code()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> new ServiceUnavailableException(details, failure);
      case UNAUTHENTICATED, PERMISSION_DENIED -> new AccessDeniedException(details, failure);
      case INVALID_ARGUMENT, OUT_OF_RANGE -> new InvalidRequestException(details, failure);
      case NOT_FOUND -> details.reason().equals("MEMBER_NOT_FOUND")
          ? new MemberNotFoundException(details, failure)
          : new NotFoundException(details, failure);
      case FAILED_PRECONDITION -> switch (details.reason()) {
        case "INSUFFICIENT_POINTS" -> new InsufficientPointsException(details, failure);
        case "MEMBER_NOT_ACTIVE" -> new MemberNotActiveException(details, failure);
        default -> new RefusedException(details, failure);
      };
      case ALREADY_EXISTS -> switch (details.reason()) {
        case "TRANSACTION_KEY_REUSED", "RETURN_ID_REUSED", "REQUEST_ID_REUSED" ->
            new DuplicateTransactionKeyException(details, failure);
        case "DUPLICATE_PHONE", "DUPLICATE_EMAIL" -> new DuplicateMemberException(details, failure);
        default -> new AlreadyExistsException(details, failure);
      };
      default -> new LoyaltyException(details, failure);
    };
  }

  private static ErrorDetails details(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    String description = status.getDescription() != null
        ? status.getDescription()
        : status.getCode().name();
    if (status.getCause() != null && status.getCause().getMessage() != null) {
      // A transport failure says "io exception"; its cause says what happened.
      description += " (" + status.getCause().getMessage() + ")";
    }
    com.google.rpc.Status rich = StatusProto.fromThrowable(failure);
    // Reasons of other domains (a proxy, a load balancer) must not be read as ours.
    Optional<ErrorInfo> info = serviceInfo(rich);
    return new ErrorDetails(
        status.getCode(),
        info.map(ErrorInfo::getReason).orElse(""),
        description,
        info.map(ErrorInfo::getMetadataMap).orElse(Map.of()),
        detail(rich, BadRequest.class).map(BadRequest::getFieldViolationsList).orElse(List.of()));
  }

  /** The service's own ErrorInfo in {@code rich} (may be null); a proxy's or balancer's is not. */
  static Optional<ErrorInfo> serviceInfo(com.google.rpc.Status rich) {
    return detail(rich, ErrorInfo.class).filter(i -> i.getDomain().equals(DOMAIN));
  }

  /** The first detail of the given type; a malformed one adds nothing, so it reads as absent. */
  private static <T extends Message> Optional<T> detail(com.google.rpc.Status rich, Class<T> type) {
    if (rich == null) {
      return Optional.empty();
    }
    for (Any detail : rich.getDetailsList()) {
      if (detail.is(type)) {
        try {
          return Optional.of(detail.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
