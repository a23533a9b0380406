package com.posloyalty.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/** Which attempts of a failed call may have been applied, as gRPC reports them. */
class DeliveryTrackerTest {

  private static final ClientStreamTracer.StreamInfo INFO =
      ClientStreamTracer.StreamInfo.newBuilder().build();

  @Test
  void aResponseCutOffMidwayWasApplied() {
    DeliveryTracker tracker = new DeliveryTracker();
    ClientStreamTracer attempt = tracker.newClientStreamTracer(INFO, new Metadata());
    attempt.outboundMessageSent(0, 120, 120);
    // The response's first frame arrived (a unary response is only sent on success), then
    // the connection broke before the rest.
    attempt.inboundMessage(0);
    attempt.streamClosed(Status.UNAVAILABLE.withDescription("connection reset"));

    assertThat(tracker.mayHaveBeenApplied()).isTrue();
  }

  @Test
  void anAttemptThatNeverWentOutOrThatTheServiceRefusedWasNotApplied() {
    DeliveryTracker tracker = new DeliveryTracker();
    ClientStreamTracer waiting = tracker.newClientStreamTracer(INFO, new Metadata());
    waiting.streamClosed(Status.DEADLINE_EXCEEDED);
    sentAndAnsweredUnavailable(tracker, "DATABASE_UNAVAILABLE");

    assertThat(tracker.mayHaveBeenApplied()).isFalse();

    // The service lost its database connection while committing: it does not know either.
    sentAndAnsweredUnavailable(tracker, "COMMIT_OUTCOME_UNKNOWN");

    assertThat(tracker.mayHaveBeenApplied()).isTrue();
  }

  @Test
  void anAttemptGrpcRetriedTransparentlyWasNotProcessed() {
    DeliveryTracker tracker = new DeliveryTracker();
    ClientStreamTracer refusedStream = tracker.newClientStreamTracer(INFO, new Metadata());
    refusedStream.outboundMessageSent(0, 120, 120);
    refusedStream.streamClosed(Status.UNAVAILABLE.withDescription("REFUSED_STREAM"));
    ClientStreamTracer retry = tracker.newClientStreamTracer(
        ClientStreamTracer.StreamInfo.newBuilder().setIsTransparentRetry(true).build(),
        new Metadata());
    retry.streamClosed(Status.UNAVAILABLE.withDescription("connection refused"));

    assertThat(tracker.mayHaveBeenApplied()).isFalse();
  }

  /** One more attempt: sent, and answered UNAVAILABLE by the service with {@code reason}. */
  private static void sentAndAnsweredUnavailable(DeliveryTracker tracker, String reason) {
    ClientStreamTracer attempt = tracker.newClientStreamTracer(INFO, new Metadata());
    attempt.outboundMessageSent(0, 120, 120);
    StatusRuntimeException answer =
        FakeCheckoutService.refusal(com.google.rpc.Code.UNAVAILABLE, reason, "unavailable");
    attempt.inboundTrailers(answer.getTrailers());
    attempt.streamClosed(answer.getStatus());
  }
}
