package com.posloyalty.client;

import java.time.Instant;

/**
 * A request waiting in the forward journal.
 *
 * @param sequence its place in the journal: replayed in increasing order, never reused
 * @param kind which call it is
 * @param journalTime when it was written to the journal
 * @param request the serialized request, exactly as it was (or would have been) first sent
 */
record JournalEntry(long sequence, ForwardKind kind, Instant journalTime, byte[] request) {}
