package com.posloyalty.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

  @Test
  void defaultsFollowTheDesignConventions() {
    ServerConfig config = ServerConfig.from(Settings.of(Map.of()));
    assertThat(config.grpcPort()).isEqualTo(50051);
    assertThat(config.metricsPort()).isEqualTo(9464);
    assertThat(config.embeddedDatabase()).isTrue();
    assertThat(config.embeddedRedis()).isTrue();
    assertThat(config.demoData()).isTrue();
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
  }

  @Test
  void badValuesFailNamingTheSetting() {
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of("LOYALTY_GRPC_PORT", "fifty"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("LOYALTY_GRPC_PORT: must be a whole number");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of("LOYALTY_METRICS_PORT", "70000"))))
        .hasMessageStartingWith("LOYALTY_METRICS_PORT: must be between 0 and 65535");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of("LOYALTY_DB_URL", "mysql://x"))))
        .hasMessageStartingWith("LOYALTY_DB_URL:");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of("LOYALTY_REDIS_URL", "http://x"))))
        .hasMessageStartingWith("LOYALTY_REDIS_URL:");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of("LOYALTY_DEMO_DATA", "maybe"))))
        .hasMessageStartingWith("LOYALTY_DEMO_DATA: must be true or false");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(Map.of("LOYALTY_TIME_ZONE", "Mars/Base"))))
        .hasMessageStartingWith("LOYALTY_TIME_ZONE:");
  }

  @Test
  void environmentOverridesTheConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("loyalty.properties");
    Files.writeString(file, "LOYALTY_GRPC_PORT=6000\nLOYALTY_METRICS_PORT=6001\n");
    ServerConfig config = ServerConfig.from(Settings.load(Map.of(
        "LOYALTY_CONFIG_FILE", file.toString(), "LOYALTY_GRPC_PORT", "7000", "PATH", "/bin")));
    assertThat(config.grpcPort()).isEqualTo(7000);
    assertThat(config.metricsPort()).isEqualTo(6001);
  }

  @Test
  void anUnreadableConfigFileIsNamed() {
    assertThatThrownBy(() -> Settings.load(Map.of("LOYALTY_CONFIG_FILE", "/nonexistent/x.properties")))
        .hasMessageStartingWith("LOYALTY_CONFIG_FILE: cannot read /nonexistent/x.properties");
  }
}
