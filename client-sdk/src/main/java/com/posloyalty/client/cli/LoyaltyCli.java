package com.posloyalty.client.cli;

import com.google.rpc.BadRequest.FieldViolation;
import com.posloyalty.client.LoyaltyClient;
import com.posloyalty.client.LoyaltyClientBuilder;
import com.posloyalty.client.LoyaltyException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The operator CLI ({@code java -jar posloyalty-cli.jar}): identify, enrol, quote, commit,
 * return, statement, adjust, a demo checkout, and API key management ({@code api-keys create},
 * {@code list}, {@code revoke}). Connection options may come before or after the command.
 * Exit code 0 on success, 1 when the call or the command failed (one line
 * {@code error: <STATUS> <REASON>: <message>}, then any further bad fields, on standard error),
 * 2 for a bad command line.
 */
@Command(name = "posloyalty-cli", mixinStandardHelpOptions = true,
    version = "posloyalty-cli 0.1.0",
    description = "Operator commands for the POS Loyalty service.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {IdentifyCommand.class, EnrollCommand.class, QuoteCommand.class,
        CommitCommand.class, ReturnCommand.class, StatementCommand.class, AdjustCommand.class,
        DemoCommand.class, ApiKeysCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {"  0  success", "  1  the service refused or failed the call, or the command failed",
        "  2  bad command line"})
public final class LoyaltyCli implements Callable<Integer> {
  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

  @Spec
  private CommandSpec spec;

  @Option(names = "--target", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
      defaultValue = "${env:LOYALTY_TARGET:-localhost:50051}",
      description = "Service address (env LOYALTY_TARGET; default ${DEFAULT-VALUE}).")
  private String target;

  // No defaultValue: LOYALTY_API_KEY is read in apiKey(), so that a key given on the command
  // line can be told from one in the environment.
  @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
      description = "API key sent as a bearer token (default: env LOYALTY_API_KEY).")
  private String apiKey;

  @Option(names = "--api-key-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Take the API key from this properties file of name=key lines instead, such"
          + " as the embedded server's data/demo-keys.properties.")
  private Path apiKeyFile;

  @Option(names = "--key-name", scope = ScopeType.INHERIT, paramLabel = "NAME",
      defaultValue = "checkout",
      description = "The key to take from --api-key-file: checkout, backoffice or admin in the"
          + " demo keys (default ${DEFAULT-VALUE}).")
  private String keyName;

  @Option(names = "--plaintext", negatable = true, scope = ScopeType.INHERIT,
      description = "Connect without TLS (default: only for localhost targets).")
  private Boolean plaintext;

  @Option(names = "--trust-cert", scope = ScopeType.INHERIT, paramLabel = "PEM",
      description = "CA certificates to trust for the service's TLS certificate.")
  private Path trustCertificates;

  @Option(names = "--store", scope = ScopeType.INHERIT,
      defaultValue = "${env:LOYALTY_STORE:-store-1}",
      description = "Store id (env LOYALTY_STORE; default ${DEFAULT-VALUE}). For api-keys"
          + " create only when typed: without it the new key acts for any store.")
  String store;

  @Option(names = "--terminal", scope = ScopeType.INHERIT,
      defaultValue = "${env:LOYALTY_TERMINAL:-cli}",
      description = "Terminal id (env LOYALTY_TERMINAL; default ${DEFAULT-VALUE}).")
  String terminal;

  @Option(names = "--deadline-ms", scope = ScopeType.INHERIT, defaultValue = "5000",
      paramLabel = "MS",
      description = "Deadline of each call in milliseconds (default ${DEFAULT-VALUE}).")
  private long deadlineMillis;

  /**
   * Runs the CLI and exits with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the CLI, writing to {@code out} and {@code err}.
   *
   * @param out where results go
   * @param err where the one-line error goes
   * @param args the command line
   * @return the exit code
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new LoyaltyCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      e.getCommandLine().getErr().println(oneLine("error: " + e.getMessage()));
      return 2;
    });
    commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
      command.getErr().println(describe(e));
      return 1;
    });
    return commandLine.execute(args);
  }

  /** Without a command there is nothing to do. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "a command is required (see --help)");
  }

  /** A client for the options given; the caller closes it. */
  LoyaltyClient connect() {
    Duration deadline = Duration.ofMillis(deadlineMillis);
    LoyaltyClientBuilder builder = LoyaltyClient.builder().target(target)
        .storeId(store).terminalId(terminal)
        .checkoutDeadline(deadline).backOfficeDeadline(deadline);
    if (plaintext != null ? plaintext : LOCAL_HOSTS.contains(host(target))) {
      builder.usePlaintext();
    }
    if (trustCertificates != null) {
      builder.trustCertificates(trustCertificates);
    }
    String key = apiKey();
    if (key != null && !key.isBlank()) {
      builder.apiKey(key);
    }
    return builder.build();
  }

  /**
   * The store named with {@code --store} on this command line, before or after the command;
   * empty when the store would only come from LOYALTY_STORE or the default. For the commands
   * where a missing store means "any store", such as {@code api-keys create}.
   */
  Optional<String> storeGiven() {
    for (ParseResult parsed = spec.commandLine().getParseResult(); parsed != null;
        parsed = parsed.subcommand()) {
      if (parsed.hasMatchedOption("--store")) {
        return Optional.of(store);
      }
    }
    return Optional.empty();
  }

  /** The key from --api-key or --api-key-file (not both), else from LOYALTY_API_KEY. */
  private String apiKey() {
    if (apiKeyFile == null) {
      return apiKey != null ? apiKey : System.getenv("LOYALTY_API_KEY");
    }
    if (apiKey != null) {
      throw new ParameterException(spec.commandLine(),
          "give the API key with --api-key or --api-key-file, not both");
    }
    try {
      return ApiKeyFile.read(apiKeyFile, keyName);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /**
   * The one line printed for a failure: the status and reason first, for scripts to match, then
   * the message and every bad field the message does not already name.
   */
  static String describe(Exception e) {
    if (e instanceof LoyaltyException failure) {
      String reason = failure.reason().isEmpty() ? "" : " " + failure.reason();
      StringBuilder line = new StringBuilder("error: " + failure.code() + reason + ": "
          + failure.getMessage());
      // The service's message names the first bad field only; the rest are in its details.
      for (FieldViolation violation : failure.fieldViolations()) {
        String named = violation.getField() + ": " + violation.getDescription();
        if (line.indexOf(named) < 0) {
          line.append("; ").append(named);
        }
      }
      return oneLine(line.toString());
    }
    return oneLine("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ");
  }

  private static String host(String target) {
    String address = target.contains("///") ? target.substring(target.indexOf("///") + 3) : target;
    int colon = address.lastIndexOf(':');
    return colon > 0 && !address.endsWith("]") ? address.substring(0, colon) : address;
  }
}
