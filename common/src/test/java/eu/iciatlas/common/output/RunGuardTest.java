package eu.iciatlas.common.output;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's row in run_manifest: written when the run starts, replaced by its outcome, with its inputs' digests. */
class RunGuardTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void aRunsManifestRowSaysWhatItReadAndIsReplacedByItsOutcomeWhichAloneGetsTheBiCopy(@TempDir Path dir) throws Exception {
    String out = dir.resolve("out").toString();
    TableWriter writer = new TableWriter(spark, out, Progress.silent());
    Path input = Files.writeString(dir.resolve("partners.csv"), "acronym\nBALTIC\n");
    Path gone = dir.resolve("deleted-meanwhile.csv");
    RunGuard guard = new RunGuard(spark, writer, out);
    assertEquals(Map.of(), guard.versionsBefore(), "an empty output: no tables before the run");
    writer.write("gold_t", spark.range(3).toDF());

    RunGuard.Run run = new RunGuard.Run("run-1", "ici-atlas ingest --output out", List.of(input.toString(), gone.toString()),
        "cfg", "code");
    guard.running(run);
    Row running = manifest(writer).first();
    assertEquals("running", running.getAs("outcome"));
    assertTrue(running.<scala.collection.Map<String, Long>>getAs("table_versions").isEmpty(),
        "versions only at the end (gold_t exists already)");
    assertFalse(Files.exists(Path.of(out, "bi", "run_manifest.csv")), "no BI copy of a run still running");

    guard.ended(run, "failed", "--keep partners.csv: a bad row", List.of());
    List<Row> rows = manifest(writer).collectAsList();
    assertEquals(1, rows.size(), "the outcome replaces the run's 'running' row");
    Row failed = rows.get(0);
    assertEquals("failed", failed.getAs("outcome"));
    assertEquals("ici-atlas: --keep partners.csv: a bad row", failed.getAs("error"), "stored as the console showed it");
    assertEquals(0L, failed.<scala.collection.Map<String, Long>>getAs("table_versions").apply("gold_t"));
    List<Row> inputs = failed.getList(failed.fieldIndex("inputs"));
    assertEquals(15L, inputs.get(0).<Long>getAs("bytes"));
    assertEquals(RunGuard.sha256("acronym\nBALTIC\n".getBytes(StandardCharsets.UTF_8)), inputs.get(0).getAs("sha256"));
    assertTrue(inputs.get(1).isNullAt(inputs.get(1).fieldIndex("sha256")), "an input gone by the end: named, no digest");
    assertTrue(Files.readString(Path.of(out, "bi", "run_manifest.csv")).contains("run-1"), "the outcome's BI copy");
  }

  private static org.apache.spark.sql.Dataset<Row> manifest(TableWriter writer) {
    return writer.read(Tables.RUN_MANIFEST).filter(col("run_id").equalTo("run-1"));
  }
}
