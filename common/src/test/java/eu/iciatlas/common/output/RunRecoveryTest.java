package eu.iciatlas.common.output;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the next start does with the journal of a run that was killed halfway (the JVM-level fault tests drive the real thing). */
class RunRecoveryTest {
  private final SparkSession spark = SparkTestSession.get();
  private final StructType schema = new StructType().add("period", DataTypes.StringType).add("n", DataTypes.LongType);

  private Dataset<Row> rows(long... values) {
    return spark.createDataFrame(java.util.Arrays.stream(values).mapToObj(v -> RowFactory.create("2014-2020", v)).toList(), schema);
  }

  @Test
  void anErrorNamingAnOptionFirstIsStoredAsTheConsoleShowedItSoNoSpreadsheetGuardChangesIt() {
    assertEquals("ici-atlas: --keep x.csv: no such file", RunGuard.storedError("--keep x.csv: no such file"));
    assertEquals("no space left under /out", RunGuard.storedError("no space left under /out"));
    assertEquals(null, RunGuard.storedError(null));
  }

  @Test
  void aKilledRunsTablesGoBackItsNewTablesAndLeftoversGoAndTheManifestSaysSo(@TempDir Path dir) throws Exception {
    String out = dir.toUri().toString();
    Progress progress = new Progress(new PrintStream(System.err, true));
    TableWriter writer = new TableWriter(spark, out, progress);
    writer.write("kept", rows(1, 2));
    writer.write("changed", rows(10));
    long changedBefore = writer.latestVersion("changed");

    // the killed run: journal, then a commit, a new table, an unfinished write's file and staged BI copies
    Thread.sleep(20);
    Instant since = Instant.now();
    OutputLock.Holder dead = new OutputLock.Holder("run-killed", OutputLock.hostName(), 1, null, since.toString(),
        "ici-atlas run --output x", OutputLock.RUNNING, Map.of("kept", writer.latestVersion("kept"), "changed", changedBefore));
    Thread.sleep(20);
    writer.write("changed", rows(99, 98, 97));
    writer.write("created", rows(5));
    Path orphan = Files.writeString(dir.resolve("delta/kept/part-99999-unfinished.snappy.parquet"), "half a file");
    Files.createDirectories(dir.resolve("delta/never_committed"));
    Files.writeString(dir.resolve("delta/never_committed/part-00000-x.snappy.parquet"), "a first write that failed");
    Files.createDirectories(dir.resolve("bi/_staging"));
    Files.writeString(dir.resolve("bi/_staging/changed.csv"), "period,n\n2014-2020,99\n");
    Files.createDirectories(dir.resolve("bi/_tmp_changed"));

    String done = RunRecovery.recover(spark, out, dead, "test", "run-next", progress);

    assertEquals(List.of(10L), writer.read("changed").select("n").as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
    assertEquals(2, writer.read("kept").count());
    assertFalse(writer.exists("created"), "a table the killed run created is removed");
    assertFalse(Files.exists(orphan), "an uncommitted file of an unfinished write is removed");
    assertFalse(Files.exists(dir.resolve("delta/never_committed")), "a table folder whose first write never committed is removed");
    assertTrue(done.contains("never_committed (first write of the failed run, never committed: removed)"), done);
    assertTrue(Files.exists(dir.resolve("delta/changed/_delta_log")));
    assertFalse(Files.exists(dir.resolve("bi/_staging")) || Files.exists(dir.resolve("bi/_tmp_changed")));
    Row manifest = writer.read(Tables.RUN_MANIFEST).filter(col("run_id").equalTo("run-killed")).first();
    assertEquals("interrupted", manifest.getAs("outcome"));
    assertTrue(manifest.<String>getAs("error").contains("repaired by run-next"), manifest.<String>getAs("error"));
    assertTrue(done.contains("changed (restored to version " + changedBefore + ")"), done);
    assertTrue(done.contains("created (created by the failed run: removed)"), done);
    assertTrue(done.contains("kept (1 data file(s) of the run that no commit refers to removed)"), done);
    assertFalse(done.contains("changed (1 data file"), "the killed run's committed files are not orphans: " + done);
    // the committed files of the killed run stay (time travel to its versions still works)
    assertEquals(3, spark.read().format("delta").option("versionAsOf", changedBefore + 1).load(writer.deltaPath("changed")).count());
  }

  @Test
  void aRunKilledWhileMovingItsBiCopiesIsFinishedNotUndone(@TempDir Path dir) throws Exception {
    String out = dir.toUri().toString();
    Files.createDirectories(dir.resolve("bi/_staging/parquet/gold_t"));
    Files.writeString(dir.resolve("bi/_staging/gold_t.csv"), "a\n1\n");
    Files.writeString(dir.resolve("bi/_staging/parquet/gold_t/part-0.parquet"), "p");
    // the run had bi.silver=false: the silver copies of an earlier run go too
    BiCopies.stageWithdrawal(out, spark.sparkContext().hadoopConfiguration(), DataDictionary.SILVER_PREFIX);
    Files.writeString(dir.resolve("bi/silver_old.csv"), "b\n2\n");
    Files.writeString(Files.createDirectories(dir.resolve("bi/parquet/silver_old")).resolve("part-0.parquet"), "p");
    OutputLock.Holder dead = new OutputLock.Holder("run-ok", OutputLock.hostName(), 1, null, Instant.now().toString(),
        "ici-atlas run", OutputLock.PUBLISHING, Map.of());
    String done = RunRecovery.recover(spark, out, dead, "test", "run-next", new Progress(new PrintStream(System.err, true)));
    assertEquals("a\n1\n", Files.readString(dir.resolve("bi/gold_t.csv")));
    assertTrue(Files.exists(dir.resolve("bi/parquet/gold_t/part-0.parquet")));
    assertFalse(Files.exists(dir.resolve("bi/_staging")));
    assertTrue(done.contains("had succeeded; 2 BI copies moved"), done);
    assertFalse(Files.exists(dir.resolve("bi/silver_old.csv")) || Files.exists(dir.resolve("bi/parquet/silver_old")));
    assertTrue(done.contains("the earlier copies of [silver_old] removed"), done);
    assertTrue(Files.exists(dir.resolve("bi/README.md")), "the data dictionary written again for what bi/ holds now");
  }
}
