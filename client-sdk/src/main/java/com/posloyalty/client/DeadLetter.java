package com.posloyalty.client;

import com.google.protobuf.Message;
import io.grpc.Status;
import java.time.Instant;

/**
 * A forwarded request that the service refused when it was replayed, for a reason no replay of
 * it can change: a business reason (for example the member was blocked while the terminal was
 * offline, or a return names a sale that was itself refused) or {@code STORE_MISMATCH} (the
 * terminal's store-bound key may not act for the store the request names, for example a return
 * of another store's sale). It was not applied and will not be retried; the store system reads the
 * dead letters with {@link LoyaltyClient#deadLetters()} and settles each one by hand, for
 * example with a points adjustment.
 */
public final class DeadLetter {
  private final long sequence;
  private final ForwardKind kind;
  private final Message request;
  private final Instant journalTime;
  private final Instant refusalTime;
  private final Status.Code code;
  private final String reason;
  private final String message;

  DeadLetter(long sequence, ForwardKind kind, Message request, Instant journalTime,
      Instant refusalTime, Status.Code code, String reason, String message) {
    this.sequence = sequence;
    this.kind = kind;
    this.request = request;
    this.journalTime = journalTime;
    this.refusalTime = refusalTime;
    this.code = code;
    this.reason = reason;
    this.message = message;
  }

  /**
   * The request's journal sequence, as the pending result of the original call reported it.
   *
   * @return the sequence
   */
  public long sequence() {
    return sequence;
  }

  /**
   * Which call was refused.
   *
   * @return the kind of request
   */
  public ForwardKind kind() {
    return kind;
  }

  /**
   * The refused request, exactly as it was sent: a {@code CommitTransactionRequest},
   * {@code ReturnItemsRequest} or {@code VoidTransactionRequest} according to {@link #kind()}.
   *
   * @return the request
   */
  public Message request() {
    return request;
  }

  /**
   * When the lane made the call and the request was written to the journal.
   *
   * @return the journal time
   */
  public Instant journalTime() {
    return journalTime;
  }

  /**
   * When the service refused the replay.
   *
   * @return the refusal time
   */
  public Instant refusalTime() {
    return refusalTime;
  }

  /**
   * The gRPC status code of the refusal, for example {@code FAILED_PRECONDITION}.
   *
   * @return the status code
   */
  public Status.Code code() {
    return code;
  }

  /**
   * The refusal's ErrorInfo reason, for example {@code MEMBER_NOT_ACTIVE}.
   *
   * @return the reason, or an empty string when the service sent none
   */
  public String reason() {
    return reason;
  }

  /**
   * The service's description of the refusal.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return "DeadLetter{" + kind + " #" + sequence + " refused " + code + " " + reason + ": "
        + message + "}";
  }
}
