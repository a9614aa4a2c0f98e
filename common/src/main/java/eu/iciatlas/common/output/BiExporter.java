package eu.iciatlas.common.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Progress;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The BI copies of the tables a {@link TableWriter} commits, as the data dictionary gives them
 * ({@link DataDictionary.BiFormats}): one CSV file with a header per table under {@code bi/<table>.csv}
 * (arrays joined with '|', maps and structs as JSON, formula-like text neutralised, rows sorted so a
 * rerun gives the same file), and, where the dictionary says so, Parquet under {@code bi/parquet/}.
 *
 * <p>Direct: into DIR/bi, each copy made before the write returns. In the background (a run's
 * writer): into DIR/bi/_staging (moved into DIR/bi when the run has succeeded, {@link BiCopies}), two
 * copies at a time while the job goes on (the copies are small Spark jobs whose time is mostly driver
 * latency, so they overlap well even on 2 cores); {@link #awaitQueued()} waits for those queued so far and
 * {@link #close()} for all, each failing with the first that failed.
 */
final class BiExporter implements AutoCloseable {
  /** The characters a spreadsheet reads as the start of a formula; values the pipeline makes never start with one. */
  static final String FORMULA_START = "=+-@\t\r";

  private final SparkSession spark;
  private final OutputTables tables;
  private final Progress progress;
  private final Path target;
  private final ExecutorService background;
  private final List<Future<Double>> pending = java.util.Collections.synchronizedList(new ArrayList<>());

  private BiExporter(SparkSession spark, OutputTables tables, Progress progress, Path target, ExecutorService background) {
    this.spark = spark;
    this.tables = tables;
    this.progress = progress;
    this.target = target;
    this.background = background;
  }

  /** Copies made before each write returns, into DIR/bi. */
  static BiExporter direct(SparkSession spark, OutputTables tables, Progress progress) {
    return new BiExporter(spark, tables, progress, BiCopies.biDir(tables.outputDir()), null);
  }

  /** Copies made on two background threads, staged in DIR/bi/_staging until the run publishes them. */
  static BiExporter inBackground(SparkSession spark, OutputTables tables, Progress progress) {
    return new BiExporter(spark, tables, progress, BiCopies.stagingDir(tables.outputDir()), Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "ici-atlas-bi-export");
      t.setDaemon(true);
      return t;
    }));
  }

  /**
   * Makes (or queues) the copies of one committed version of a table. {@code kept}: the rows just
   * written (persisted; unpersisted here once copied), or null to read {@code version} of the table.
   * Returns what the write's progress line says of the copies.
   */
  String export(String table, long version, Dataset<Row> kept, DataDictionary.BiFormats formats) {
    if (background == null) {
      return String.format(java.util.Locale.ROOT, "bi export %.1f s", copy(table, version, kept, formats));
    }
    pending.add(background.submit(() -> copy(table, version, kept, formats)));
    return "bi export queued";
  }

  /**
   * Whether DIR/bi holds the copies {@code formats} give the table, published or staged by an earlier job of this
   * run (the shared test run ingests twice before it publishes).
   */
  boolean published(String table, DataDictionary.BiFormats formats) {
    Path bi = BiCopies.biDir(tables.outputDir());
    try {
      FileSystem fs = bi.getFileSystem(spark.sparkContext().hadoopConfiguration());
      for (Path dir : List.of(bi, BiCopies.stagingDir(tables.outputDir()))) {
        if (fs.exists(new Path(dir, table + ".csv"))
            && (formats != DataDictionary.BiFormats.CSV_AND_PARQUET || fs.exists(new Path(dir, "parquet/" + table)))) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the BI copies under " + bi + ": " + e.getMessage(), e);
    }
  }

  /** The copies of one version: CSV, and Parquet when the dictionary says so. Returns seconds taken. */
  private double copy(String table, long version, Dataset<Row> kept, DataDictionary.BiFormats formats) {
    Instant start = Instant.now();
    Dataset<Row> rows = kept != null ? kept : tables.read(table, version);
    try {
      csv(table, rows);
      if (formats == DataDictionary.BiFormats.CSV_AND_PARQUET) {
        // also as Parquet for BI tools and notebooks that read it (typed, nested columns kept)
        rows.coalesce(1).write().mode("overwrite").parquet(new Path(target, "parquet/" + table).toString());
      }
    } finally {
      if (kept != null) {
        kept.unpersist();
      }
    }
    return java.time.Duration.between(start, Instant.now()).toMillis() / 1000.0;
  }

  private void csv(String table, Dataset<Row> rows) {
    Dataset<Row> flat = flattenForCsv(rows);
    List<Column> order = new ArrayList<>();
    for (String c : flat.columns()) {
      order.add(col(c).asc_nulls_first());
    }
    Path tmp = new Path(target, "_tmp_" + table);
    // one file, so one task writes it: sorting inside that task gives the same file as a global orderBy, without the
    // latter's range-sampling job and shuffle (identical bi/ of the sample run; the JMH small-table write moved within
    // its error, so this is fewer Spark jobs per copy, not a measured gain)
    flat.coalesce(1).sortWithinPartitions(order.toArray(new Column[0])).write().mode("overwrite")
        .option("header", "true").option("quote", "\"").option("escape", "\"")
        .option("nullValue", "").option("emptyValue", "\"\"").option("encoding", "UTF-8")
        .csv(tmp.toString());
    try {
      FileSystem fs = tmp.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path file = new Path(target, table + ".csv");
      fs.delete(file, false);
      for (FileStatus f : fs.listStatus(tmp)) {
        if (f.getPath().getName().startsWith("part-")) {
          fs.rename(f.getPath(), file);
        }
      }
      fs.delete(tmp, true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot move the CSV export of " + table + " into " + target + ": " + e.getMessage(), e);
    }
  }

  /** Waits for the background copies, shuts their threads down; fails with the first that failed. */
  @Override
  public void close() {
    try {
      awaitQueued();
    } finally {
      if (background != null) {
        background.shutdown();
      }
    }
  }

  /** Waits for the copies queued so far (more may be queued after); fails with the first that failed. */
  void awaitQueued() {
    if (background == null) {
      return;
    }
    Instant waitStart = Instant.now();
    double work = 0;
    RuntimeException failure = null;
    List<Future<Double>> queued;
    synchronized (pending) {
      queued = new ArrayList<>(pending);
      pending.clear();
    }
    for (Future<Double> f : queued) {
      try {
        work += f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r
              : new IllegalStateException("BI export failed: " + e.getCause().getMessage(), e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IllegalStateException("interrupted while waiting for the BI exports", e);
        // the copies not waited for stay queued, so that a later wait (or close) still knows of them
        pending.addAll(queued.subList(queued.indexOf(f) + 1, queued.size()));
        break;
      }
    }
    if (!queued.isEmpty()) {
      progress.stage("wait for bi exports", String.format(java.util.Locale.ROOT, "%d table(s); bi export %.1f s in the background",
          queued.size(), work), waitStart);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** CSV has no nested types: arrays of text become 'a|b', other nested values JSON. */
  static Dataset<Row> flattenForCsv(Dataset<Row> rows) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      DataType t = f.dataType();
      if (t instanceof ArrayType a && a.elementType().equals(DataTypes.StringType)) {
        cols.add(concat_ws("|", col(f.name())).as(f.name()));
      } else if (t instanceof ArrayType || t instanceof org.apache.spark.sql.types.MapType
          || t instanceof org.apache.spark.sql.types.StructType) {
        cols.add(to_json(col(f.name())).as(f.name()));
      } else {
        cols.add(col(f.name()));
      }
    }
    Dataset<Row> flat = rows.select(cols.toArray(new Column[0]));
    List<Column> safe = new ArrayList<>();
    for (StructField f : flat.schema().fields()) {
      safe.add(f.dataType().equals(DataTypes.StringType) ? spreadsheetSafe(col(f.name())).as(f.name()) : col(f.name()));
    }
    return flat.select(safe.toArray(new Column[0]));
  }

  /**
   * Free text from the internet must not run as a formula when the CSV is opened in a spreadsheet:
   * a cell starting with =, +, -, @, tab or CR gets a leading apostrophe (OWASP's CSV-injection rule).
   */
  static Column spreadsheetSafe(Column text) {
    Object[] starts = FORMULA_START.chars().mapToObj(c -> String.valueOf((char) c)).toArray();
    return when(org.apache.spark.sql.functions.substring(text, 1, 1).isin(starts), concat(lit("'"), text)).otherwise(text);
  }

  /** Whether {@code text} starts with a {@link #FORMULA_START} character. */
  static boolean startsLikeFormula(String text) {
    return text != null && !text.isEmpty() && FORMULA_START.indexOf(text.charAt(0)) >= 0;
  }
}
