package com.posloyalty.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code api-keys create}, {@code list} and {@code revoke} against the real server, run with
 * the harness's admin key the way an operator runs them.
 */
class ApiKeysCliEndToEndTest {
  private static final Pattern CREATED = Pattern.compile(
      "(?s)^Created API key (\\w+)\\R.*^Secret +(\\S+)$", Pattern.MULTILINE);
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

  private static TestServer server;
  private static String target;

  @BeforeAll
  static void start() {
    // A generous database timeout, as in LaneFixtures.SERVER_SETTINGS: a loaded test machine.
    server = TestServer.start("sdk_cli_keys", Clock.systemUTC(),
        Map.of("LOYALTY_DB_TIMEOUT_MS", "5000"));
    target = "127.0.0.1:" + server.app().grpcPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aCreatedKeyWorksForItsStoreIsListedWithoutItsSecretAndIsRefusedOnceRevoked()
      throws InterruptedException {
    Run created = admin("api-keys", "create", "--scope", "checkout", "--store", "store-1",
        "--label", "store-1 lane 9");

    assertThat(created.exit()).as(created.err()).isZero();
    Matcher printed = CREATED.matcher(created.out());
    assertThat(printed.find()).as(created.out()).isTrue();
    String keyId = printed.group(1);
    String secret = printed.group(2);
    assertThat(secret).startsWith("plk_" + keyId + "_");
    List<String> lines = created.out().lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines.subList(0, 4)).containsExactly("Created API key " + keyId,
        "  Scopes   checkout", "  Store    store-1", "  Label    store-1 lane 9");
    assertThat(lines.get(4)).matches("  Created  " + TIME);
    assertThat(lines.subList(5, 7)).containsExactly("Secret     " + secret,
        "The secret is shown once: store it now. The service keeps only a hash of it and"
            + " cannot show it again.");

    Run enrolled = cli("--api-key", secret, "enroll", "--given-name", "Ada", "--phone",
        "+4915100007001");
    assertThat(enrolled.exit()).as(enrolled.err()).isZero();
    Run otherStore = cli("--api-key", secret, "--store", "store-2", "identify", "--phone",
        "+4915100007001");
    assertThat(otherStore.err()).startsWith("error: PERMISSION_DENIED STORE_MISMATCH: ");

    Run listed = admin("api-keys", "list");
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).doesNotContain("plk_").doesNotContain(secret.substring(17));
    assertThat(row(listed, keyId)).containsExactly(keyId, "store-1 lane 9", "checkout",
        "store-1", lines.get(4).substring("  Created  ".length()), "-");

    Run revoked = admin("api-keys", "revoke", keyId);
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    assertThat(revoked.out()).matches(
        "API key " + keyId + " \\(store-1 lane 9\\) is revoked since " + TIME + "\\R");
    assertThat(refusedWithin(Duration.ofSeconds(10), secret).err())
        .startsWith("error: UNAUTHENTICATED API_KEY_INVALID: ").hasLineCount(1);

