package eu.iciatlas.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's whole-stage code generation, chosen by the size of what a job reads, unless the submitter chose it
 * ({@value #WHOLE_STAGE} in the Spark configuration: --conf, spark-defaults or -D).
 *
 * <p>Why: a run is about 600 Spark SQL queries (and 850 jobs) over small tables. For each, Spark generates Java
 * code, Janino compiles it and the JVM's JIT compiles it again; on the bundled sample the JIT alone took 213-260 of
 * 350-440 CPU seconds on 2 cores. Below {@link #SMALL_INPUT_BYTES} the fused code of whole-stage generation costs
 * more to compile than it saves: the README's sample command (5 MB of Keep.eu files) took 190-200 s with it off
 * against 230-237 s with it on, its bi/ identical cell for cell. At SF 1 (239 MB) it made no difference in time
 * (274 s off, 275 s on) but moved the last of 16 digits of a few averaged doubles, so larger inputs keep Spark's
 * default (benchmarks/results/2026-12-07-codegen.md).
 */
public final class CodeGeneration {
  public static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  /** Below this many bytes of input, whole-stage code generation is off (the sample: 5 MB; SF 1: 239 MB). */
  public static final long SMALL_INPUT_BYTES = 32L << 20;

  private CodeGeneration() {}

  /**
   * Sets {@value #WHOLE_STAGE} for the queries that follow, from {@code inputBytes}, the size of {@code what} the
   * job reads; says so when it turns it off. Each job decides anew, so that a session that runs several (a test JVM)
   * has the setting of the job it runs.
   */
  public static void chooseFor(SparkSession spark, long inputBytes, String what, Progress progress) {
    if (spark.sparkContext().getConf().contains(WHOLE_STAGE)) {
      return; // the submitter's choice
    }
    boolean small = inputBytes < SMALL_INPUT_BYTES;
    spark.conf().set(WHOLE_STAGE, Boolean.toString(!small));
    if (small) {
      progress.info(String.format(Locale.ROOT, "small input (%s, %.1f MB < %d MB): whole-stage code generation off, "
          + "compiling it would cost more than it saves (--conf %s=true to keep it)", what, inputBytes / 1048576.0,
          SMALL_INPUT_BYTES >> 20, WHOLE_STAGE));
    }
  }

  /** The bytes of the files at {@code paths} (a folder counts with everything under it); a missing path counts 0. */
  public static long bytes(Configuration hadoop, List<String> paths) {
    long total = 0;
    for (String p : paths) {
      Path path = new Path(p);
      try {
        var fs = path.getFileSystem(hadoop);
        if (fs.exists(path)) {
          total += fs.getContentSummary(path).getLength();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(p + ": " + e.getMessage(), e);
      }
    }
    return total;
  }
}
