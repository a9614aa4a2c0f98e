package eu.iciatlas.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IciAtlasCliTest {
  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = IciAtlasCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void everyVerbHasHelp() {
    for (String verb : new String[] {"run", "ingest"}) {
      Result r = run(verb, "--help");
      assertEquals(0, r.code());
      assertTrue(r.out().contains("--keep") && r.out().contains("--period") && r.out().contains("--output"), r.out());
    }
    Result analyse = run("analyse", "--help");
    assertEquals(0, analyse.code());
    assertTrue(analyse.out().contains("--regions") && analyse.out().contains("--output"), analyse.out());
  }

  @Test
  void analyseOnAFolderWithoutSilverTablesSaysWhatToRunFirst(@TempDir Path dir) {
    SparkTestSession.get();
    Result r = run("analyse", "--output", dir.toString(), "--conf",
        eu.iciatlas.common.TestData.repoRoot().resolve("conf").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no Delta table silver_projects") && r.err().contains("ingest"), r.err());
  }

  @Test
  void anUnknownRegionDefinitionFailsNamingTheFile(@TempDir Path dir) {
    SparkTestSession.get();
    Result r = run("analyse", "--output", dir.toString(), "--regions", "atlantis", "--conf",
        eu.iciatlas.common.TestData.repoRoot().resolve("conf").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("regions/atlantis.csv"), r.err());
  }

  @Test
  void anUnknownOptionFailsAtOnceNamingIt() {
    Result r = run("ingest", "--output", "/tmp/x", "--kep", "a.csv");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--kep"), r.err());
  }

  @Test
  void aMissingInputFileFailsNamingTheOptionAndTheFile(@TempDir Path dir) {
    SparkTestSession.get();
    Path missing = dir.resolve("no-such-export.csv");
    Result r = run("ingest", "--output", dir.resolve("out").toString(), "--keep", missing.toString(),
        "--eurostat", dir.toString(), "--nuts", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--keep " + missing) && r.err().contains("no such file"), r.err());
  }

  @Test
  void aBadPeriodFailsNamingTheOption(@TempDir Path dir) {
    SparkTestSession.get();
    Result r = run("ingest", "--output", dir.resolve("out").toString(), "--period", "2014",
        "--keep", eu.iciatlas.common.TestData.sample("keep").toString(),
        "--eurostat", eu.iciatlas.common.TestData.sample("eurostat").toString(),
        "--nuts", eu.iciatlas.common.TestData.sample("nuts").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--period 2014"), r.err());
  }
}
