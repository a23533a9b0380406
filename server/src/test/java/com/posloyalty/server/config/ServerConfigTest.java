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
    assertThat(config.security().plaintext()).isTrue();
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void realServicesNeedTlsUnlessPlaintextIsExplicit() {
    Map<String, String> real = Map.of("LOYALTY_DB_URL", "jdbc:postgresql://db/x",
        "LOYALTY_REDIS_URL", "redis://cache:6379");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(real)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("LOYALTY_TLS_CERT_FILE: required");
    var plaintext = new java.util.HashMap<>(real);
    plaintext.put("LOYALTY_PLAINTEXT", "true");
    ServerConfig config = ServerConfig.from(Settings.of(plaintext));
    assertThat(config.security().plaintext()).isTrue();
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    var halfTls = new java.util.HashMap<>(real);
    halfTls.put("LOYALTY_TLS_CERT_FILE", "/etc/hostname");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(halfTls)))
        .hasMessageStartingWith("LOYALTY_TLS_KEY_FILE: TLS needs both");
    var badKeys = new java.util.HashMap<>(plaintext);
    badKeys.put("LOYALTY_APP_TOKEN_KEYS", "k1=short");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(badKeys)))
        .hasMessageStartingWith("LOYALTY_APP_TOKEN_KEYS:");
  }

  @Test
  void plaintextWithTlsFilesIsRefusedNamingBothSettings() {
    Map<String, String> both = Map.of("LOYALTY_DB_URL", "jdbc:postgresql://db/x",
        "LOYALTY_REDIS_URL", "redis://cache:6379", "LOYALTY_PLAINTEXT", "true",
        "LOYALTY_TLS_CERT_FILE", "/etc/hostname", "LOYALTY_TLS_KEY_FILE", "/etc/hostname");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(both)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("LOYALTY_PLAINTEXT: set together with LOYALTY_TLS_CERT_FILE");
    var embedded = new java.util.HashMap<>(both);
    embedded.remove("LOYALTY_DB_URL");
    embedded.remove("LOYALTY_REDIS_URL");
    assertThatThrownBy(() -> ServerConfig.from(Settings.of(embedded)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("LOYALTY_PLAINTEXT: set together with LOYALTY_TLS_CERT_FILE");
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
