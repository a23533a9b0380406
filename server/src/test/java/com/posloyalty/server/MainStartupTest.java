package com.posloyalty.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Start-up as an operator sees it: a bad setting stops the process with its name. */
class MainStartupTest {

  @Test
  void badSettingFailsStartupNamingTheSetting() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName());
    pb.environment().put("LOYALTY_GRPC_PORT", "not-a-port");
    pb.redirectErrorStream(true);
    Process process = pb.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains(
        "configuration error: LOYALTY_GRPC_PORT: must be a whole number, got 'not-a-port'");
  }
}
