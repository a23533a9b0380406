package com.posloyalty.client.cli;

import com.google.protobuf.Timestamp;
import com.posloyalty.v1.ApiKeyScope;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code api-keys}: issues, lists and revokes the API keys of terminals and back-office systems
 * (ProgramAdminService, which needs a key with the {@code admin} scope). Also holds how the
 * subcommands spell a key's scopes, store and times, so the three print them alike.
 */
@Command(name = "api-keys", aliases = "keys", mixinStandardHelpOptions = true,
    description = "Manage API keys: create, list, revoke (admin key).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {ApiKeyCreateCommand.class, ApiKeyListCommand.class,
        ApiKeyRevokeCommand.class})
final class ApiKeysCommand implements Callable<Integer> {
  /** Shown for a key that acts for every store; parentheses never occur in a store id. */
  static final String ANY_STORE = "(any)";

  private static final String SCOPE_PREFIX = "API_KEY_SCOPE_";

  @Spec
  private CommandSpec spec;

  /** Without a subcommand there is nothing to do. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "api-keys needs a command: create, list or revoke (see api-keys --help)");
  }

  /**
   * A scope as operators write it: {@code checkout}, {@code backoffice}, {@code admin}; a scope
   * of a newer API than this CLI's shows as {@code unrecognized}.
   */
  static String scopeName(ApiKeyScope scope) {
    String name = scope.name();
    return (name.startsWith(SCOPE_PREFIX) ? name.substring(SCOPE_PREFIX.length()) : name)
        .toLowerCase(Locale.ROOT);
  }

  /** The scopes of a key, comma-separated. */
  static String scopeNames(List<ApiKeyScope> scopes) {
    return scopes.stream().map(ApiKeysCommand::scopeName).collect(Collectors.joining(","));
  }

  /** The store a key acts for. */
  static String store(String storeId) {
    return storeId.isEmpty() ? ANY_STORE : storeId;
  }

  /** A time in UTC (ISO-8601), or {@code -} when unset. */
  static String time(Timestamp time) {
    return time.equals(Timestamp.getDefaultInstance()) ? "-"
        : Instant.ofEpochSecond(time.getSeconds(), time.getNanos()).toString();
  }

  /** A label on one line (it is free text), or {@code -} when empty. */
  static String label(String label) {
    String line = label.replaceAll("\\p{Cntrl}", " ").strip();
    return line.isEmpty() ? "-" : line;
  }

  /** Reads {@code --scope} values; the valid names come from the API's scope enum. */
  static final class ScopeConverter implements ITypeConverter<ApiKeyScope> {
    @Override
    public ApiKeyScope convert(String value) {
      return assignable().filter(scope -> scopeName(scope).equalsIgnoreCase(value.strip()))
          .findFirst().orElseThrow(() -> new TypeConversionException("'" + value
              + "' is not a scope; use " + assignable().map(ApiKeysCommand::scopeName)
                  .collect(Collectors.joining(", "))));
    }

    private static Stream<ApiKeyScope> assignable() {
      return Stream.of(ApiKeyScope.values()).filter(scope -> scope.name().startsWith(SCOPE_PREFIX)
          && scope != ApiKeyScope.API_KEY_SCOPE_UNSPECIFIED);
    }
  }
}
