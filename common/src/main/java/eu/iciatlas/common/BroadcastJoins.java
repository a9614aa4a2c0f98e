package eu.iciatlas.common;

import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's broadcast joins ({@value #THRESHOLD}), turned off for an analysis on local Spark whose input is large against
 * the heap, unless the submitter set the threshold ({@value #THRESHOLD} or {@value #ADAPTIVE_THRESHOLD}; --conf,
 * spark-defaults or -D).
 *
 * <p>Why: Spark broadcasts the side of a join it estimates below 10 MB, and builds that table in the driver's memory.
 * Its estimates of filtered, projected or aggregated Delta scans can be far below what the side holds. At SF 30 (7.0 GiB
 * of Keep.eu files; silver_projects and silver_participations 2.3 GiB) on a 2 GB heap, the analysis failed after 35
 * minutes with "Not enough memory to build and broadcast the table", after 169 failed 32-64 MB page allocations; with
 * broadcast joins off it completed in 2,514 s (benchmarks/results/2026-12-08-vm.md, 2026-12-08-vm-sf30.md). SF 10
 * (0.8 GiB of those tables) completes on 2 GB with them, so they stay on below {@link #HEAP_FRACTION_PERCENT} % of the
 * heap, where they save a shuffle per join of a small dimension.
 *
 * <p>Only on local Spark, where that one heap also runs the tasks and holds the persisted tables: that is where it was
 * measured. On a cluster the driver holds only the broadcast tables and its heap is sized apart, so Spark's default
 * stays. The size is the tables' current snapshots (every version on disk only decides whether to ask Delta), so that
 * reruns into the same output do not count their old versions. The analysis decides; the report and run summary that
 * follow it in the same session keep its choice (they read small gold tables).
 */
public final class BroadcastJoins {
  public static final String THRESHOLD = "spark.sql.autoBroadcastJoinThreshold";
  /** Spark's threshold of the joins adaptive execution turns into broadcasts at run time (unset: {@value #THRESHOLD}). */
  static final String ADAPTIVE_THRESHOLD = "spark.sql.adaptive.autoBroadcastJoinThreshold";
  /** Broadcast joins go off from an input of this share of the maximum heap (SF 10: 0.8 GiB of 2 GB; SF 30: 2.3). */
  static final int HEAP_FRACTION_PERCENT = 50;

  private BroadcastJoins() {}

  /**
   * Sets {@value #THRESHOLD} for the queries that follow from the size of the Delta tables at {@code tablePaths}, {@code
   * what} the job reads, against this JVM's maximum heap; says so when it turns broadcast joins off.
   * {@code allVersionsBytes} (every version on disk, as {@link CodeGeneration#bytes} counts) is an upper bound: only
   * when it reaches the limit are the current snapshots' sizes asked of Delta.
   */
  public static void chooseFor(SparkSession spark, long allVersionsBytes, List<String> tablePaths, String what,
      Progress progress) {
    long heap = Runtime.getRuntime().maxMemory();
    boolean local = spark.sparkContext().isLocal();
    SparkConf submitted = spark.sparkContext().getConf();
    boolean mayBeLarge = local && allVersionsBytes >= limit(heap) && !chosenBy(submitted);
    chooseFor(spark, submitted, local, mayBeLarge ? currentBytes(spark, tablePaths) : 0, heap, what, progress);
  }

  static void chooseFor(SparkSession spark, SparkConf submitted, boolean local, long inputBytes, long heapBytes,
      String what, Progress progress) {
    if (chosenBy(submitted)) {
      return;
    }
    if (!local || inputBytes < limit(heapBytes)) {
      spark.conf().unset(THRESHOLD);
      return;
    }
    spark.conf().set(THRESHOLD, "-1");
    progress.info(String.format(Locale.ROOT, "large input (%s, %.1f GiB >= %d %% of the %.1f GiB heap): broadcast "
        + "joins off, a broadcast table might not fit the heap (to keep them, %s=10m: -D in JAVA_TOOL_OPTIONS)", what,
        inputBytes / 1073741824.0, HEAP_FRACTION_PERCENT, heapBytes / 1073741824.0, THRESHOLD));
  }

  private static boolean chosenBy(SparkConf submitted) {
    return submitted.contains(THRESHOLD) || submitted.contains(ADAPTIVE_THRESHOLD);
  }

  private static long limit(long heapBytes) {
    return heapBytes / 100 * HEAP_FRACTION_PERCENT;
  }

  /** The bytes of the Delta tables' current snapshots (Delta's table detail: no scan of the data). */
  static long currentBytes(SparkSession spark, List<String> tablePaths) {
    long total = 0;
    for (String path : tablePaths) {
      total += DeltaTable.forPath(spark, path).detail().select("sizeInBytes").head().getLong(0);
    }
    return total;
  }
}
