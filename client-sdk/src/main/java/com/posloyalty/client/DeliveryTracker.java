package com.posloyalty.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Watches every attempt of one call (gRPC's automatic retries included) and tells whether any
 * of them may have been applied by the service without the caller learning its outcome.
 *
 * <p>An attempt may have been applied when its request was handed to a transport (so it may
 * have reached the service) and it did not end with the service's own refusal. The
 * service's own refusals carry an {@code ErrorInfo} of its domain, and the contract says a
 * refused call changed nothing ({@code DATABASE_UNAVAILABLE} and {@code SERVER_OVERLOADED}
 * included), except {@code COMMIT_OUTCOME_UNKNOWN}: the service lost its database connection
 * while committing and does not know either. A transport's {@code UNAVAILABLE} (a connection lost after the request went out, a
 * proxy answering for the service) or a deadline passing after the request went out settles
 * nothing: the service may have applied the call and its answer been lost.
 *
 * <p>An attempt that never got a transport (the service unreachable, the channel failing fast)
 * was certainly not applied, nor was one gRPC retried transparently (its stream refused by the
 * server, or dropped, before any processing).
 */
final class DeliveryTracker extends ClientStreamTracer.Factory {
  private static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private final Queue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private volatile Attempt last;

  /**
   * Whether some attempt went out and was not refused by the service. Asked once the call has
   * failed. An attempt whose response had begun to arrive (a unary response is only sent on
   * success) and was then cut off counts as applied, as it was.
   */
  boolean mayHaveBeenApplied() {
    return attempts.stream().anyMatch(a -> a.sent && !a.refusedByService);
  }

  @Override
  public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info,
      Metadata headers) {
    if (info.isTransparentRetry()) {
      // gRPC retries transparently only an attempt the server never processed (its stream
      // refused, or dropped before it was sent): that one was not applied.
      Attempt previous = last;
      if (previous != null) {
        previous.refusedByService = true;
      }
    }
    Attempt attempt = new Attempt();
    attempts.add(attempt);
    last = attempt;
    return attempt;
  }

  /** One attempt of the call. */
  private static final class Attempt extends ClientStreamTracer {
    private volatile boolean sent;
    private volatile boolean refusedByService;

    @Override
    public void outboundMessageSent(int seqNo, long optionalWireSize,
        long optionalUncompressedSize) {
      sent = true;
    }

    @Override
    public void inboundTrailers(Metadata trailers) {
      if (isRefusal(trailers)) {
        refusedByService = true;
      }
    }
  }

  /** Whether {@code trailers} carry the service's own answer that nothing was applied. */
  private static boolean isRefusal(Metadata trailers) {
    byte[] bytes = trailers.get(STATUS_DETAILS);
    if (bytes == null) {
      return false;
    }
    try {
      // The service's own COMMIT_OUTCOME_UNKNOWN: it lost its database connection while
      // committing, so it does not know either.
      return ErrorMapper.serviceInfo(com.google.rpc.Status.parseFrom(bytes))
          .filter(i -> !i.getReason().equals(CommitOutcomeUnknownException.REASON))
          .isPresent();
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }
}
