package com.posloyalty.server;

import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.domain.Refusal;
import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's key commands, run against the configured database:
 * {@code create-key --scope checkout --store store-1 --label "lane 3"}, {@code list-keys},
 * {@code revoke-key KEY_ID}. The secret of a new key is printed once.
 */
final class KeyCommands {

  private KeyCommands() {}

  static int run(String command, List<String> args, ServerConfig config, Clock clock)
      throws IOException {
    return Application.withComponent(config, clock, component -> {
      ApiKeys keys = component.apiKeys();
      try {
        switch (command) {
          case "create-key" -> {
            Set<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : option(args, "--scope").orElse("").split(",")) {
              if (!s.isBlank()) {
                scopes.add(Scope.valueOf(s.strip().toUpperCase(Locale.ROOT)));
              }
            }
            if (scopes.isEmpty()) {
              System.err.println("error: --scope checkout|backoffice|admin[,…] is required");
              return 2;
            }
            ApiKeys.Created created = keys.create(scopes, option(args, "--store"),
                option(args, "--label").orElse(""), "operator:cli");
            System.out.println("key id: " + created.key().keyId());
            System.out.println("secret (shown once): " + created.secret());
          }
          case "list-keys" -> keys.list(Optional.empty(), true, Optional.empty(), 1000)
              .forEach(k -> System.out.println(k.keyId() + "  " + k.scopes() + "  store="
                  + k.storeId().orElse("*") + "  " + (k.active() ? "active" : "revoked "
                  + k.revokedAt().get()) + "  " + k.label()));
          default -> {
            if (args.isEmpty()) {
              System.err.println("error: revoke-key needs a key id");
              return 2;
            }
            System.out.println("revoked " + keys.revoke(args.get(0), "operator:cli").keyId());
          }
        }
        return 0;
      } catch (Refusal | IllegalArgumentException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
    });
  }

  private static Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
  }
}
