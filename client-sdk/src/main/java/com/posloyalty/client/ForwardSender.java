package com.posloyalty.client;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that replays the forward journal, oldest request first, one at a time.
 * A delivered request (a replay of an already applied one included: the service answers it with
 * the first result) is acknowledged. A refusal of that one request (a business refusal, or a
 * store-bound key acting for another store) goes to the dead-letter list and is then
 * acknowledged, so it neither blocks the requests behind it nor disappears. Any other failure
 * (unreachable, deadline, overload, a key being fixed) stops the replay, which is tried again
 * after an exponential backoff: order is kept and nothing is lost.
 */
final class ForwardSender implements Closeable {
  /** Refusals that no replay of the same request can change. */
  private static final Set<Status.Code> REFUSALS = EnumSet.of(Status.Code.INVALID_ARGUMENT,
      Status.Code.NOT_FOUND, Status.Code.ALREADY_EXISTS, Status.Code.FAILED_PRECONDITION,
      Status.Code.OUT_OF_RANGE);
  /**
   * The one PERMISSION_DENIED about the request rather than the key (docs/errors.md): a
   * store-bound key naming another store's sale or reservation. The others (a missing scope)
   * would refuse every request until the key is fixed, so they are retried.
   */
  private static final String STORE_MISMATCH = "STORE_MISMATCH";

  private static final Logger LOG = LoggerFactory.getLogger(ForwardSender.class);

  private final ForwardJournal journal;
  private final DeadLetterLog deadLetters;
  private final Channel channel;
  private final Runnable reconnect;
  private final Duration deadline;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  /** The next replay, while one is scheduled and has not started; guarded by {@code this}. */
  private ScheduledFuture<?> next;
  private Duration backoff;
  private boolean failing;

  /**
   * A sender for {@code journal} over {@code channel}; {@code reconnect} is run before each
   * replay to cut short the channel's own reconnect backoff.
   */
  ForwardSender(ForwardJournal journal, DeadLetterLog deadLetters, Channel channel,
      Runnable reconnect, Duration deadline, Duration initialBackoff, Duration maxBackoff,
      Clock clock) {
    this.journal = journal;
    this.deadLetters = deadLetters;
    this.channel = channel;
    this.reconnect = reconnect;
    this.deadline = deadline;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.clock = clock;
    this.backoff = initialBackoff;
    this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread sender = new Thread(runnable, "posloyalty-forward-sender");
      sender.setDaemon(true);
      return sender;
    });
  }

  /** Starts replaying what an earlier run of the terminal left in the journal. */
  void start() {
    schedule(Duration.ZERO);
  }

  /**
   * Tells the sender a request was journaled, or refused because the journal is full. The next
   * replay comes within the initial backoff, however far the backoff had grown: the lane is
   * selling again, so the service may be back, and a backlog (a full journal above all) should
   * not wait up to the maximum backoff to find out. While the service stays down this costs
   * one replay attempt per lane request at most.
   */
  void wake() {
    schedule(initialBackoff);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("forward sender did not stop in time; pending requests stay journaled");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Schedules a replay after {@code delay}, unless one is already due sooner. */
  private synchronized void schedule(Duration delay) {
    if (thread.isShutdown()) {
      return;
    }
    if (next != null) {
      if (next.getDelay(TimeUnit.NANOSECONDS) <= delay.toNanos() || !next.cancel(false)) {
        return;
      }
    }
    try {
      next = thread.schedule(this::drain, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("client closing; pending requests stay journaled for its next start");
    }
  }

  private void drain() {
    synchronized (this) {
      next = null;
    }
    try {
      Optional<JournalEntry> next = journal.oldest();
      while (next.isPresent() && !Thread.currentThread().isInterrupted()) {
        if (!deliver(next.get())) {
          schedule(backoff);
          Duration doubled = backoff.multipliedBy(2);
          backoff = doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
          return;
        }
        backoff = initialBackoff;
        next = journal.oldest();
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("forward journal failed; retrying in {}", maxBackoff, e);
      schedule(maxBackoff);
    }
  }

  /** Replays one request; false when it must be tried again later. */
  private boolean deliver(JournalEntry entry) throws IOException {
    Message request = entry.kind().parse(entry.request());
    reconnect.run();
    try {
      ClientCalls.blockingUnaryCall(channel, entry.kind().method(),
          CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS),
          request);
      journal.acknowledge(entry.sequence());
      failing = false;
      LOG.info("forwarded {} #{} journaled at {}", entry.kind(), entry.sequence(),
          entry.journalTime());
      return true;
    } catch (StatusRuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        // The client is closing: the request stays journaled for its next start.
        LOG.debug("forwarding {} #{} interrupted by close", entry.kind(), entry.sequence());
        return false;
      }
      LoyaltyException failure = ErrorMapper.map(e);
      if (!refusesThisRequestOnly(failure)) {
        // One warning per outage; a lane offline for hours retries thousands of times.
        if (!failing) {
          LOG.warn("cannot forward {} #{} yet ({} {}); retrying with backoff up to {}",
              entry.kind(), entry.sequence(), failure.code(), failure.getMessage(), maxBackoff);
        } else {
          LOG.debug("cannot forward {} #{} yet ({}); retrying in {}", entry.kind(),
              entry.sequence(), failure.code(), backoff);
        }
        failing = true;
        return false;
      }
      deadLetters.add(new DeadLetter(entry.sequence(), entry.kind(), request,
          entry.journalTime(), clock.instant(), failure.code(), failure.reason(),
          failure.getMessage()));
      journal.acknowledge(entry.sequence());
      LOG.error("forwarding {} #{} was refused ({} {}: {}); moved to the dead letters",
          entry.kind(), entry.sequence(), failure.code(), failure.reason(),
          failure.getMessage());
      return true;
    }
  }

  private static boolean refusesThisRequestOnly(LoyaltyException failure) {
    return REFUSALS.contains(failure.code())
        || failure.code() == Status.Code.PERMISSION_DENIED
            && failure.reason().equals(STORE_MISMATCH);
  }
}
