package com.posloyalty.client;

import com.google.protobuf.Message;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Store-and-forward for the calls that record something already done at the lane. A request
 * goes to the service when nothing is waiting in the journal; when the service cannot be reached
 * within the deadline (after the automatic retries) it is journaled instead, and once anything
 * is journaled every later request is journaled behind it, so the service sees them in the
 * lane's order (a return never overtakes its sale).
 */
final class Forwarding implements Closeable {
  private final UnaryCaller caller;
  private final ForwardJournal journal;
  private final DeadLetterLog deadLetters;
  private final ForwardSender sender;

  private Forwarding(UnaryCaller caller, ForwardJournal journal, DeadLetterLog deadLetters,
      ForwardSender sender) {
    this.caller = caller;
    this.journal = journal;
    this.deadLetters = deadLetters;
    this.sender = sender;
  }

  /** Forwarding for a client without a journal: every request is simply sent. */
  static Forwarding disabled(UnaryCaller caller) {
    return new Forwarding(caller, null, null, null);
  }

  /** Opens the journal and dead letters in {@code directory} and starts the sender. */
  static Forwarding open(Path directory, JournalLimits limits, UnaryCaller caller,
      ChannelPool channels, Channel channel, Duration replayDeadline, Clock clock)
      throws IOException {
    ForwardJournal journal = ForwardJournal.open(directory, limits.maxRecords(),
        limits.maxBytes(), clock);
    try {
      DeadLetterLog deadLetters = DeadLetterLog.open(directory);
      ForwardSender sender = new ForwardSender(journal, deadLetters, channel,
          channels::resetConnectBackoff, replayDeadline, limits.initialBackoff(),
          limits.maxBackoff(), clock);
      sender.start();
      return new Forwarding(caller, journal, deadLetters, sender);
    } catch (IOException | RuntimeException e) {
      journal.close();
      throw e;
    }
  }

  /**
   * Sends {@code request}, or journals it as described above.
   *
   * @param delivered turns the service's response into the caller's result
   * @param pending makes the caller's result from the journal sequence
   */
  <Q extends Message, R, T> CompletableFuture<T> send(ForwardKind kind,
      MethodDescriptor<Q, R> method, Q request, Duration deadline, Function<R, T> delivered,
      LongFunction<T> pending) {
    if (journal == null) {
      return caller.call(method, request, deadline).thenApply(delivered);
    }
    if (journal.pendingCount() > 0) {
      return journal(kind, request, pending);
    }
    return caller.call(method, request, deadline).handle((response, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(delivered.apply(response));
      }
      LoyaltyException error = UnaryCaller.failureOf(failure);
      return error instanceof ServiceUnavailableException
          ? journal(kind, request, pending)
          : CompletableFuture.<T>failedFuture(error);
    }).thenCompose(Function.identity());
  }

  /** How many requests wait in the journal (0 without a journal). */
  int pendingCount() {
    return journal == null ? 0 : journal.pendingCount();
  }

  /** The dead letters, oldest first (none without a journal). */
  List<DeadLetter> deadLetters() {
    return deadLetters == null ? List.of() : deadLetters.list();
  }

  boolean settleDeadLetter(DeadLetter letter) throws IOException {
    return deadLetters != null && deadLetters.settle(letter);
  }

  @Override
  public void close() throws IOException {
    if (journal == null) {
      return;
    }
    sender.close();
    try {
      deadLetters.close();
    } finally {
      journal.close();
    }
  }

  private <T> CompletableFuture<T> journal(ForwardKind kind, Message request,
      LongFunction<T> pending) {
    try {
      long sequence = journal.append(kind, request.toByteArray());
      sender.wake();
      return CompletableFuture.completedFuture(pending.apply(sequence));
    } catch (JournalFullException e) {
      // The service may be back with the backlog still waiting for the sender's backoff.
      sender.wake();
      return CompletableFuture.failedFuture(e);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(new ServiceUnavailableException(ErrorDetails.local(
          Status.Code.UNAVAILABLE, "JOURNAL_WRITE_FAILED",
          "the service is unreachable and the journal could not be written: " + e.getMessage()),
          e));
    }
  }
}
