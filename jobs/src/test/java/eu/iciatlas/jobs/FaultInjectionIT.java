package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.output.OutputLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults as an operator meets them, on bin/ici-atlas processes over one output folder that holds
 * a complete earlier run: kill -9 and SIGTERM at several moments, two runs at once, a full file
 * system. After each, the folder must be exactly the last published run (every table's content at
 * the version run_manifest published, the BI copies byte for byte, no lock, no staged copies) or
 * the new one. Tagged 'faults' (about 20 minutes); .ci/run runs it after the README's test command.
 * Each case's outcome and time to recover goes to target/fault-injection.md.
 */
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {
  private final Path repo = Path.of(System.getProperty("ici.repo.root", "..")).toAbsolutePath().normalize();
  private final Path work = repo.resolve("jobs/target/fault-injection");
  private final Path out = work.resolve("out");
  private final List<String> results = new ArrayList<>();
  private SparkSession spark;
  private Map<String, byte[]> publishedBi;
  private String publishedRun;

  /**
   * The smallest input that fills every table: the 2014-2020 export (with texts), the bundled
   * Eurostat series. Without the linkage networks: their three tables are written like every
   * other gold table (the cluster test and PipelineTest run them), and here they only cost time;
   * without the silver tables' BI copies for the same reason (the gold and star copies are checked).
   */
  private List<String> runArgs(Path output) {
    return List.of("run", "--output", output.toString(), "--keep", repo.resolve("data/sample/keep/keep_closed_1420.xlsx").toString(),
        "--period", "2014-2020", "--regions", "baltic", "--no-report", "--set", "network.enabled=false", "--set", "bi.silver=false");
  }

  @BeforeAll
  void publishedRun() throws Exception {
    eu.iciatlas.common.TestData.deleteRecursively(work);
    Files.createDirectories(work);
    spark = SparkTestSession.get();
    Finished base = runToEnd("baseline", runArgs(out));
    assertEquals(0, base.exit, base.tail());
    rememberPublished();
    results.add("| fault | moment | outcome | tables consistent | time to recover |");
    results.add("|---|---|---|---|---|");
  }

  @AfterAll
  void writeTable() throws IOException {
    Files.write(repo.resolve("jobs/target/fault-injection.md"), results, StandardCharsets.UTF_8);
    System.err.println(String.join("\n", results));
  }

  @Tag("faults-extended")
  @Test
  @Order(1)
  void kill9DuringIngestionThenRecover() throws Exception {
    killThenRecover("kill -9", "ingestion (bronze written, silver not)", "write bronze_keep_partners");
  }

  @Tag("faults-extended")
  @Test
  @Order(2)
  void kill9DuringClassificationThenRecover() throws Exception {
    killThenRecover("kill -9", "classification and region assignment", "write silver_project_regions");
  }

  @Test
  @Order(3)
  void kill9DuringAGoldWriteThenRecover() throws Exception {
    killThenRecover("kill -9", "gold writes (three at a time)", "write gold_region_profile");
  }

  @Tag("faults-extended")
  @Test
  @Order(4)
  void sigtermDuringIngestionRestoresBeforeExiting() throws Exception {
    sigterm("ingestion (silver writes)", "write silver_participations");
  }

  @Test
  @Order(5)
  void sigtermDuringAGoldWriteRestoresBeforeExiting() throws Exception {
    sigterm("gold writes", "write gold_country_specialization");
  }

  @Test
  @Order(6)
  void kill9DuringTheBiExportIsRepairedByTheNextRunWhileASecondRunIsRefused() throws Exception {
    Running killed = start("kill-bi", runArgs(out));
    killed.awaitLine("gold and star tables", Duration.ofMinutes(10));
    killed.process.destroyForcibly();
    killed.process.waitFor();
    assertTrue(Files.exists(out.resolve(OutputLock.FILE)), "a killed run leaves its journal");
    assertTrue(Files.exists(out.resolve("bi/_staging")), "killed while its BI copies were staged");
    assertBiIsPublished("right after the kill: DIR/bi still holds the published copies");

    Instant repairStart = Instant.now();
    Running next = start("repairing-run", runArgs(out));
    // the repair's closing line; the bound only keeps a hung run from stalling the suite (CI's slower
    // machines took over 3 minutes to restore some 40 tables), it is no speed measure
    next.awaitLine("interrupted while running", Duration.ofMinutes(10));
    Duration repaired = Duration.between(repairStart, Instant.now());
    Instant secondStart = Instant.now();
    Finished second = runToEnd("second-writer", runArgs(out));
    Duration refusedIn = Duration.between(secondStart, Instant.now());
    assertEquals(2, second.exit, second.tail());
    assertTrue(second.stderr.contains("is being written by run ") && second.stderr.contains("pid " + next.process.pid()),
        second.stderr);
    assertTrue(refusedIn.toSeconds() < 60, "refused at once, before Spark starts: " + refusedIn);
    Finished first = next.await(Duration.ofMinutes(15));
    assertEquals(0, first.exit, first.tail());
    assertTrue(first.stderr.contains("interrupted while running"), first.tail());
    String previous = publishedRun;
    rememberPublished();
    assertFalse(previous.equals(publishedRun), "the repairing run is the new published run");
    assertConsistent();
    results.add(String.format("| kill -9 | BI export of the gold tables (staged) | exit 137; the next run repaired at its start "
        + "(%d s) and succeeded | yes | %d s |", repaired.toSeconds(), repaired.toSeconds()));
    results.add(String.format("| second run on the same output | while the first runs | refused in %d s, exit 2, names run, host, "
        + "pid, since; the first succeeded | yes | - |", refusedIn.toSeconds()));
  }

  @Test
  @Order(7)
  void aFullFileSystemEndsInAMessageNamingTheFolderAndNoTables() throws Exception {
    Path mount = mountTmpfs("small-fs", "size=24m");
    try {
      Finished full = runToEnd("disk-full", runArgs(mount.resolve("out")));
      assertEquals(1, full.exit, full.tail());
      assertTrue(full.stderr.contains("ici-atlas: run failed: no space left under " + mount.resolve("out"))
          && full.stderr.contains("MiB free of"), full.tail());
      assertFalse(full.stderr.contains("\tat "), "no stack trace: " + full.tail());
      assertFalse(Files.exists(mount.resolve("out").resolve(OutputLock.FILE)), "tables restored, so no journal left");
      try (Stream<Path> tables = Files.list(mount.resolve("out/delta"))) {
        List<String> left = tables.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Tables.RUN_MANIFEST)).toList();
        assertEquals(List.of(), left, "the tables the failed run created are removed");
      }
      assertFalse(Files.exists(mount.resolve("out/bi/_staging")));
      results.add(String.format("| disk full (24 MiB tmpfs) | first write that does not fit | exit 1 after %d s: 'no space left under "
          + "DIR (N MiB free of 24.0 MiB)' | yes (no table left, manifest says failed) | - |", full.took.toSeconds()));
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(8)
  void aReadOnlyFolderIsRefusedBeforeSparkNamingIt() throws Exception {
    Path mount = mountTmpfs("read-only-fs", "ro,size=1m");
    try {
      Finished refused = runToEnd("read-only", runArgs(mount.resolve("out")));
      assertEquals(2, refused.exit, refused.tail());
      assertTrue(refused.stderr.contains("--output " + mount.resolve("out"))
          && (refused.stderr.contains("is not writable") || refused.stderr.contains("Read-only file system")), refused.tail());
      assertFalse(refused.stderr.contains("\tat "), "no stack trace: " + refused.tail());
      results.add(String.format("| read-only folder (ro tmpfs) | start | exit 2 in %d s: '--output DIR: ... is not writable' "
          + "before Spark starts | yes (nothing written) | - |", refused.took.toSeconds()));
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A tmpfs mounted under the work folder (skips the test where mounting is not allowed: it needs root). */
  private Path mountTmpfs(String name, String options) throws Exception {
    Path mount = Files.createDirectories(work.resolve(name));
    Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", mount.toString()).redirectErrorStream(true).start();
    boolean mounted = m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0;
    Assumptions.assumeTrue(mounted, "mounting a tmpfs (" + options + ") needs root; not run here");
    return mount;
  }

  private void killThenRecover(String fault, String moment, String line) throws Exception {
    Running run = start("kill-" + results.size(), runArgs(out));
    run.awaitLine(line, Duration.ofMinutes(10));
    run.process.destroyForcibly(); // SIGKILL
    int exit = run.process.waitFor();
    assertEquals(137, exit);
    assertTrue(Files.exists(out.resolve(OutputLock.FILE)), "the killed run's journal stays");
    assertBiIsPublished("right after the kill");
    Finished recovered = runToEnd("recover-" + results.size(), List.of("recover", "--output", out.toString()));
    assertEquals(0, recovered.exit, recovered.tail());
    assertTrue(recovered.stdout.contains("interrupted while running"), recovered.stdout);
    assertConsistent();
    assertLatestManifestRow("interrupted");
    results.add(String.format("| %s | %s | exit %d; 'recover' restored the tables | yes | %d s |", fault, moment, exit,
        recovered.took.toSeconds()));
  }

  private void sigterm(String moment, String line) throws Exception {
    Running run = start("term-" + results.size(), runArgs(out));
    run.awaitLine(line, Duration.ofMinutes(10));
    Instant sent = Instant.now();
    new ProcessBuilder("kill", "-TERM", String.valueOf(run.process.pid())).start().waitFor();
    Finished stopped = run.await(Duration.ofMinutes(5));
    Duration toExit = Duration.between(sent, Instant.now());
    assertEquals(143, stopped.exit, stopped.tail());
    assertTrue(stopped.stderr.contains("stopped by SIGTERM"), stopped.tail());
    assertFalse(stopped.stderr.contains("\tat "), "no stack trace: " + stopped.tail());
    assertConsistent();
    assertLatestManifestRow("stopped");
    results.add(String.format("| SIGTERM | %s | exit 143 after %d s, tables restored before exiting | yes | %d s (in the run) |",
        moment, toExit.toSeconds(), toExit.toSeconds()));
  }

  /** The latest succeeded run's table versions, and the BI copies as they are now (taken right after a success). */
  private void rememberPublished() throws IOException {
    Row last = manifest().filter(col("outcome").equalTo("succeeded")).orderBy(col("ended_at").desc()).first();
    publishedRun = last.getAs("run_id");
    publishedBi = biFiles();
  }

  /** Every table at the content of the version the last succeeded run published; DIR/bi as published; nothing left over. */
  private void assertConsistent() throws IOException {
    assertFalse(Files.exists(out.resolve(OutputLock.FILE)), "no lock left");
    assertFalse(Files.exists(out.resolve("bi/_staging")), "no staged BI copies left");
    Row last = manifest().filter(col("outcome").equalTo("succeeded")).orderBy(col("ended_at").desc()).first();
    assertEquals(publishedRun, last.getAs("run_id"), "the last succeeded run is still the published one");
    Map<String, Long> versions = new TreeMap<>(scala.jdk.javaapi.CollectionConverters.asJava(last.<scala.collection.Map<String, Long>>getAs("table_versions")));
    TreeSet<String> tables = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(out.resolve("delta"))) {
      dirs.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Tables.RUN_MANIFEST)).forEach(tables::add);
    }
    assertEquals(versions.keySet(), tables, "the same tables as the published run");
    for (Map.Entry<String, Long> e : versions.entrySet()) {
      String path = out.resolve("delta").resolve(e.getKey()).toString();
      // the same data files means the same rows (a RESTORE commits the published version's files again)
      List<String> now = Arrays.stream(spark.read().format("delta").load(path).inputFiles()).sorted().toList();
      List<String> published = Arrays.stream(spark.read().format("delta").option("versionAsOf", e.getValue()).load(path).inputFiles())
          .sorted().toList();
      assertEquals(published, now, e.getKey() + ": the content of version " + e.getValue());
    }
    assertBiIsPublished("after the repair");
  }

  private void assertBiIsPublished(String when) throws IOException {
    Map<String, byte[]> now = biFiles();
    assertEquals(publishedBi.keySet(), now.keySet(), when + ": the BI files");
    for (String f : now.keySet()) {
      assertTrue(Arrays.equals(publishedBi.get(f), now.get(f)), when + ": " + f + " is the published copy");
    }
  }

  /** DIR/bi/*.csv except run_manifest.csv (which records every run, failed ones too). */
  private Map<String, byte[]> biFiles() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(out.resolve("bi"))) {
      for (Path p : list.filter(p -> p.toString().endsWith(".csv") && !p.getFileName().toString().equals("run_manifest.csv")).toList()) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private void assertLatestManifestRow(String outcome) {
    Row latest = manifest().orderBy(col("started_at").desc()).first();
    assertEquals(outcome, latest.getAs("outcome"), "run_manifest's latest row: " + latest);
  }

  private org.apache.spark.sql.Dataset<Row> manifest() {
    return spark.read().format("delta").load(out.resolve("delta").resolve(Tables.RUN_MANIFEST).toString());
  }

  private record Finished(int exit, String stdout, String stderr, Duration took) {
    String tail() {
      List<String> lines = stderr.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }

  private final class Running {
    final Process process;
    final Path stdout;
    final Path stderr;
    final Instant started = Instant.now();

    Running(Process process, Path stdout, Path stderr) {
      this.process = process;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    void awaitLine(String text, Duration timeout) throws Exception {
      Instant end = Instant.now().plus(timeout);
      while (Instant.now().isBefore(end)) {
        if (Files.exists(stderr) && Files.readString(stderr).contains(text)) {
          return;
        }
        assertTrue(process.isAlive(), "ended before '" + text + "':\n" + Files.readString(stderr));
        Thread.sleep(100);
      }
      throw new AssertionError("'" + text + "' not seen within " + timeout);
    }

    Finished await(Duration timeout) throws Exception {
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("did not end within " + timeout + "; see " + stderr);
      }
      return new Finished(process.exitValue(), Files.readString(stdout), Files.readString(stderr),
          Duration.between(started, Instant.now()));
    }
  }

  private Running start(String name, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/ici-atlas").toString()));
    cmd.addAll(args);
    Path stdout = work.resolve(name + ".out");
    Path stderr = work.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    pb.environment().put("ICI_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("ICI_DRIVER_MEMORY", "2g");
    return new Running(pb.start(), stdout, stderr);
  }

  private Finished runToEnd(String name, List<String> args) throws Exception {
    return start(name, args).await(Duration.ofMinutes(15));
  }
}
