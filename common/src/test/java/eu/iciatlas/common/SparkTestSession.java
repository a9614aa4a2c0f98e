package eu.iciatlas.common;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM: local[2], 2 shuffle partitions, UI off, bound to
 * 127.0.0.1, Delta extensions on. Created on first use, stopped when the JVM exits.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("ici-atlas-tests")
          .master("local[2]")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.sql.warehouse.dir", tempDir("spark-warehouse").toString())
          // a test JVM runs the pipeline many times into many folders: keep what Spark and Delta remember of
          // earlier queries and tables small, or it fills the heap (the status store keeps 1,000 SQL executions
          // with their plans, and Delta 10,000 table logs with their cached snapshots, by default)
          .config("spark.sql.ui.retainedExecutions", "50")
          .config("spark.ui.retainedJobs", "100")
          .config("spark.ui.retainedStages", "100")
          .config("spark.databricks.delta.delta.log.cacheSize", "50")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        writeHeapSummary(session);
        session.stop();
      }));
    }
    return session;
  }

  /**
   * What the test JVM still holds when it ends, in target/test-jvm-heap.txt of the module: Datasets
   * and Delta snapshots left persisted, the storage memory they take and the heap that survives a
   * full collection. A suite that leaks shows it here before it shows as a collector out of breath.
   */
  private static void writeHeapSummary(SparkSession spark) {
    try {
      var persisted = spark.sparkContext().getPersistentRDDs();
      StringBuilder names = new StringBuilder();
      persisted.values().foreach(rdd -> names.append("  ").append(rdd.id()).append(' ').append(firstLine(rdd.name())).append('\n'));
      long storageUsed = 0;
      for (var status : scala.jdk.javaapi.CollectionConverters.asJava(spark.sparkContext().getExecutorMemoryStatus()).values()) {
        storageUsed += (Long) status._1() - (Long) status._2();
      }
      System.gc();
      Runtime rt = Runtime.getRuntime();
      long heapUsed = rt.totalMemory() - rt.freeMemory();
      Files.writeString(Path.of("target", "test-jvm-heap.txt"), String.format(java.util.Locale.ROOT,
          "at the end of the test JVM: %d persisted RDD(s), %.1f MiB of storage memory in use, %.1f MiB of heap used "
              + "after a full collection (max %.1f MiB), %d SQL execution(s) retained%n%s",
          persisted.size(), storageUsed / 1048576.0, heapUsed / 1048576.0, rt.maxMemory() / 1048576.0,
          spark.sharedState().statusStore().executionsCount(), names));
    } catch (Exception | LinkageError e) {
      System.err.println("test JVM heap summary not written: " + e);
    }
  }

  private static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A persisted Dataset's name is its whole plan, many lines; its first line says which it is. */
  private static String firstLine(String name) {
    if (name == null) {
      return "(unnamed)";
    }
    int end = name.indexOf('\n');
    return end < 0 ? name : name.substring(0, end) + " ...";
  }
}
