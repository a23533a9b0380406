package com.posloyalty.server;

import com.posloyalty.server.domain.Scope;
import com.posloyalty.server.flow.ApiKeys;
import com.posloyalty.server.wiring.ServerComponent;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets the embedded default needs and keeps under {@code LOYALTY_DATA_DIR}: one demo
 * API key per scope in {@code demo-keys.properties} (checkout=…, backoffice=…, admin=…)
 * and an app-token signing key. Created once, reused on restart.
 */
final class DemoKeys {

  private static final Logger log = LoggerFactory.getLogger(DemoKeys.class);
  static final String FILE = "demo-keys.properties";

  private DemoKeys() {}

  /** The app token key spec ("kid=base64") kept in the data folder, created if missing. */
  static String appTokenKeys(Path dataDir) throws IOException {
    Path file = dataDir.resolve("app-token-keys.properties");
    Properties p = load(file);
    if (p.getProperty("LOYALTY_APP_TOKEN_KEYS") == null) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      p.setProperty("LOYALTY_APP_TOKEN_KEYS", "demo1=" + Base64.getEncoder().encodeToString(secret));
      store(file, p, "App QR token signing key of the embedded default");
    }
    return p.getProperty("LOYALTY_APP_TOKEN_KEYS");
  }

  /** Makes sure the demo keys exist and work; writes them to the data folder. */
  static void ensure(ServerComponent component, Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    Properties p = load(file);
    ApiKeys keys = component.apiKeys();
    Map<String, Set<Scope>> wanted = Map.of("checkout", EnumSet.of(Scope.CHECKOUT),
        "backoffice", EnumSet.of(Scope.BACKOFFICE), "admin", EnumSet.of(Scope.ADMIN));
    boolean changed = false;
    for (Map.Entry<String, Set<Scope>> e : wanted.entrySet()) {
      String secret = p.getProperty(e.getKey());
      if (secret == null || !works(keys, secret)) {
        Optional<String> store = e.getKey().equals("checkout") ? Optional.of(DemoData.ORIGIN.storeId())
            : Optional.empty();
        p.setProperty(e.getKey(), keys.create(e.getValue(), store, "demo " + e.getKey(), "system")
            .secret());
        changed = true;
      }
    }
    if (changed) {
      store(file, p, "Demo API keys of the embedded default (checkout key: store "
          + DemoData.ORIGIN.storeId() + ")");
    }
    log.warn("Demo API keys (embedded default only) are in {}", file.toAbsolutePath());
  }

  private static boolean works(ApiKeys keys, String secret) {
    try {
      keys.authenticate(secret);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
    }
    return p;
  }

  private static void store(Path file, Properties p, String comment) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(file)) {
      p.store(w, comment);
    }
  }
}
