package eu.iciatlas.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the shaded application jar (the one a cluster gets) holds of the generator: the options and
 * the interface the 'generate' verb looks it up by, not the generator itself, which is a tool in its
 * own module (tools/) with its own jar.
 */
class ApplicationJarIT {
  @Test
  void theGeneratorIsNotInTheApplicationJar() throws Exception {
    Path jar = Path.of(System.getProperty("ici.app.jar", "target/none"));
    assertTrue(Files.isRegularFile(jar), "no " + jar + ": run through mvn verify");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> tools = zip.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("eu/iciatlas/tools/") || n.startsWith("eu/iciatlas/jobs/generate/")
              || n.equals("META-INF/services/eu.iciatlas.common.generate.ExportGenerator"))
          .toList();
      assertEquals(List.of(), tools, "the generator belongs to the tools jar");
      assertNotNull(zip.getEntry("eu/iciatlas/common/generate/ExportGenerator.class"));
      assertNotNull(zip.getEntry("eu/iciatlas/jobs/IciAtlasCli.class"));
    }
  }
}
