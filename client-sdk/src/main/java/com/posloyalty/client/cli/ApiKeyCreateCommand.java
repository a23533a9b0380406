package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.ApiKey;
import com.posloyalty.v1.ApiKeyScope;
import com.posloyalty.v1.CreateApiKeyRequest;
import com.posloyalty.v1.CreateApiKeyResponse;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code api-keys create}: issues a key and prints its secret, the only time it is shown. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = {"Issue an API key (admin key). Its secret is printed once: store it now.",
        "--store binds the key to a store, which a checkout key needs; without --store on the"
            + " command line the key acts for any store (LOYALTY_STORE is not used here)."})
final class ApiKeyCreateCommand extends ClientCommand {
  @Option(names = "--scope", required = true, split = ",", paramLabel = "SCOPE",
      converter = ApiKeysCommand.ScopeConverter.class,
      description = "What the key may do: checkout, backoffice or admin (repeatable, or"
          + " comma-separated).")
  private List<ApiKeyScope> scopes;

  @Option(names = "--label", paramLabel = "TEXT",
      description = "Who holds the key, e.g. \"store-12 lane 3\" (up to 100 characters).")
  private String label = "";

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    CreateApiKeyResponse created = client.programAdmin().createApiKey(
        CreateApiKeyRequest.newBuilder().addAllScopes(scopes)
            .setStoreId(cli().storeGiven().orElse("")).setLabel(label).build());
    ApiKey key = created.getApiKey();
    out.printf("Created API key %s%n", key.getKeyId());
    out.printf("  Scopes   %s%n", ApiKeysCommand.scopeNames(key.getScopesList()));
    out.printf("  Store    %s%n", ApiKeysCommand.store(key.getStoreId()));
    out.printf("  Label    %s%n", ApiKeysCommand.label(key.getLabel()));
    out.printf("  Created  %s%n", ApiKeysCommand.time(key.getCreateTime()));
    out.printf("Secret     %s%n", created.getSecret());
    out.println("The secret is shown once: store it now. The service keeps only a hash of it"
        + " and cannot show it again.");
  }
}
