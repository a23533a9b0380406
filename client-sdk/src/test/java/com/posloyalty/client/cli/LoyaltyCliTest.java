package com.posloyalty.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.client.FakeCheckoutService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end over a loopback port, against a fake CheckoutService. */
class LoyaltyCliTest {
  @TempDir
  Path files;

  private final FakeCheckoutService service = new FakeCheckoutService();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Server server;
  private String target;

  @BeforeEach
  void startServer() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(service.intercepted()).build().start();
    target = "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void identifyPrintsTheMemberAndSendsTheApiKey() {
    int exit = cli("identify", "--target", target, "--api-key", "k-1", "--member-id", "mbr_42");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Member     mbr_42 (Alice), ACTIVE")
        .contains("Points     100 available");
    assertThat(service.authorizations).containsExactly("Bearer k-1");
  }

  @Test
  void theApiKeyCanBeTakenByNameFromAKeysFile() throws IOException {
    Path keys = Files.writeString(files.resolve("demo-keys.properties"),
        "#Demo API keys\nbackoffice=k-back\nadmin=k-admin\ncheckout=k-lane\n");

    int lane = cli("identify", "--target", target, "--api-key-file", keys.toString(),
        "--member-id", "mbr_42");
    int backOffice = cli("--api-key-file", keys.toString(), "--key-name", "backoffice",
        "identify", "--target", target, "--member-id", "mbr_42");

    assertThat(lane).isZero();
    assertThat(backOffice).isZero();
    assertThat(service.authorizations).containsExactly("Bearer k-lane", "Bearer k-back");
  }

  @Test
  void aKeyMissingFromTheKeysFileOrGivenTwiceIsABadCommandLine() throws IOException {
    Path keys = Files.writeString(files.resolve("demo-keys.properties"),
        "checkout=k-lane\nadmin=k-admin\n");

    int unknownName = cli("identify", "--target", target, "--api-key-file", keys.toString(),
        "--key-name", "lane", "--member-id", "mbr_42");
    int twoKeys = cli("identify", "--target", target, "--api-key-file", keys.toString(),
        "--api-key", "k-1", "--member-id", "mbr_42");

    assertThat(unknownName).isEqualTo(2);
    assertThat(twoKeys).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly(
        "error: the API key file " + keys + " has no key named 'lane' (it has: admin, checkout);"
            + " choose one with --key-name",
        "error: give the API key with --api-key or --api-key-file, not both");
    assertThat(service.authorizations).isEmpty();
  }

  @Test
  void commitReadsTheBasketFileAndPrintsTheReceipt() throws IOException {
    Path basket = basket("{\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"sku\":\"s\","
        + "\"category\":\"dairy\",\"quantity\":2,\"unitPriceMinor\":1250}]}");

    int exit = cli("--target", target, "commit", "--member-id", "mbr_1", "--basket",
        basket.toString(), "--transaction-id", "pos-1");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Sale       pos-1").contains("Points earned          25");
    assertThat(service.applied).containsExactly("pos-1");
  }

  @Test
  void aRefusalExitsNonZeroWithOneLineNamingStatusAndReason() throws IOException {
    service.blockedMembers.add("mbr_blocked");
    Path basket = basket("{\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"sku\":\"s\","
        + "\"quantity\":1,\"unitPriceMinor\":100}]}");

    int exit = cli("commit", "--target", target, "--member-id", "mbr_blocked", "--basket",
        basket.toString(), "--transaction-id", "pos-2");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).isEqualTo(
        "error: FAILED_PRECONDITION MEMBER_NOT_ACTIVE: member blocked" + System.lineSeparator());
  }

  @Test
  void demoRunsAWholeCheckoutAndPrintsTheReceipt() {
    int exit = cli("demo", "--target", target);

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("1. Enrolled mbr_1").contains("2. Identified")
        .contains("3. Quoted").contains("4. Committed sale demo-")
        .contains("---- LOYALTY RECEIPT ----").contains("Points earned          21");
    assertThat(service.applied).singleElement().asString().startsWith("demo-");
  }

  @Test
  void anUnreachableServiceExitsNonZeroWithOneLine() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    int exit = cli("identify", "--target", "127.0.0.1:" + closedPort, "--card", "4111111111111111");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: UNAVAILABLE: ").hasLineCount(1);
  }

  @Test
  void aMalformedBasketFileExitsNonZeroWithOneLine() throws IOException {
    Path basket = basket("{\"currency\":\"EUR\",\"lines\":[{\"lineId\":\"1\",\"qty\":1}]}");

    int exit = cli("quote", "--target", target, "--member-id", "m", "--basket", basket.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: basket file ").contains("\"qty\"")
        .hasLineCount(1);
  }

  @Test
  void aBadCommandLineExitsWithTwo() {
    assertThat(cli("identify", "--target", target)).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: ").hasLineCount(1);
  }

  @Test
  void noCommandExitsWithTwo() {
    assertThat(cli()).isEqualTo(2);
    assertThat(err.toString()).contains("a command is required");
  }

  /** Runs the CLI with a deadline generous enough for a loaded test machine. */
  private int cli(String... args) {
    String[] withDeadline = Arrays.copyOf(args, args.length + 1);
    withDeadline[args.length] = "--deadline-ms=30000";
    return LoyaltyCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
        args.length == 0 ? args : withDeadline);
  }

  private Path basket(String json) throws IOException {
    return Files.writeString(files.resolve("basket.json"), json);
  }
}
