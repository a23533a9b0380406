package com.posloyalty.server.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.posloyalty.server.domain.Pii;

/** {@code %maskedMsg}: the log message with e-mails, phones and card numbers masked. */
public final class MaskedMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Pii.scrub(super.convert(event));
  }
}
