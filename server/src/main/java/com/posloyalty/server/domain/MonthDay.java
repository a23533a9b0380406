package com.posloyalty.server.domain;

/** A birthday without the year. */
public record MonthDay(int month, int day) {}
