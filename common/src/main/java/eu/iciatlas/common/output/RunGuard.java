package eu.iciatlas.common.output;


import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.FileDigest;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Makes a run all-or-nothing across tables and writes its run_manifest row. Delta makes each
 * table's commit atomic; a run writes some thirty tables, so when it fails halfway the guard
 * restores every table it changed to the version it had before the run (and removes tables the run
 * created), then records the failure. run_manifest: run_id, started_at, ended_at, command_line,
 * inputs (path, bytes, sha256), configuration_sha256, code_version, rows_per_table, outcome, error,
 * restored_tables.
 */
public final class RunGuard {
  private static final StructType INPUT = new StructType().add("path", DataTypes.StringType)
      .add("bytes", DataTypes.LongType).add("sha256", DataTypes.StringType);
  private static final StructType MANIFEST = new StructType()
      .add("run_id", DataTypes.StringType).add("started_at", DataTypes.TimestampType)
      .add("ended_at", DataTypes.TimestampType).add("command_line", DataTypes.StringType)
      .add("inputs", DataTypes.createArrayType(INPUT)).add("configuration_sha256", DataTypes.StringType)
      .add("code_version", DataTypes.StringType)
      .add("rows_per_table", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
      .add("outcome", DataTypes.StringType).add("error", DataTypes.StringType)
      .add("restored_tables", DataTypes.createArrayType(DataTypes.StringType));

  private final SparkSession spark;
  private final TableWriter writer;
  private final String outputDir;
  private final Instant started = Instant.now();
  private final Map<String, Long> versionsBefore = new TreeMap<>();

  public RunGuard(SparkSession spark, TableWriter writer, String outputDir) {
    this.spark = spark;
    this.writer = writer;
    this.outputDir = outputDir;
    for (String table : existingTables()) {
      versionsBefore.put(table, writer.latestVersion(table));
    }
  }

  private List<String> existingTables() {
    List<String> out = new ArrayList<>();
    try {
      Path delta = new Path(outputDir, "delta");
      FileSystem fs = delta.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(delta)) {
        for (FileStatus s : fs.listStatus(delta)) {
          if (s.isDirectory() && !s.getPath().getName().equals(Tables.RUN_MANIFEST) && writer.exists(s.getPath().getName())) {
            out.add(s.getPath().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + outputDir + "/delta: " + e.getMessage(), e);
    }
    return out;
  }

  /** Puts every table the failed run changed back to its version before the run. */
  public List<String> restore() {
    List<String> restored = new ArrayList<>();
    for (String table : existingTables()) {
      Long before = versionsBefore.get(table);
      try {
        if (before == null) {
          Path p = new Path(writer.deltaPath(table));
          p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
          restored.add(table + " (created by the failed run: removed)");
        } else if (writer.latestVersion(table) > before) {
          DeltaTable.forPath(spark, writer.deltaPath(table)).restoreToVersion(before);
          restored.add(table + " (restored to version " + before + ")");
        }
      } catch (IOException | RuntimeException e) {
        restored.add(table + " (NOT restored: " + e.getMessage() + ")");
      }
    }
    return restored;
  }

  /** Appends this run's row to run_manifest (replaceWhere on run_id, so a retried run id is replaced). */
  public void record(String runId, String commandLine, List<String> inputFiles, String configurationSha256,
      String codeVersion, Map<String, Long> rowsPerTable, String outcome, String error, List<String> restored) {
    List<Row> inputs = new ArrayList<>();
    for (String f : inputFiles) {
      inputs.add(describe(f));
    }
    Row row = RowFactory.create(runId, Timestamp.from(started), Timestamp.from(Instant.now()), commandLine, inputs,
        configurationSha256, codeVersion, scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(rowsPerTable)),
        outcome, error, restored);
    Dataset<Row> manifest = spark.createDataFrame(List.of(row), MANIFEST);
    writer.write(Tables.RUN_MANIFEST, manifest, true, TableWriter.Scope.equalTo("run_id", runId));
  }

  private Row describe(String file) {
    try {
      FileDigest d = FileDigest.of(file, spark.sparkContext().hadoopConfiguration());
      return RowFactory.create(file, d.bytes(), d.sha256());
    } catch (RuntimeException e) {
      return RowFactory.create(file, null, null);
    }
  }

  /** SHA-256 over the bytes of the given texts (the configuration files and overrides of a run). */
  public static String sha256(List<String> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String t : texts) {
        sha.update(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
