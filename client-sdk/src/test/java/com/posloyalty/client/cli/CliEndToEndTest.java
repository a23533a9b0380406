package com.posloyalty.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.testing.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against the real server, with its keys in a file shaped like the embedded default's
 * {@code demo-keys.properties}: what the README's first call does.
 */
class CliEndToEndTest {
  private static TestServer server;
  private static String target;

  @TempDir
  static Path files;
  private static Path keys;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws IOException {
    // A generous database timeout, as in LaneFixtures.SERVER_SETTINGS: a loaded test machine.
    server = TestServer.start("sdk_cli", Clock.systemUTC(),
        Map.of("LOYALTY_DB_TIMEOUT_MS", "5000"));
    target = "127.0.0.1:" + server.app().grpcPort();
    String checkout = server.app().component().apiKeys().create(EnumSet.of(Scope.CHECKOUT),
        Optional.of("store-1"), "demo checkout", "test").secret();
    keys = Files.writeString(files.resolve("demo-keys.properties"), "checkout=" + checkout
        + "\nbackoffice=" + server.apiKey() + "\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void demoRunsAWholeCheckoutWithTheCheckoutKeyOfTheKeysFile() {
    int exit = cli("--target", target, "--api-key-file", keys.toString(), "demo");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("welcome bonus 0 points")
        .contains("Quote: 19 points on 21.04 EUR eligible spend")
        .contains("  line 3          14 pts  1 pt per 1.00 on 14.97")
        .contains("4. Committed sale demo-").contains("Points earned          19")
        .contains("Balance                19 available, 0 held");
  }

  @Test
  void identifyFindsAMemberTheLaneEnrolled() {
    assertThat(cli("--target", target, "--api-key-file", keys.toString(), "enroll",
        "--given-name", "Ada", "--phone", "+4915100006001")).as(err.toString()).isZero();

    int exit = cli("--target", target, "--api-key-file", keys.toString(), "identify",
        "--phone", "+4915100006001");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("(Ada), ACTIVE").contains("Points     0 available");
  }

  @Test
  void withoutAKeyTheServiceRefusesInOneLine() {
    int exit = cli("--target", target, "identify", "--phone", "+4915100006002");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: UNAUTHENTICATED API_KEY_INVALID: ")
        .hasLineCount(1);
  }

  private int cli(String... args) {
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--deadline-ms=30000";
    return LoyaltyCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
  }
}
