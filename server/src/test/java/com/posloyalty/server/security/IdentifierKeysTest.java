package com.posloyalty.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.posloyalty.server.store.ServerSecrets;
import com.posloyalty.server.testing.TestServer;
import com.posloyalty.v1.EnrollMemberRequest;
import com.posloyalty.v1.IdentifyMemberRequest;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identifiers reach Redis only under a keyed hash with the installation's secret, which
 * PostgreSQL keeps for every instance: not under a plain hash anyone could recompute for
 * every phone number.
 */
class IdentifierKeysTest {

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.startWithProgram("identifier_keys", Clock.systemUTC(), Map.of());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String key(byte[] digest) {
    return server.keyPrefix() + ":i:" + HexFormat.of().formatHex(digest, 0, 16);
  }

  @Test
  void aPhoneIsKeptUnderTheInstallationsKeyedHashOnly() throws Exception {
    String phone = "+4915100000777";
    var lane = TestServer.lane("s1", "l1");
    server.checkout().enrollMember(EnrollMemberRequest.newBuilder().setRequestId("ik")
        .setPointOfSale(lane).setGivenName("K").setPhone(phone).build());
    server.flushCache();
    server.checkout().identifyMember(IdentifyMemberRequest.newBuilder().setPointOfSale(lane)
        .setPhone(phone).build());

    byte[] secret;
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "")) {
      secret = new ServerSecrets().ensure(c, ServerSecrets.CACHE_IDENTIFIERS, Instant.now());
      // Asked again, any instance gets the same secret.
      assertThat(new ServerSecrets().ensure(c, ServerSecrets.CACHE_IDENTIFIERS, Instant.now()))
          .isEqualTo(secret).hasSize(32);
    }
    byte[] identifier = ("phone:" + phone).getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    String keyed = key(mac.doFinal(identifier));
    String plain = key(MessageDigest.getInstance("SHA-256").digest(identifier));

    RedisClient client = RedisClient.create(server.redisUrl());
    try (var redis = client.connect()) {
      assertThat(redis.sync().exists(keyed)).isEqualTo(1);
      assertThat(redis.sync().exists(plain)).isZero();
      assertThat(redis.sync().keys(server.keyPrefix() + ":*"))
          .noneMatch(k -> k.contains(phone) || k.contains(phone.substring(1)));
    } finally {
      client.shutdown();
    }
  }
}
