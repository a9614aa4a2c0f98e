package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.StopRequest;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.output.OutputLock;
import eu.iciatlas.common.output.DataDictionary;
import eu.iciatlas.common.output.TableWriter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guarded run on two tiny tables: what it publishes when it succeeds, and what is left when a stop request ends it. */
class GuardedRunTest {
  /** The tables the runs below write, each with a CSV copy for BI. */
  private static final eu.iciatlas.common.output.DataDictionary TEST_TABLES = eu.iciatlas.common.TestData.dictionaryWithCsvTables("a", "b", "c");
  private final SparkSession spark = SparkTestSession.get();
  private final Progress progress = new Progress(new PrintStream(System.err, true));

  @AfterEach
  void noStopLeft() {
    StopRequest.reset();
  }

  private Dataset<Row> rows(int n) {
    StructType schema = new StructType().add("period", DataTypes.StringType).add("n", DataTypes.IntegerType);
    return spark.createDataFrame(List.of(RowFactory.create("2014-2020", n)), schema);
  }

  private Map<String, Long> run(String out, String runId, DataDictionary tables,
      GuardedRun.Body body) {
    return run(out, runId, List.of(), tables, body);
  }

  private Map<String, Long> run(String out, String runId, List<String> settings, DataDictionary tables,
      GuardedRun.Body body) {
    try (OutputLock lock = GuardedRun.lock(out, runId, "test " + runId)) {
      return GuardedRun.execute(spark, lock, GuardedRun.Request.analyse(out, runId, "test " + runId, null, settings, "default"),
          progress, tables, body);
    }
  }

  /** bi.silver=false: the silver copies an earlier run published leave bi/ and its data dictionary when the run succeeds. */
  @Test
  void aRunWithoutSilverCopiesRemovesThoseOfEarlierRuns(@TempDir Path dir) throws Exception {
    String out = dir.toUri().toString();
    DataDictionary tables = eu.iciatlas.common.TestData.dictionaryWithCsvTables("silver_t", "a");
    run(out, "run-1", List.of("bi.silver=true"), tables,
        (writer, settings) -> Map.of("silver_t", writer.write("silver_t", rows(1)), "a", writer.write("a", rows(1))));
    assertEquals(List.of("period,n", "2014-2020,1"), Files.readAllLines(dir.resolve("bi/silver_t.csv")));
    assertTrue(Files.readString(dir.resolve("bi/README.md")).contains("## silver_t"));

    // the run's writer makes no silver copies: the run's settings say so
    run(out, "run-2", List.of("bi.silver=false"), tables,
        (writer, settings) -> {
          assertFalse(settings.biSilverCopies(), "the body gets the run's settings, overrides applied");
          return Map.of("silver_t", writer.write("silver_t", rows(2)), "a", writer.write("a", rows(2)));
        });
    assertFalse(Files.exists(dir.resolve("bi/silver_t.csv")), "the copy of run-1 would disagree with the table");
    assertEquals(List.of("period,n", "2014-2020,2"), Files.readAllLines(dir.resolve("bi/a.csv")));
    String readme = Files.readString(dir.resolve("bi/README.md"));
    assertTrue(readme.contains("## a") && !readme.contains("silver_t"), readme);
    assertFalse(Files.exists(dir.resolve("bi/_staging")));
  }

