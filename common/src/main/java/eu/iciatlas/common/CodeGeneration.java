package eu.iciatlas.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's code generation, chosen by the size of what a job reads, unless the submitter chose it: whole-stage
 * generation ({@value #WHOLE_STAGE}) and the generated code of single expressions, projections and predicates
 * ({@value #FACTORY_MODE}), each kept as the Spark configuration sets it (--conf, spark-defaults or -D).
 *
 * <p>Why: a run is about 600 Spark SQL queries (and 850 jobs) over small tables. For each, Spark generates Java
 * code, Janino compiles it and the JVM's JIT compiles it again; on the bundled sample the JIT alone took 213-260 of
 * 350-440 CPU seconds on 2 cores. Below {@link #SMALL_INPUT_BYTES} that code costs more to compile than it saves:
 * <ul>
 *   <li>whole-stage generation off: the README's sample command (5 MB of Keep.eu files) took 190-200 s against
 *       230-237 s with it on;
 *   <li>then Spark's interpreted expressions instead of generated ones ({@value #FACTORY_MODE} {@value #INTERPRETED},
 *       the evaluators Spark falls back to when generated code does not compile): 168-178 s, the JIT's time 259 s
 *       down to 167 s.
 * </ul>
 * Both gave bi/ identical cell for cell. At SF 1 (239 MB) whole-stage generation off made no difference in time
 * (274 s off, 275 s on) but moved the last of 16 digits of a few averaged doubles, so larger inputs keep Spark's
 * defaults (benchmarks/results/2026-12-07-codegen.md). {@value #FACTORY_MODE} is one of Spark's internal settings,
 * so a newer Spark that drops it changes only the time.
 */
public final class CodeGeneration {
  public static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  public static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";
  /** {@value #FACTORY_MODE}: Spark's interpreted evaluators only. */
  static final String INTERPRETED = "NO_CODEGEN";
  /** {@value #FACTORY_MODE}: generated code, the interpreted evaluators where it does not compile (Spark's default). */
  static final String GENERATED = "FALLBACK";
  /** Below this many bytes of input, code generation is off (the sample: 5 MB; SF 1: 239 MB). */
  public static final long SMALL_INPUT_BYTES = 32L << 20;

  private CodeGeneration() {}

  /**
   * Sets the code generation of the queries that follow from the size of the files at {@code paths}, {@code what} the
   * job reads (a folder counts with everything under it, every Delta version on disk: an upper bound).
   */
  public static void chooseFor(SparkSession spark, List<String> paths, String what, Progress progress) {
    chooseFor(spark, bytes(spark.sparkContext().hadoopConfiguration(), paths), what, progress);
  }

  /**
   * Sets {@value #WHOLE_STAGE} and {@value #FACTORY_MODE} for the queries that follow, from {@code inputBytes}, the
   * size of {@code what} the job reads; says so when it turns generation off. Each job decides anew, so that a session
   * that runs several (a test JVM) has the setting of the job it runs.
   */
  public static void chooseFor(SparkSession spark, long inputBytes, String what, Progress progress) {
    SparkConf submitted = spark.sparkContext().getConf();
    boolean small = inputBytes < SMALL_INPUT_BYTES;
    List<String> off = new ArrayList<>();
    if (!submitted.contains(WHOLE_STAGE)) {
      spark.conf().set(WHOLE_STAGE, Boolean.toString(!small));
      off.add("whole-stage: --conf " + WHOLE_STAGE + "=true");
    }
    if (!submitted.contains(FACTORY_MODE)) {
      spark.conf().set(FACTORY_MODE, small ? INTERPRETED : GENERATED);
      off.add("per expression: --conf " + FACTORY_MODE + "=" + GENERATED);
    }
    if (small && !off.isEmpty()) {
      progress.info(String.format(Locale.ROOT, "small input (%s, %.1f MB < %d MB): Spark's code generation off, compiling "
          + "the code would cost more than it saves (to keep it, %s)", what, inputBytes / 1048576.0,
          SMALL_INPUT_BYTES >> 20, String.join("; ", off)));
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
