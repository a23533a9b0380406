package com.posloyalty.server.reliability;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** The {@code ErrorInfo.reason} a refusal carries, for tallies ("" when it carries none). */
final class StatusReason {

  private StatusReason() {}

  static String of(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return "";
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException ex) {
          return "";
        }
      }
    }
    return "";
  }

  /** "CODE/REASON", e.g. "UNAVAILABLE/DATABASE_UNAVAILABLE" ("CODE/-" without a reason). */
  static String label(StatusRuntimeException e) {
    String reason = of(e);
    return e.getStatus().getCode() + "/" + (reason.isEmpty() ? "-" : reason);
  }
}
