package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.v1.ApiKey;
import com.posloyalty.v1.ListApiKeysRequest;
import com.posloyalty.v1.ListApiKeysResponse;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code api-keys list}: every key, newest first, as a table; secrets are never listed. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"List API keys, newest first, without their secrets (admin key).",
        "--store on the command line shows only that store's keys."})
final class ApiKeyListCommand extends ClientCommand {
  private static final List<String> HEADINGS =
      List.of("KEY ID", "LABEL", "SCOPES", "STORE", "CREATED", "REVOKED");

  @Option(names = "--include-revoked", description = "Also list revoked keys.")
  private boolean includeRevoked;

  @Override
  void run(LoyaltyClient client, PrintWriter out) {
    List<List<String>> keys = new ArrayList<>();
    ListApiKeysRequest.Builder request = ListApiKeysRequest.newBuilder()
        .setStoreId(cli().storeGiven().orElse("")).setShowRevoked(includeRevoked);
    do {
      ListApiKeysResponse page = client.programAdmin().listApiKeys(request.build());
      for (ApiKey key : page.getApiKeysList()) {
        keys.add(List.of(key.getKeyId(), ApiKeysCommand.label(key.getLabel()),
            ApiKeysCommand.scopeNames(key.getScopesList()), ApiKeysCommand.store(key.getStoreId()),
            ApiKeysCommand.time(key.getCreateTime()), ApiKeysCommand.time(key.getRevokeTime())));
      }
      // A token that does not move on would page forever.
      if (page.getNextPageToken().equals(request.getPageToken())) {
        break;
      }
      request.setPageToken(page.getNextPageToken());
    } while (!request.getPageToken().isEmpty());
    print(keys, out);
  }

  private void print(List<List<String>> keys, PrintWriter out) {
    String which = includeRevoked ? "" : " active";
    if (keys.isEmpty()) {
      out.printf("No%s API keys.%n", which);
      return;
    }
    List<List<String>> table = new ArrayList<>(keys.size() + 1);
    table.add(HEADINGS);
    table.addAll(keys);
    int[] widths = new int[HEADINGS.size()];
    for (List<String> row : table) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : table) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
    out.printf("%d%s API key%s%s%n", keys.size(), which, keys.size() == 1 ? "" : "s",
        includeRevoked ? "" : " (add --include-revoked for revoked ones)");
  }
}
