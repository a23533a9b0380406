package com.posloyalty.server.domain;

/**
 * A member's materialised balance. {@code available + held} equals the sum of the
 * member's ledger entries; {@code version} grows with every change.
 */
public record Balance(long available, long held, long version) {}
