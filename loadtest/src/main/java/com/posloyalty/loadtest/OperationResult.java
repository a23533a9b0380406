package com.posloyalty.loadtest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One operation's figures for a run: successful calls, throughput (successes completed
 * inside the measured window, per second), latency percentiles in milliseconds and errors
 * by reason ("FAILED_PRECONDITION/INSUFFICIENT_POINTS", "OVERLOAD", …).
 */
record OperationResult(
    String name,
    long count,
    double throughput,
    double p50Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    long errors,
    Map<String, Long> errorsByReason,
    @JsonIgnore Histogram histogram) {}
