package com.posloyalty.client;

import com.posloyalty.v1.CreateApiKeyRequest;
import com.posloyalty.v1.CreateApiKeyResponse;
import com.posloyalty.v1.ListApiKeysRequest;
import com.posloyalty.v1.ListApiKeysResponse;
import com.posloyalty.v1.ProgramAdminServiceGrpc;
import com.posloyalty.v1.RevokeApiKeyRequest;
import com.posloyalty.v1.RevokeApiKeyResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * The API key calls of ProgramAdminService, for the operators who issue and revoke the keys of
 * terminals and back-office systems; they need an API key with the {@code admin} scope (else
 * an {@link AccessDeniedException} with reason {@code SCOPE_MISSING}). The calls use the
 * connection, TLS and API key of the {@link LoyaltyClient} they come from, and block until the
 * service answers or the back-office deadline (5 s by default) passes; a failure is a
 * {@link LoyaltyException}. Listing and revoking are retried on {@code UNAVAILABLE} inside
 * that deadline; creating is not, because an answer lost on the way would take the one-time
 * secret with it. Thread-safe.
 */
public final class ProgramAdminClient {
  private final UnaryCaller caller;
  private final RequestDefaults defaults;
  private final Duration deadline;

  ProgramAdminClient(UnaryCaller caller, RequestDefaults defaults, Duration deadline) {
    this.caller = caller;
    this.defaults = defaults;
    this.deadline = deadline;
  }

  /**
   * The same client with another deadline per call.
   *
   * @param deadline the deadline of each call, retries included
   * @return a client using {@code deadline}
   */
  public ProgramAdminClient withDeadline(Duration deadline) {
    return new ProgramAdminClient(caller, defaults, Objects.requireNonNull(deadline, "deadline"));
  }

  /**
   * Issues an API key; an empty {@code request_id} is generated. The response carries the
   * secret, which the service never shows again: hand it to the key's holder at once. A
   * repeat of a {@code request_id} answers the key it created with {@code replayed} set and
   * an empty secret.
   *
   * @param request the scopes, the store (required for a {@code checkout} key) and a label
   * @return the key's metadata and its secret
   * @throws InvalidRequestException for example {@code SCOPE_INVALID} or {@code STORE_REQUIRED}
   */
  public CreateApiKeyResponse createApiKey(CreateApiKeyRequest request) {
    return UnaryCaller.await(caller.call(ProgramAdminServiceGrpc.getCreateApiKeyMethod(),
        defaults.apply(request), deadline));
  }

  /**
   * One page of API keys, newest first, never with their secrets.
   *
   * @param request the store filter, whether to show revoked keys, and the page wanted
   * @return the keys of the page and the token of the next one (empty on the last page)
   * @throws InvalidRequestException for example {@code PAGE_TOKEN_INVALID}
   */
  public ListApiKeysResponse listApiKeys(ListApiKeysRequest request) {
    return UnaryCaller.await(caller.call(ProgramAdminServiceGrpc.getListApiKeysMethod(),
        request, deadline));
  }

  /**
   * Revokes an API key; every server instance refuses it within its key cache time (5 s by
   * default). Idempotent: revoking a revoked key returns it with its first revoke time.
   *
   * @param request the key id
   * @return the key with its revoke time
   * @throws NotFoundException with reason {@code API_KEY_NOT_FOUND} for an unknown key id
   */
  public RevokeApiKeyResponse revokeApiKey(RevokeApiKeyRequest request) {
    return UnaryCaller.await(caller.call(ProgramAdminServiceGrpc.getRevokeApiKeyMethod(),
        request, deadline));
  }
}
