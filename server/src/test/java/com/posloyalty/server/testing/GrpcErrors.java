package com.posloyalty.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/** Reads the ErrorInfo and BadRequest a refusal carries. */
public final class GrpcErrors {

  private GrpcErrors() {}

  /** Runs {@code call}, which must fail with {@code code}; returns the error. */
  public static StatusRuntimeException expect(Status.Code code, Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
      return e;
    }
    return fail("expected " + code + " but the call succeeded");
  }

  public static ErrorInfo info(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    assertThat(status).as("status details").isNotNull();
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return fail("no ErrorInfo in " + status);
  }

  /** The RetryInfo's delay, in milliseconds. */
  public static long retryDelayMillis(StatusRuntimeException e) {
    for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(RetryInfo.class)) {
        try {
          var d = detail.unpack(RetryInfo.class).getRetryDelay();
          return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    throw new AssertionError("no RetryInfo");
  }

  public static String reason(StatusRuntimeException e) {
    return info(e).getReason();
  }

  /** The fields named by the BadRequest detail, in order. */
  public static List<String> fields(StatusRuntimeException e) {
    List<String> fields = new ArrayList<>();
    for (Any detail : StatusProto.fromThrowable(e).getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        try {
          detail.unpack(BadRequest.class).getFieldViolationsList()
              .forEach(v -> fields.add(v.getField()));
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return fields;
  }
}
