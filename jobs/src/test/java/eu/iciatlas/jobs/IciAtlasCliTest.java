package eu.iciatlas.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user meets it: help and version of every verb, and every kind of bad
 * input refused with exit 2 and a message naming the option or file, before a SparkSession is
 * made and before the output folder exists.
 */
class IciAtlasCliTest {
  private record Result(int code, String out, String err, int sessionsStarted) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger sessions = new AtomicInteger();
    int code = IciAtlasCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), name -> {
      sessions.incrementAndGet();
      return SparkTestSession.get();
    });
    return new Result(code, out.toString(), err.toString(), sessions.get());
  }

  /** Sample inputs and the repository's conf, with some options replaced. */
  private static String[] sampleRun(Path output, String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--output", output.toString(),
        "--keep", TestData.sample("keep").toString(), "--eurostat", TestData.sample("eurostat").toString(),
        "--nuts", TestData.sample("nuts").toString(), "--conf", TestData.repoRoot().resolve("conf").toString()));
    for (int i = 0; i < more.length; i += 2) {
      int at = args.indexOf(more[i]);
      if (at >= 0 && i + 1 < more.length) {
        args.set(at + 1, more[i + 1]);
      } else {
        args.add(more[i]);
        if (i + 1 < more.length) {
          args.add(more[i + 1]);
        }
      }
    }
    return args.toArray(new String[0]);
  }

  /** The refusal every bad input gets: exit 2, the named thing in the message, no trace, no Spark, no folder. */
  private static void refused(Result r, Path output, String... mentions) {
    assertEquals(2, r.code(), r.err());
    for (String m : mentions) {
      assertTrue(r.err().contains(m), "message should name '" + m + "': " + r.err());
    }
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    assertEquals(0, r.sessionsStarted(), "no SparkSession may be started for bad input");
    if (output != null) {
      assertFalse(Files.exists(output), "the output folder must not be created: " + output);
    }
  }

  @Test
  void everyVerbHasHelpAndExitsZero() {
    String[][] verbs = {{"run", "--keep", "--regions"}, {"ingest", "--keep", "--period"}, {"analyse", "--regions", "--no-report"},
        {"report", "--output", "--period"}, {"generate", "--scale", "--seed"}, {"submit", "spark-submit", "--master"},
        {"train-classifier", "--labels", "--folds", "--no-text-features", "--text-free"}, {"recover", "--output", "--force"}};
    for (String[] verb : verbs) {
      Result r = run(verb[0], "--help");
      assertEquals(0, r.code(), verb[0] + ": " + r.err());
      for (int i = 1; i < verb.length; i++) {
        assertTrue(r.out().contains(verb[i]), verb[0] + " --help should mention " + verb[i] + ": " + r.out());
      }
    }
    Result top = run("--help");
    assertEquals(0, top.code());
    for (String verb : List.of("run", "ingest", "analyse", "report", "recover", "generate", "submit", "train-classifier")) {
      assertTrue(top.out().contains("  " + verb + " "), "top-level help lists " + verb + ": " + top.out());
    }
  }

  @Test
  void aBroadcastThatDoesNotFitTheHeapIsExplainedWithTheSettingsOfThisTool() {
    // as the SF 30 run on a 2 GB heap failed (benchmarks/results/2026-12-08-vm.md): Spark's message, wrapped twice
    var spark = new RuntimeException("writing gold_correlations failed", new IllegalStateException("org.apache.spark."
        + "SparkException: Not enough memory to build and broadcast the table to all worker nodes. As a workaround, you "
        + "can either disable broadcast by setting spark.sql.autoBroadcastJoinThreshold to -1 or increase the spark "
        + "driver memory by setting spark.driver.memory to a higher value"));
    String said = IciAtlasCli.headline(spark);
    assertTrue(said.startsWith("a broadcast join did not fit the driver's heap") && said.contains("ICI_DRIVER_MEMORY=8g")
        && said.contains("JAVA_TOOL_OPTIONS=-Dspark.sql.autoBroadcastJoinThreshold=-1") && !said.contains("spark.driver.memory"),
        said);
    // as Spark 4.1 builds it: its SparkException above the out-of-memory error of the build, whose message is deeper
    var withCause = new RuntimeException("org.apache.spark.SparkException: Not enough memory to build and broadcast the "
        + "table to all worker nodes.", new OutOfMemoryError("Java heap space"));
    assertTrue(IciAtlasCli.headline(withCause).startsWith("a broadcast join did not fit the driver's heap"),
        IciAtlasCli.headline(withCause));
    assertEquals("IllegalStateException: other", IciAtlasCli.headline(new RuntimeException("x", new IllegalStateException("other"))));
  }

  @Test
  void helpListsTheRegionDefinitionsOfTheConfFolder() {
    for (String verb : List.of("run", "analyse", "report")) {
      Result r = run(verb, "--help");
      assertTrue(r.out().replaceAll("\\s+", " ").contains("found: default, baltic"), verb + ": " + r.out());
    }
  }

  @Test
  void aSummaryFileThatCannotBeWrittenIsRefusedBeforeSpark(@TempDir Path dir) {
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--summary-json", dir.toString())), out, "--summary-json", "is a folder");
    refused(run(sampleRun(out, "--summary-json", "hdfs://nn/summary.json")), out, "--summary-json", "local file");
    Path later = dir.resolve("reports/2026/summary.json");
    assertEquals(later, Preflight.summaryFile(later), "a folder the run will make is fine");
    assertFalse(Files.exists(later.getParent()), "checking makes nothing");
  }

  @Test
  void aFolderAnotherRunIsWritingIsRefusedAtOnceNamingThatRun(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    try (eu.iciatlas.common.output.OutputLock held = eu.iciatlas.common.output.OutputLock.acquire(out.toUri().toString(),
        "run-holding", "ici-atlas run --output out", new org.apache.hadoop.conf.Configuration())) {
      Result r = run(sampleRun(out));
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("is being written by run run-holding") && r.err().contains("pid " + ProcessHandle.current().pid())
          && r.err().contains("since "), r.err());
      assertFalse(r.err().contains("\tat "), r.err());
      assertEquals(0, r.sessionsStarted(), "refused before Spark starts");
      Result recover = run("recover", "--output", out.toString());
      assertEquals(2, recover.code(), "recover, too, leaves a live run alone: " + recover.err());
    }
    Result nothing = run("recover", "--output", out.toString());
    assertEquals(0, nothing.code(), nothing.err());
    assertTrue(nothing.out().contains("nothing to repair"), nothing.out());
    assertEquals(0, nothing.sessionsStarted());
    assertFalse(Files.exists(out.resolve(eu.iciatlas.common.output.OutputLock.FILE)), "recover releases the lock");
  }

  @Test
  void versionNamesTheCommit() {
    String before = System.getProperty("ici.git.commit");
    System.setProperty("ici.git.commit", "abc1234");
    try {
      Result r = run("--version");
      assertEquals(0, r.code());
      assertTrue(r.out().contains("ici-atlas ") && r.out().contains("+abc1234") && r.out().contains("Spark 4.1"), r.out());
    } finally {
      if (before == null) {
        System.clearProperty("ici.git.commit");
      } else {
        System.setProperty("ici.git.commit", before);
      }
    }
  }

  @Test
  void anUnknownOptionFailsAtOnceNamingIt(@TempDir Path dir) {
    Result r = run("ingest", "--output", dir.resolve("out").toString(), "--kep", "a.csv");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--kep") && r.err().contains("--keep"), r.err());
    assertEquals(0, r.sessionsStarted());
  }

  @Test
  void aMissingInputFileIsRefusedBeforeSpark(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-export.csv");
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--keep", missing.toString())), out, "--keep " + missing, "no such file");
  }

  @Test
  void aBadPeriodIsRefusedBeforeSpark(@TempDir Path dir) {
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--period", "2014")), out, "--period 2014", "2014-2020");
    refused(run("report", "--output", dir.toString(), "--period", "2014-2015"), null, "--period 2014-2015");
    refused(run("analyse", "--output", dir.toString(), "--period", "14-20"), null, "--period 14-20");
    refused(run(sampleRun(out, "--period", "2014-2021")), out, "--period 2014-2021", "not a programme period");
    assertEquals(List.of("2021-2027", "2028-2034"), Preflight.periods(List.of("2021-2027", "2028-2034")));
  }

  @Test
  void aMistypedSettingIsRefusedWithTheKeyItResembles(@TempDir Path dir) {
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--set", "ici.treshold=3")), out, "ici.treshold", "did you mean 'ici.threshold'");
    refused(run(sampleRun(out, "--set", "ici.threshold")), out, "--set ici.threshold", "KEY=VALUE");
    refused(run(sampleRun(out, "--set", "ici.threshold=high")), out, "ici.threshold", "not a number");
  }

  @Test
  void aNutsVersionWithoutMatricesIsRefusedBeforeSparkStarts(@TempDir Path dir) {
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--nuts-version", "2019")), out, "NUTS version 2019", "--nuts-version", "[2013, 2016, 2021, 2024]");
    refused(run(sampleRun(out, "--nuts-version", "21")), out, "NUTS version 21", "one of [2013, 2016, 2021, 2024]");
  }

  @Test
  void aSettingMissingFromTheConfigurationFileIsRefusedNotDefaulted(@TempDir Path dir) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("pipeline.properties"), Files.readString(TestData.repoRoot().resolve("conf/pipeline.properties"))
        .replaceAll("(?m)^ici\\.threshold=.*$", ""));
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--conf", conf.toString())), out, "pipeline.properties", "'ici.threshold' is missing");
  }

  @Test
  void anUnknownRegionDefinitionIsRefusedBeforeTheIngestion(@TempDir Path dir) {
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--regions", "nordic")), out, "--regions nordic", "regions/nordic.csv", "baltic");
  }

  @Test
  void anOutputThatIsAFileIsRefused(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("results.txt"), "not a folder");
    Result r = run(sampleRun(file));
    refused(r, null, "--output " + file, "is a file");
  }

  @Test
  void analyseAndReportOnAFolderWithoutTablesSayWhatToRunFirst(@TempDir Path dir) {
    refused(run("analyse", "--output", dir.toString()), null, "no Delta table silver_projects", "'ingest'");
    refused(run("report", "--output", dir.toString()), null, "no Delta table gold_ici_share", "'analyse'");
    Path missing = dir.resolve("never-written");
    refused(run("analyse", "--output", missing.toString()), missing, "--output " + missing, "no such folder");
  }

  @Test
  void inputFilesOfTheWrongKindAreRefusedFromTheirFirstBytes(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    Path notKeep = Files.writeString(dir.resolve("contacts.csv"), "name;email\nAnna;a@example.org\n");
    refused(run(sampleRun(out, "--keep", notKeep.toString())), out, "--keep " + notKeep, "no Keep.eu projects, partners or calls");
    Path emptyGz = Files.createFile(dir.resolve("partners.csv.gz"));
    refused(run(sampleRun(out, "--keep", emptyGz.toString())), out, "--keep " + emptyGz, "empty file");
    Path fakeXlsx = Files.writeString(dir.resolve("export.xlsx"), "Programme;Acronym\n");
    refused(run(sampleRun(out, "--keep", fakeXlsx.toString())), out, "--keep " + fakeXlsx, "not an XLSX workbook");
    Path notGzip = Files.writeString(dir.resolve("tgs00001.tsv.gz"), "unit,geo\\time\t2019\nNR,EE00\t1\n");
    refused(run(sampleRun(out, "--eurostat", notGzip.toString())), out, "--eurostat " + notGzip, "not a gzip file");
  }

  @Test
  void emptyAndHeaderOnlyEurostatFilesAreRefused(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    Path headerOnly = Files.writeString(dir.resolve("tgs00001.tsv"), "unit,geo\\time\t2019 \t2018 \n");
    refused(run(sampleRun(out, "--eurostat", headerOnly.toString())), out, "--eurostat " + headerOnly, "no data rows");
    Path noGeo = dir.resolve("nama.tsv.gz");
    try (var gz = new GZIPOutputStream(Files.newOutputStream(noGeo))) {
      gz.write("unit,na_item\\time\t2019\nEUR,B1G\t1\n".getBytes(StandardCharsets.UTF_8));
    }
    refused(run(sampleRun(out, "--eurostat", noGeo.toString())), out, "--eurostat " + noGeo, "geo");
    Path empty = Files.createFile(dir.resolve("tgs00002.tsv"));
    refused(run(sampleRun(out, "--eurostat", empty.toString())), out, "--eurostat " + empty, "empty file");
  }

  @Test
  void aNutsFolderWithoutMatricesIsRefused(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    Path nuts = Files.createDirectory(dir.resolve("nuts"));
    Files.copy(TestData.sample("nuts/nuts_codes_all_versions_gisco.csv"), nuts.resolve("nuts_codes_all_versions_gisco.csv"));
    refused(run(sampleRun(out, "--nuts", nuts.toString())), out, "--nuts " + nuts, "JRC conversion matrices");
  }

  @Test
  void aBrokenConfigurationIsRefusedNamingFileAndRow(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    refused(run(sampleRun(out, "--conf", dir.resolve("no-conf").toString())), out, "--conf", "no such folder");
    Path conf = copyConf(dir.resolve("conf"));
    String rules = Files.readString(conf.resolve("programme_strands.csv")).replace("ipa;\\bIPA\\b", "ipa;\\bIPA[");
    Files.writeString(conf.resolve("programme_strands.csv"), rules);
    int line = rules.lines().toList().indexOf(rules.lines().filter(l -> l.startsWith("ipa;")).findFirst().orElseThrow()) + 1;
    refused(run(sampleRun(out, "--conf", conf.toString())), out, "programme_strands.csv, line " + line + ": bad regex");
    Files.writeString(conf.resolve("programme_strands.csv"), rules.replace("ipa;\\bIPA[", "ipa;\\bIPA\\b"));
    String clusters = Files.readString(conf.resolve("clusters.csv"));
    Files.writeString(conf.resolve("clusters.csv"), clusters.replaceFirst("(?m)^cluster;", "name;"));
    refused(run(sampleRun(out, "--conf", conf.toString())), out, "clusters.csv", "its header has no column cluster");
  }

  @Test
  void theGenerateVerbFindsTheGeneratorOfTheToolsModule() {
    // the tools jar is on the test class path as bin/ici-atlas puts it on a run's; the services file names the generator
    assertTrue(eu.iciatlas.common.generate.ExportGenerator.onClassPath().orElseThrow()
        instanceof eu.iciatlas.tools.generate.KeepGenerator.Service);
  }

  @Test
  void badGenerateOptionsAreRefused(@TempDir Path dir) {
    Path out = dir.resolve("gen");
    refused(run("generate", "--output", out.toString()), out, "--scale");
    refused(run("generate", "--output", out.toString(), "--scale", "-1"), out, "--scale -1.0");
  }

  @Test
  void outputPathsAreQualifiedRelativeToTheCurrentFolder(@TempDir Path dir) {
    Configuration conf = new Configuration();
    String cwd = Path.of("").toAbsolutePath().toString();
    assertEquals("file:" + cwd + "/out/sample", Preflight.output("--output", "out/sample", conf, false));
    Path odd = dir.resolve("Ergebnisse ä ø/ici atlas");
    assertEquals("file:" + odd, Preflight.output("--output", odd.toString(), conf, false));
    assertEquals("file:" + odd, Preflight.output("--output", "file://" + odd, conf, false));
    assertFalse(Files.exists(odd), "qualifying a path creates nothing");
  }

  private static Path copyConf(Path target) throws IOException {
    Path source = TestData.repoRoot().resolve("conf");
    try (var files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return target;
  }
}
