package com.posloyalty.client.cli;

import com.posloyalty.client.LoyaltyClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A CLI command that calls the service: it gets a client for the connection options, runs, and
 * closes the client. A failure propagates to the CLI's one-line error handler.
 */
abstract class ClientCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try (LoyaltyClient client = cli().connect()) {
      run(client, spec.commandLine().getOut());
    }
    return 0;
  }

  /**
   * The CLI's connection options. They live on the root command, which is the direct parent of
   * most commands and the grandparent of a group's subcommands such as {@code api-keys list}.
   */
  LoyaltyCli cli() {
    return (LoyaltyCli) spec.root().userObject();
  }

  /** Does the command's work, printing results to {@code out}. */
  abstract void run(LoyaltyClient client, PrintWriter out) throws Exception;
}
