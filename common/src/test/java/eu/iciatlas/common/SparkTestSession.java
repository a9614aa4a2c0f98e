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
          // the same queries run again and again (the shared sample run, then the tests' own runs): Spark keeps 100
          // generated classes by default and compiled each run's again (13,153 compilations in the jobs test JVM,
          // 4,644 with 5,000 kept; no wall-time gain shown in CI, benchmarks/results/2026-12-06-tuning.md)
          .config("spark.sql.codegen.cache.maxEntries", "5000")
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
              + "after a full collection (max %.1f MiB), %d SQL execution(s) retained%n%s%s",
          persisted.size(), storageUsed / 1048576.0, heapUsed / 1048576.0, rt.maxMemory() / 1048576.0,
          spark.sharedState().statusStore().executionsCount(), names, compileAndCollectTimes(spark)));
    } catch (Exception | LinkageError e) {
      System.err.println("test JVM heap summary not written: " + e);
    }
  }

  /**
   * Where a test JVM's CPU goes besides the tests' own work: the JIT compiler's time, the collectors'
   * pauses, and Spark's generated classes compiled by Janino (its cache keeps 100 by default, so a
   * query seen before is compiled again once it has been evicted).
   */
  private static String compileAndCollectTimes(SparkSession spark) {
    double jit = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1000.0;
    double gc = 0;
    for (var collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += collector.getCollectionTime() / 1000.0;
    }
    long codeCacheUsed = 0;
    long codeCacheMax = 0;
    for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      // "CodeHeap ..." segments with a segmented code cache (the default with tiered compilation), else "CodeCache"
      if (pool.getName().startsWith("CodeHeap") || pool.getName().equals("CodeCache")) {
        codeCacheUsed += pool.getUsage().getUsed();
        codeCacheMax += pool.getUsage().getMax();
      }
    }
    long compilations = org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
    double janinoSeconds = org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator.compileTime() / 1e9;
    long cacheEntries = Long.parseLong(spark.sparkContext().getConf().get("spark.sql.codegen.cache.maxEntries", "100"));
    // more compilations than the cache holds: some classes may have been evicted and compiled again
    String cacheNote = compilations > cacheEntries
        ? String.format(java.util.Locale.ROOT, " (more than the %d the cache keeps: some may be recompilations)",
            cacheEntries)
        : "";
    return String.format(java.util.Locale.ROOT, "JIT compilation %.0f s (compiler threads), code cache %.0f of %.0f MiB,"
        + " garbage collection %.0f s, Spark generated code: %d compilations%s, %.0f s%n", jit,
        codeCacheUsed / 1048576.0, codeCacheMax / 1048576.0, gc, compilations, cacheNote, janinoSeconds);
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
