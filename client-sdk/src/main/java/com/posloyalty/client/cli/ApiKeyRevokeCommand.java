package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.ApiKey;
import com.posloyalty.v1.RevokeApiKeyRequest;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code api-keys revoke}: revokes a key; revoking it again prints the same line. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = "Revoke an API key (admin key). Every server refuses it within its key cache"
        + " time (LOYALTY_API_KEY_CACHE_SECONDS, 5 s by default). Revoking a revoked key"
        + " changes nothing.")
final class ApiKeyRevokeCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key id, as listed.")
  private String keyId;

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    ApiKey key = client.programAdmin()
        .revokeApiKey(RevokeApiKeyRequest.newBuilder().setKeyId(keyId).build()).getApiKey();
    out.printf("API key %s (%s) is revoked since %s%n", key.getKeyId(),
        ApiKeysCommand.label(key.getLabel()), ApiKeysCommand.time(key.getRevokeTime()));
  }
}
