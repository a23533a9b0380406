package com.posloyalty.client;

import java.io.IOException;

/**
 * A journal file is damaged before its last record, so the records after the damage cannot be
 * trusted and the SDK refuses to guess. (A record cut short by a crash is always the last one:
 * the SDK drops it by itself and never raises this.) The file is left untouched for an operator
 * to inspect.
 */
public class JournalCorruptedException extends IOException {
  private static final long serialVersionUID = 1L;

  JournalCorruptedException(String message) {
    super(message);
  }
}
