package com.posloyalty.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.posloyalty.server.Application;
import com.posloyalty.server.config.ServerConfig;
import com.posloyalty.server.config.Settings;
import com.posloyalty.server.testing.TestServices;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS handshakes with certificates generated here; plaintext is refused. */
class TlsTest {

  static Application start(TestCertificates certs, boolean mutual) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("LOYALTY_DB_URL", TestServices.newDatabase("tls"));
    env.put("LOYALTY_REDIS_URL", TestServices.redisUrl());
    env.put("LOYALTY_REDIS_KEY_PREFIX", TestServices.newKeyPrefix("tls"));
    env.put("LOYALTY_GRPC_PORT", "0");
    env.put("LOYALTY_METRICS_PORT", "0");
    env.put("LOYALTY_BIND_ADDRESS", "127.0.0.1");
    env.put("LOYALTY_TLS_CERT_FILE", certs.serverCert.toString());
    env.put("LOYALTY_TLS_KEY_FILE", certs.serverKey.toString());
    if (mutual) {
      env.put("LOYALTY_TLS_CLIENT_CA_FILE", certs.caCert.toString());
    }
    return Application.start(ServerConfig.from(Settings.of(env)), Clock.systemUTC());
  }

  static ServingStatus check(int port, ChannelCredentials credentials) throws Exception {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(3, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void tlsServesTrustingClientsAndRefusesPlaintext(@TempDir Path dir) throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    try (Application app = start(certs, false)) {
      ChannelCredentials tls = TlsChannelCredentials.newBuilder()
          .trustManager(certs.caCert.toFile()).build();
      assertThat(check(app.grpcPort(), tls)).isEqualTo(ServingStatus.SERVING);
      assertThatThrownBy(() -> check(app.grpcPort(), InsecureChannelCredentials.create()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void mutualTlsNeedsAClientCertificateFromTheConfiguredCa(@TempDir Path dir,
      @TempDir Path otherDir) throws Exception {
    TestCertificates certs = new TestCertificates(dir);
    TestCertificates strangers = new TestCertificates(otherDir);
    try (Application app = start(certs, true)) {
      ChannelCredentials withCert = TlsChannelCredentials.newBuilder()
          .trustManager(certs.caCert.toFile())
          .keyManager(certs.clientCert.toFile(), certs.clientKey.toFile()).build();
      assertThat(check(app.grpcPort(), withCert)).isEqualTo(ServingStatus.SERVING);
      ChannelCredentials without = TlsChannelCredentials.newBuilder()
          .trustManager(certs.caCert.toFile()).build();
      assertThatThrownBy(() -> check(app.grpcPort(), without))
          .isInstanceOf(StatusRuntimeException.class);
      ChannelCredentials foreign = TlsChannelCredentials.newBuilder()
          .trustManager(certs.caCert.toFile())
          .keyManager(strangers.clientCert.toFile(), strangers.clientKey.toFile()).build();
      assertThatThrownBy(() -> check(app.grpcPort(), foreign))
          .isInstanceOf(StatusRuntimeException.class);
    }
  }
}
