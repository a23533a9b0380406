package com.posloyalty.loadtest;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Names a failure for the error table: gRPC code and ErrorInfo reason, or the SQL state. */
final class Failures {

  /** An arrival refused because the in-flight limit was reached. */
  static final String OVERLOAD = "OVERLOAD";

  private Failures() {}

  static String reason(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof SQLException sql) {
      return "SQL/" + sql.getSQLState();
    }
    if (t instanceof UnexpectedResponse unexpected) {
      return unexpected.getMessage();
    }
    if (!(t instanceof StatusRuntimeException) && !(t instanceof StatusException)) {
      return "CLIENT/" + t.getClass().getSimpleName();
    }
    Status status = Status.fromThrowable(t);
    com.google.rpc.Status details = StatusProto.fromThrowable(t);
    if (details != null) {
      for (Any any : details.getDetailsList()) {
        if (any.is(ErrorInfo.class)) {
          try {
            return status.getCode() + "/" + any.unpack(ErrorInfo.class).getReason();
          } catch (InvalidProtocolBufferException e) {
            break;
          }
        }
      }
    }
    return status.getCode().name();
  }

  /** A call that answered, but not with what the scenario needs (e.g. NOT_SERVING). */
  static final class UnexpectedResponse extends RuntimeException {
    UnexpectedResponse(String reason) {
      super(reason, null, false, false);
    }
  }
}
