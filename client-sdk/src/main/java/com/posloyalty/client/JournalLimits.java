package com.posloyalty.client;

import java.time.Duration;

/**
 * How much the store-and-forward journal may hold and how its sender backs off.
 *
 * @param maxRecords most requests waiting at once
 * @param maxBytes largest journal file, in bytes
 * @param initialBackoff wait before the first replay after the service was found unreachable
 * @param maxBackoff longest wait between replay attempts
 */
record JournalLimits(int maxRecords, long maxBytes, Duration initialBackoff,
    Duration maxBackoff) {}
