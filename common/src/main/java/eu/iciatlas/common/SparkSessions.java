package eu.iciatlas.common;

import org.apache.spark.sql.SparkSession;

/**
 * The session of a job. The master comes from spark-submit (or -Dspark.master from bin/ici-atlas);
 * only the Delta Lake settings every job needs, and a warehouse folder outside the working folder, are
 * set here, and only when the submitter has not.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName) {
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (System.getProperty("spark.sql.extensions") == null) {
      builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    }
    if (System.getProperty("spark.sql.catalog.spark_catalog") == null) {
      builder.config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    if (!new org.apache.spark.SparkConf().contains("spark.sql.warehouse.dir")) {
      // tables are addressed by path only; without this, Spark's catalog creates spark-warehouse/ in the current folder
      builder.config("spark.sql.warehouse.dir",
          java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "ici-atlas-spark-warehouse").toUri().toString());
    }
    return builder.getOrCreate();
  }
}