    Run revokedAgain = admin("api-keys", "revoke", keyId);
    assertThat(revokedAgain.exit()).as(revokedAgain.err()).isZero();
    assertThat(revokedAgain.out()).isEqualTo(revoked.out());
    assertThat(admin("api-keys", "list").out()).doesNotContain(keyId);
    assertThat(row(admin("keys", "list", "--include-revoked"), keyId).get(5))
        .isEqualTo(revoked.out().strip().substring(revoked.out().strip().lastIndexOf(' ') + 1));
  }

  @Test
  void listFollowsEveryPageToTheOldestKeyOfTheStore() {
    server.sql("INSERT INTO api_keys (key_id, secret_hash, scopes, store_id, label, created_at)"
        + " SELECT 'paged' || lpad(n::text, 7, '0'), '\\x00'::bytea, ARRAY['CHECKOUT'],"
        + " 'store-paged', 'lane ' || n, now() - n * interval '1 second'"
        + " FROM generate_series(1, 250) n");

    Run listed = admin("--store", "store-paged", "api-keys", "list");

    assertThat(listed.exit()).as(listed.err()).isZero();
    List<String> lines = listed.out().lines().toList();
    assertThat(lines.get(0).split(" {2,}"))
        .containsExactly("KEY ID", "LABEL", "SCOPES", "STORE", "CREATED", "REVOKED");
    assertThat(lines.subList(1, lines.size() - 1)).map(line -> line.substring(0, 12))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 250)
            .mapToObj(n -> String.format("paged%07d", n)).toList());
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("250 active API keys (add --include-revoked for revoked ones)");
  }

  @Test
  void aCheckoutKeyCannotManageKeys() {
    String lane = server.app().component().apiKeys().create(EnumSet.of(Scope.CHECKOUT),
        Optional.of("store-1"), "lane", "test").secret();

    Run listed = cli("--api-key", lane, "api-keys", "list");

    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.out()).isEmpty();
    assertThat(listed.err()).isEqualTo("error: PERMISSION_DENIED SCOPE_MISSING: this API key"
        + " lacks the scope [ADMIN] that posloyalty.v1.ProgramAdminService needs"
        + System.lineSeparator());
  }

  @Test
  void aMissingOrUnknownScopeIsABadCommandLineNamingTheOption() {
    Run noScope = admin("api-keys", "create", "--label", "lane 1");
    Run unknownScope = admin("api-keys", "create", "--scope", "checkout,root");
    Run noCommand = admin("api-keys");

    assertThat(Stream.of(noScope, unknownScope, noCommand).map(Run::exit)).containsOnly(2);
    assertThat(noScope.err()).isEqualTo(
        "error: Missing required option: '--scope=SCOPE'" + System.lineSeparator());
    assertThat(unknownScope.err()).isEqualTo("error: Invalid value for option '--scope'"
        + " (SCOPE): 'root' is not a scope; use checkout, backoffice, admin"
        + System.lineSeparator());
    assertThat(noCommand.err()).isEqualTo("error: api-keys needs a command: create, list or"
        + " revoke (see api-keys --help)" + System.lineSeparator());
  }

  @Test
  void aCheckoutKeyWithoutAStoreIsRefusedNamingTheStoreField() {
    Run created = admin("api-keys", "create", "--scope", "checkout");

    assertThat(created.exit()).isEqualTo(1);
    assertThat(created.err()).isEqualTo("error: INVALID_ARGUMENT STORE_REQUIRED: store_id:"
        + " a checkout key must name its store" + System.lineSeparator());
  }

  @Test
  void everyBadFieldOfARefusedKeyIsNamedOnTheErrorLine() {
    Run created = admin("api-keys", "create", "--scope", "admin", "--store", "store 1",
        "--label", "x".repeat(101));

    assertThat(created.exit()).isEqualTo(1);
    assertThat(created.err()).isEqualTo("error: INVALID_ARGUMENT FIELD_INVALID: 2 invalid"
        + " fields, first store_id: must be 1-64 letters, digits or _ . : -; label: must be at"
        + " most 100 characters" + System.lineSeparator());
  }

  @Test
  void revokingAnUnknownKeyIsNotFound() {
    Run revoked = admin("api-keys", "revoke", "nosuchkey123");

    assertThat(revoked.exit()).isEqualTo(1);
    assertThat(revoked.err()).isEqualTo(
        "error: NOT_FOUND API_KEY_NOT_FOUND: no API key nosuchkey123" + System.lineSeparator());
  }

  /** What one run of the CLI returned and printed. */
  private record Run(int exit, String out, String err) {}

  /** Runs the CLI with the harness's admin key. */
  private static Run admin(String... args) {
    return cli(Stream.concat(Stream.of("--api-key", server.apiKey()), Stream.of(args))
        .toArray(String[]::new));
  }

  /** Runs the CLI against the server, with a deadline generous enough for a loaded machine. */
  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = Stream.concat(Stream.of("--target", target, "--deadline-ms=30000"),
        Stream.of(args)).toArray(String[]::new);
    int exit = LoyaltyCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    return new Run(exit, out.toString(), err.toString());
  }

  /** The columns of the listed key's row. */
  private static List<String> row(Run listed, String keyId) {
    return listed.out().lines().filter(line -> line.startsWith(keyId + " ")).findFirst()
        .map(line -> List.of(line.split(" {2,}"))).orElseThrow(() -> new AssertionError(
            "no row for " + keyId + " in:\n" + listed.out() + listed.err()));
  }

  /**
   * Identifies with {@code key} until the service refuses it or {@code patience} passes: a
   * revocation reaches every server within its key cache time.
   */
  private static Run refusedWithin(Duration patience, String key) throws InterruptedException {
    Instant giveUp = Instant.now().plus(patience);
    Run identified = cli("--api-key", key, "identify", "--phone", "+4915100007001");
    while (identified.exit() == 0 && Instant.now().isBefore(giveUp)) {
      Thread.sleep(200);
      identified = cli("--api-key", key, "identify", "--phone", "+4915100007001");
    }
    assertThat(identified.exit()).as(identified.out()).isEqualTo(1);
    return identified;
  }
}
