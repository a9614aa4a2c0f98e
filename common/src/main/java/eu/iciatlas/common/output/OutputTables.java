package eu.iciatlas.common.output;

import eu.iciatlas.common.io.InputException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Delta tables of an output folder, read: where a table is, its rows, its latest version and
 * commit note (from the Delta log, without a Spark job). What only reads an output (the report, the
 * run summary) uses this; a {@link TableWriter} reads through one too.
 */
public final class OutputTables {
  private final SparkSession spark;
  private final String outputDir;

  public OutputTables(SparkSession spark, String outputDir) {
    this.spark = spark;
    this.outputDir = outputDir;
  }

  public String outputDir() {
    return outputDir;
  }

  public String deltaPath(String table) {
    return new Path(new Path(outputDir, "delta"), table).toString();
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(deltaPath(table));
  }

  /** The rows of one version of the table (Delta time travel). */
  public Dataset<Row> read(String table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(deltaPath(table));
  }

  /** The table's latest version, -1 when it does not exist. */
  public long latestVersion(String table) {
    return DeltaLogFiles.latestVersion(deltaPath(table), hadoopConf());
  }

  /** The note given to the table's latest commit, or null (no table, or a commit without one). */
  public String lastCommitNote(String table) {
    long version = latestVersion(table);
    return version < 0 ? null : commit(table, version).userMetadata();
  }

  /** What the Delta log says of one commit of the table (its note and metrics). */
  DeltaLogFiles.Commit commit(String table, long version) {
    return DeltaLogFiles.commit(deltaPath(table), version, hadoopConf());
  }

  private org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  public boolean exists(String table) {
    return latestVersion(table) >= 0;
  }

  /** Fails with what to run first when a table a verb reads is not in the output folder. */
  public void require(String verbToRunFirst, String... tables) {
    for (String t : tables) {
      if (!exists(t)) {
        throw new InputException("--output " + outputDir + ": no Delta table " + t
            + ". Run 'ici-atlas " + verbToRunFirst + "' (or 'run') into this folder first.");
      }
    }
  }
}
