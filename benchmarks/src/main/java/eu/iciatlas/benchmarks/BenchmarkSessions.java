package eu.iciatlas.benchmarks;

import org.apache.spark.sql.SparkSession;

/** The session of the in-process measurements: local[2] with Delta, as bin/ici-atlas starts a run. */
final class BenchmarkSessions {
  private BenchmarkSessions() {}

  /** A builder with bin/ici-atlas's local settings (UI off, 8 shuffle partitions, 2 snapshot partitions) and Delta. */
  static SparkSession.Builder localDelta(String appName) {
    return SparkSession.builder().master("local[2]").appName(appName)
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2");
  }
}