  /**
   * The configuration digest in run_manifest compares runs across versions, so its recipe is pinned: the
   * expected values are SHA-256 of "a.csv\0x\0sub/b.csv\0y\0k=v\0regions=-\0" (and regions=baltic),
   * computed outside Java. 'ingest' has no region definition ("-"); 'run' and 'analyse' with the same
   * folder, overrides and regions have the same digest.
   */
  @Test
  void theConfigurationDigestKeepsItsRecipe(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("a.csv"), "x");
    Files.createDirectories(conf.resolve("sub"));
    Files.writeString(conf.resolve("sub/b.csv"), "y");
    IngestConfig config = new IngestConfig(List.of("k.csv"), List.of(), "nuts", List.of(), "out", conf, List.of("k=v"), "r1");
    assertEquals("a34871c6c1c31bb198577c7ba12aa037d8f2f5a025f4480b4208b21e2d474c9b",
        GuardedRun.Request.ingest(new IngestConfig.Resolved(config, List.of(), List.of(), List.of()), "ingest").configurationHash());
    String baltic = "ccea14e387ff0f6b1f77509387be67fb6dbe7818f4167b9b86585a1f49cd93c8";
    assertEquals(baltic, GuardedRun.Request.run(new IngestConfig.Resolved(config, List.of(), List.of(), List.of()), "run", "baltic").configurationHash());
    assertEquals(baltic, GuardedRun.Request.analyse("out", "r2", "analyse", conf, List.of("k=v"), "baltic").configurationHash());
    Files.writeString(conf.resolve("sub/b.csv"), "z");
    assertFalse(baltic.equals(GuardedRun.Request.run(new IngestConfig.Resolved(config, List.of(), List.of(), List.of()), "run", "baltic").configurationHash()), "a changed file changes it");
  }

  /** An input that is gone by the time the run starts (it passed the checks before) ends the run before the output is touched. */
  @Test
  void anInputGoneSinceTheChecksEndsTheRunBeforeTheOutputIsTouched(@TempDir Path dir) throws Exception {
    String out = dir.resolve("out").toUri().toString();
    // what a run discards first: BI copies staged by an earlier run
    Path staged = Files.writeString(Files.createDirectories(dir.resolve("out/bi/_staging")).resolve("a.csv"), "period,n\n");
    // as the checks before the run found it
    IngestConfig.Resolved gone = new IngestConfig.Resolved(new IngestConfig(List.of(dir.resolve("keep_gone.csv").toString()),
        List.of(), dir.toString(), List.of(), out, null, List.of(), "run-gone"), List.of(dir.resolve("keep_gone.csv").toString()),
        List.of(), List.of());
    boolean[] bodyRan = {false};
    eu.iciatlas.common.io.InputException e = assertThrows(eu.iciatlas.common.io.InputException.class, () -> {
      try (OutputLock lock = GuardedRun.lock(out, "run-gone", "test run-gone")) {
        GuardedRun.execute(spark, lock, GuardedRun.Request.run(gone, "test run-gone", "default"), progress, (writer, settings) -> {
          bodyRan[0] = true;
          return Map.of();
        });
      }
    });
    assertTrue(e.getMessage().startsWith("--keep " + dir.resolve("keep_gone.csv") + ": no longer there"), e.getMessage());
    assertFalse(bodyRan[0]);
    assertTrue(Files.exists(staged), "nothing in the output is touched");
    assertFalse(new TableWriter(spark, out, progress).exists(Tables.RUN_MANIFEST), "no manifest row for a run that never started");
    assertFalse(Files.exists(dir.resolve("out").resolve(OutputLock.FILE)), "the lock is released");
  }

  @Test
  void aSucceededRunPublishesItsBiCopiesAndTableVersionsAndAStoppedOneLeavesThemAsTheyWere(@TempDir Path dir) throws Exception {
    String out = dir.toUri().toString();
    // a failed run first: its restore must not let a later stop request through (one JVM, several runs)
    IllegalStateException failed = assertThrows(IllegalStateException.class, () -> run(out, "run-0", TEST_TABLES, (writer, settings) -> {
      writer.write("a", rows(0));
      throw new IllegalStateException("a bad input found late");
    }));
    assertEquals("a bad input found late", failed.getMessage());
    assertFalse(new TableWriter(spark, out, progress).exists("a"), "the failed run's table is removed");
    assertFalse(Files.exists(dir.resolve("bi/a.csv")) || Files.exists(dir.resolve("bi/_staging")));

    run(out, "run-1", TEST_TABLES, (writer, settings) -> Map.of("a", writer.write("a", rows(1))));
    assertEquals(List.of("period,n", "2014-2020,1"), Files.readAllLines(dir.resolve("bi/a.csv")));
    assertFalse(Files.exists(dir.resolve("bi/_staging")));
    assertFalse(Files.exists(dir.resolve(OutputLock.FILE)));
    TableWriter reader = new TableWriter(spark, out, progress);
    Row first = reader.read(Tables.RUN_MANIFEST).filter(col("run_id").equalTo("run-1")).first();
    assertEquals("succeeded", first.getAs("outcome"));
    assertEquals(Map.of("a", 0L), scala.jdk.javaapi.CollectionConverters.asJava(first.<scala.collection.Map<String, Long>>getAs("table_versions")));

    StopRequest.Stopped stopped = assertThrows(StopRequest.Stopped.class, () -> run(out, "run-2", TEST_TABLES, (writer, settings) -> {
      writer.write("a", rows(2));
      writer.write("b", rows(3));
      StopRequest.request("TERM", 15); // what the SIGTERM handler does
      writer.write("c", rows(4));
      return Map.of();
    }));
    assertTrue(stopped.getMessage().contains("SIGTERM before writing c"), stopped.getMessage());
    assertEquals(List.of("period,n", "2014-2020,1"), Files.readAllLines(dir.resolve("bi/a.csv")), "the published copy stays");
    assertFalse(Files.exists(dir.resolve("bi/b.csv")) || Files.exists(dir.resolve("bi/_staging")), "the stopped run's copies are discarded");
    assertEquals(1, reader.read("a").first().<Integer>getAs("n"), "a is back at run-1's version");
    assertFalse(reader.exists("b") || reader.exists("c"), "tables the stopped run created are removed");
    assertFalse(Files.exists(dir.resolve(OutputLock.FILE)), "restored completely: the lock is released");
    Row second = reader.read(Tables.RUN_MANIFEST).filter(col("run_id").equalTo("run-2")).first();
    assertEquals("stopped", second.getAs("outcome"));
    assertEquals("stopped by SIGTERM", second.getAs("error"));
    assertEquals(List.of("failed", "stopped", "succeeded"), reader.read(Tables.RUN_MANIFEST).orderBy("outcome").select("outcome")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList(), "the 'running' row of each run is replaced by its outcome");
  }
}
