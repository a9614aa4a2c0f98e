package eu.iciatlas.benchmarks;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.output.DataDictionary;
import eu.iciatlas.common.output.TableWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fixed cost of one small table (500 rows, the size of most gold tables) through the pipeline's
 * writer on local[2]: a Delta commit, and with {@code bi=true} its CSV copy for BI (a dictionary
 * entry with bi = csv). {@code create} writes a new table each time (a first run, into a new
 * folder), {@code overwrite} replaces one period of an existing table (a rerun; a fresh table per
 * measurement iteration, so that it has a handful of versions, as a table has after a few reruns,
 * not hundreds). Run by benchmarks/run (alone: {@code benchmarks/run --micro-only}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g") // benchmarks/run adds the JVM options of jvm.options
public class SmallTableWriteBenchmark {
  @Param({"create", "overwrite"})
  public String mode;

  @Param({"false", "true"})
  public boolean bi;

  private static final String TABLE = "t";
  private SparkSession spark;
  private DataDictionary dictionary;
  private TableWriter rerunWriter;
  private Dataset<Row> rows;
  private Path dir;
  private final AtomicInteger tables = new AtomicInteger();

  @Setup(Level.Trial)
  public void start() throws Exception {
    spark = BenchmarkSessions.localDelta("small-table-write").getOrCreate();
    dir = Files.createTempDirectory("small-table-write");
    dictionary = DataDictionary.packaged().with(new DataDictionary.TableEntry(TABLE, "one row per region and period",
        "region_id, period", "a small gold-like table", bi ? DataDictionary.BiFormats.CSV : DataDictionary.BiFormats.NONE));
    rows = spark.range(0, 500).selectExpr("CASE WHEN id % 2 = 0 THEN '2014-2020' ELSE '2007-2013' END AS period",
        "concat('region ', id) AS region_id", "id AS projects", "id / 500.0 AS share").cache();
    rows.count();
  }

  private TableWriter writerInNewFolder() {
    return new TableWriter(spark, dir.resolve("out" + tables.incrementAndGet()).toString(), Progress.silent(), dictionary);
  }

  @Setup(Level.Iteration)
  public void freshTableToRerun() {
    if (mode.equals("overwrite")) {
      rerunWriter = writerInNewFolder();
      rerunWriter.write(TABLE, rows);
    }
  }

  @Benchmark
  public long write() {
    if (mode.equals("create")) {
      return writerInNewFolder().write(TABLE, rows);
    }
    return rerunWriter.write(TABLE, rows.filter("period = '2014-2020'"),
        TableWriter.Scope.periods("period", java.util.List.of("2014-2020"), false));
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    spark.stop();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
