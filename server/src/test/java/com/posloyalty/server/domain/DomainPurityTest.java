package com.posloyalty.server.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The domain decides without I/O: nothing in it imports gRPC, JDBC, Lettuce or other layers. */
class DomainPurityTest {

  static final List<String> FORBIDDEN = List.of("import io.grpc", "import java.sql",
      "import javax.sql", "import io.lettuce", "import com.posloyalty.v1",
      "import com.posloyalty.server.api", "import com.posloyalty.server.store",
      "import com.posloyalty.server.cache", "import com.posloyalty.server.flow",
      "import com.posloyalty.server.wiring");

  @Test
  void domainImportsNoInfrastructure() throws IOException {
    Path domain = Path.of("src/main/java/com/posloyalty/server/domain");
    assertThat(domain).isDirectory();
    try (Stream<Path> files = Files.list(domain)) {
      for (Path file : files.toList()) {
        String source = Files.readString(file);
        for (String forbidden : FORBIDDEN) {
          assertThat(source).as("%s must not %s", file.getFileName(), forbidden)
              .doesNotContain(forbidden);
        }
      }
    }
  }
}
