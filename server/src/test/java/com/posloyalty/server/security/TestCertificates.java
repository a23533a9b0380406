package com.posloyalty.server.security;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA with a server and a client certificate, made in the test, written as PEM. */
final class TestCertificates {

  final Path caCert;
  final Path serverCert;
  final Path serverKey;
  final Path clientCert;
  final Path clientKey;

  TestCertificates(Path dir) throws Exception {
    KeyPair ca = keyPair();
    X509Certificate caCertificate = sign("CN=Test Loyalty CA", ca, "CN=Test Loyalty CA", ca, true, null);
    KeyPair server = keyPair();
    X509Certificate serverCertificate = sign("CN=localhost", server, "CN=Test Loyalty CA", ca,
        false, "localhost");
    KeyPair client = keyPair();
    X509Certificate clientCertificate = sign("CN=lane-1", client, "CN=Test Loyalty CA", ca, false, null);
    caCert = pem(dir.resolve("ca.pem"), caCertificate);
    serverCert = pem(dir.resolve("server.pem"), serverCertificate);
    serverKey = pem(dir.resolve("server-key.pem"), server.getPrivate());
    clientCert = pem(dir.resolve("client.pem"), clientCertificate);
    clientKey = pem(dir.resolve("client-key.pem"), client.getPrivate());
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer,
      KeyPair issuerKeys, boolean isCa, String dnsName) throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (dnsName != null) {
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
    }
    return new JcaX509CertificateConverter().getCertificate(builder.build(
        new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static Path pem(Path file, Object object) throws IOException {
    try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      if (object instanceof PrivateKey key) {
        pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
      } else {
        pem.writeObject(object);
      }
    }
    return file;
  }
}
