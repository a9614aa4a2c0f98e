package eu.iciatlas.common;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's broadcast joins ({@value #THRESHOLD}), turned off for an analysis whose input is large against the driver's
 * heap, unless the submitter set the threshold (--conf, spark-defaults or -D).
 *
 * <p>Why: Spark broadcasts the side of a join it estimates below 10 MB, and builds that table in the driver's memory.
 * Its estimates of filtered, projected or aggregated Delta scans can be far below what the side holds. At SF 30 (7 GB
 * of Keep.eu files; silver_projects and silver_participations 2.4 GB on disk) on a 2 GB heap, the analysis failed
 * after 35 minutes with "Not enough memory to build and broadcast the table", after 169 failed 32-64 MB page
 * allocations; the same input with broadcast joins off wrote every gold and star table with no allocation warning
 * (benchmarks/results/2026-12-08-vm.md). SF 10 (0.8 GB of those tables) completes on 2 GB with them, so they stay on
 * below {@link #HEAP_FRACTION_PERCENT} % of the heap, where they save a shuffle per join of a small dimension.
 */
public final class BroadcastJoins {
  public static final String THRESHOLD = "spark.sql.autoBroadcastJoinThreshold";
  /** Broadcast joins go off from an input of this share of the driver's maximum heap (SF 10: 0.8 GB of 2 GB; SF 30: 2.4). */
  static final int HEAP_FRACTION_PERCENT = 50;

  private BroadcastJoins() {}

  /**
   * Sets {@value #THRESHOLD} for the queries that follow from {@code inputBytes}, the size of {@code what} the job reads,
   * against this JVM's maximum heap; says so when it turns broadcast joins off. Each job decides anew, so that a session
   * that runs several (a test JVM) has the setting of the job it runs.
   */
  public static void chooseFor(SparkSession spark, long inputBytes, String what, Progress progress) {
    chooseFor(spark, inputBytes, Runtime.getRuntime().maxMemory(), what, progress);
  }

  static void chooseFor(SparkSession spark, long inputBytes, long heapBytes, String what, Progress progress) {
    if (spark.sparkContext().getConf().contains(THRESHOLD)) {
      return;
    }
    long limit = heapBytes / 100 * HEAP_FRACTION_PERCENT;
    if (inputBytes < limit) {
      spark.conf().unset(THRESHOLD);
      return;
    }
    spark.conf().set(THRESHOLD, "-1");
    progress.info(String.format(Locale.ROOT, "large input (%s, %.1f GB >= %d %% of the %.1f GB driver heap): broadcast "
        + "joins off, a broadcast table might not fit the heap (to keep them, -D%s=10m or --conf %s=10m)", what,
        inputBytes / 1073741824.0, HEAP_FRACTION_PERCENT, heapBytes / 1073741824.0, THRESHOLD, THRESHOLD));
  }
}
