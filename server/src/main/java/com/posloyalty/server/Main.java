package com.posloyalty.server;

import com.posloyalty.server.config.ConfigException;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.config.Settings;
import com.posloyalty.server.flow.MaintenanceJobs;
import java.time.Clock;
import java.util.List;

/**
 * {@code java -jar posloyalty-server.jar [serve | verify-ledger | expire-points | evaluate-tiers
 * | create-key --scope S [--store ID] [--label L] | list-keys | revoke-key KEY_ID]}.
 * Settings come from {@code LOYALTY_*} environment variables (docs/operations.md).
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "serve" : args[0];
    ServerConfig config;
    try {
      config = ServerConfig.from(Settings.load(System.getenv()));
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Clock clock = Clock.system(config.timeZone());
    switch (command) {
      case "serve" -> serve(config, clock);
      case "verify-ledger", "expire-points", "evaluate-tiers" -> runJob(command, config, clock);
      case "create-key", "list-keys", "revoke-key" ->
          System.exit(KeyCommands.run(command, List.of(args).subList(1, args.length), config, clock));
      default -> {
        System.err.println("unknown command '" + command + "'; use serve, verify-ledger,"
            + " expire-points, evaluate-tiers, create-key, list-keys or revoke-key");
        System.exit(2);
      }
    }
  }

  private static void serve(ServerConfig config, Clock clock) throws Exception {
    Application app = Application.start(config, clock);
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
    app.blockUntilShutdown();
  }

  private static void runJob(String command, ServerConfig config, Clock clock) throws Exception {
    int exit = Application.withComponent(config, clock, component -> {
      MaintenanceJobs jobs = component.jobs();
      switch (command) {
        case "verify-ledger" -> {
          MaintenanceJobs.LedgerCheck check = jobs.verifyLedger(List.of());
          System.out.println("members checked: " + check.membersChecked()
              + ", mismatches: " + check.mismatches().size());
          check.mismatches().forEach(m -> System.out.println("  " + m));
          return check.mismatches().isEmpty() ? 0 : 1;
        }
        case "expire-points" -> System.out.println("points expired: " + jobs.expirePoints());
        default -> System.out.println("members downgraded: " + jobs.evaluateTiers());
      }
      return 0;
    });
    System.exit(exit);
  }
}
