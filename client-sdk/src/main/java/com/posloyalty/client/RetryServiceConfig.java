package com.posloyalty.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The gRPC service config the SDK's channels use: every CheckoutService and MemberAdminService
 * call, and ProgramAdminService's ListApiKeys and RevokeApiKey, is retried on
 * {@code UNAVAILABLE}, up to 3 attempts with small backoffs, always inside the call's own
 * deadline. A retry resends the identical request, so it carries the same idempotency key
 * ({@code request_id}, {@code return_id} or the POS transaction key).
 *
 * <p>Apply it to a channel you build yourself with
 * {@code builder.defaultServiceConfig(RetryServiceConfig.load()).enableRetry()}.
 */
public final class RetryServiceConfig {
  private static final String RESOURCE = "retry_service_config.json";

  private RetryServiceConfig() {}

  /**
   * Reads the service config.
   *
   * @return the config as the map {@code ManagedChannelBuilder.defaultServiceConfig} takes
   */
  public static Map<String, ?> load() {
    // gRPC wants JSON numbers as Double: the file writes them as 3.0, which Jackson reads so.
    try (InputStream in = RetryServiceConfig.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the SDK jar");
      }
      return new ObjectMapper().readValue(in, new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
