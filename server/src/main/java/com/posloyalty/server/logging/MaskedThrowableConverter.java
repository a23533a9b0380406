package com.posloyalty.server.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.posloyalty.server.domain.Pii;

/** {@code %maskedEx}: stack traces whose messages (e.g. SQL errors) are masked too. */
public final class MaskedThrowableConverter extends ThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy proxy) {
    return Pii.scrub(super.throwableProxyToString(proxy));
  }
}
