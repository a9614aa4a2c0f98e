package eu.iciatlas.common.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.to_json;

import eu.iciatlas.common.ProgrammePeriods;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.StopRequest;
import eu.iciatlas.common.io.InputException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Writes a table as Delta under {@code DIR/delta/<table>} in one overwrite commit, and, for BI, the
 * copies the data dictionary gives the table ({@link DataDictionary.BiFormats}): the same rows as one
 * CSV file with a header under {@code DIR/bi/<table>.csv} (arrays joined with '|', maps and structs
 * as JSON, formula-like text neutralised, rows sorted so a rerun gives the same file), and, for the
 * tables the dictionary says so, Parquet. A run's writers ({@link #withBackgroundExports}) stage the BI
 * copies, published at the run's end ({@link BiCopies}); a commit asked for after a stop request
 * ({@link StopRequest}) is refused.
 *
 * <p>A writer from {@link #withBackgroundExports} makes the BI copies on two background threads while
 * the job goes on to the next table (the copies are small Spark jobs whose time is mostly driver
 * latency, so they overlap well even on 2 cores); {@link #close()} waits for them and fails if one
 * failed. A whole-table write keeps its rows (memory, spilling to disk) until its BI copy is made,
 * so the copy does not read back the table it just committed; a period-scoped write's copy reads
 * the committed version, as it holds the other periods too.
 */
public final class TableWriter implements AutoCloseable {
  private final SparkSession spark;
  private final String outputDir;
  private final Progress progress;
  private final DataDictionary dictionary;

  private final java.util.concurrent.ExecutorService exports;
  /** DIR/bi/_staging for a run's writers (published when the run succeeds, {@link BiCopies}), else DIR/bi. */
  private final Path biTarget;
  private final List<java.util.concurrent.Future<Double>> pendingExports = java.util.Collections.synchronizedList(new ArrayList<>());

  public TableWriter(SparkSession spark, String outputDir, Progress progress) {
    this(spark, outputDir, progress, DataDictionary.packaged());
  }

  /** A writer whose tables' comments and BI copies come from {@code dictionary} (tests, benchmarks). */
  public TableWriter(SparkSession spark, String outputDir, Progress progress, DataDictionary dictionary) {
    this(spark, outputDir, progress, dictionary, null);
  }

  private TableWriter(SparkSession spark, String outputDir, Progress progress, DataDictionary dictionary,
      java.util.concurrent.ExecutorService exports) {
    this.spark = spark;
    this.outputDir = outputDir;
    this.progress = progress;
    this.dictionary = dictionary;
    this.exports = exports;
    this.biTarget = exports == null ? BiCopies.biDir(outputDir) : BiCopies.stagingDir(outputDir);
  }

  /**
   * The writer of a run's jobs: BI copies in the background, two at a time, into DIR/bi/_staging
   * (the run moves them into DIR/bi when it has succeeded).
   */
  public static TableWriter withBackgroundExports(SparkSession spark, String outputDir, Progress progress) {
    return withBackgroundExports(spark, outputDir, progress, DataDictionary.packaged());
  }

  /** As {@link #withBackgroundExports(SparkSession, String, Progress)}, with another dictionary (tests). */
  public static TableWriter withBackgroundExports(SparkSession spark, String outputDir, Progress progress,
      DataDictionary dictionary) {
    return new TableWriter(spark, outputDir, progress, dictionary, java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "ici-atlas-bi-export");
      t.setDaemon(true);
      return t;
    }));
  }

  public String deltaPath(String table) {
    return new Path(new Path(outputDir, "delta"), table).toString();
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(deltaPath(table));
  }

  /**
   * Which rows of a table a write replaces: the whole table, or only the rows whose {@code column}
   * holds one of {@code values} (and, with {@code withNull}, the rows where it is null), so that a
   * run for some programme periods leaves the other periods as they were. Delta takes the condition
   * as SQL text only ({@code replaceWhere}); it is made here alone, from the column and values,
   * with the column quoted as an identifier and each value as a string literal.
   */
  public record Scope(String column, List<String> values, boolean withNull) {
    public static final Scope WHOLE_TABLE = new Scope(null, List.of(), false);

    public Scope {
      values = List.copyOf(values);
      if (column == null && (!values.isEmpty() || withNull)) {
        throw new IllegalArgumentException("the whole table (no column) takes no values: " + values);
      }
    }

    /** Rows whose {@code column} is one of {@code periods} (and, if asked, rows without a period). */
    public static Scope periods(String column, java.util.Collection<String> periods, boolean withoutPeriodToo) {
      for (String p : periods) {
        if (!ProgrammePeriods.hasPeriodShape(p)) {
          throw new IllegalArgumentException("not a programme period: " + p);
        }
      }
      return new Scope(column, periods.stream().sorted().distinct().toList(), withoutPeriodToo);
    }

    public static Scope equalTo(String column, String value) {
      return new Scope(column, List.of(value), false);
    }

    public boolean wholeTable() {
      return column == null;
    }

    /** A scope of no values and not the rows without one: its condition holds for no row. */
    public boolean matchesNoRow() {
      return column != null && values.isEmpty() && !withNull;
    }

    /** The condition as Spark SQL: `column` IN ('v1', ...) [OR `column` IS NULL]; no values: no rows. */
    public String condition() {
      if (wholeTable()) {
        throw new IllegalStateException("the whole table has no condition");
      }
      String quoted = "`" + column.replace("`", "``") + "`";
      String in = values.isEmpty() ? "1 = 0"
          : quoted + " IN (" + String.join(", ", values.stream().map(Scope::literal).toList()) + ")";
      return withNull ? "(" + in + " OR " + quoted + " IS NULL)" : in;
    }

    /** A Spark SQL string literal: backslash and quote escaped with a backslash (Spark SQL does not read '' as a quote). */
    private static String literal(String value) {
      return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
  }

  /** Writes the whole table (and its BI copies) and returns the number of rows written. */
  public long write(String table, Dataset<Row> rows) {
    return write(table, rows, Scope.WHOLE_TABLE);
  }

  /**
   * Writes the rows of {@code scope} in one commit (and the BI copies) and returns the number of rows
   * written for the scope (not the rows of other values Delta copied while rewriting a file).
   */
  public long write(String table, Dataset<Row> rows, Scope scope) {
    return write(table, rows, scope, null);
  }

  /**
   * As {@link #write(String, Dataset, Scope)}, with a note kept in the commit (Delta's userMetadata;
   * {@link #lastCommitNote} reads it back), e.g. the digest of the inputs the rows come from.
   */
  public long write(String table, Dataset<Row> rows, Scope scope, String commitNote) {
    return write(table, rows, scope, commitNote, dictionary.biFormats(table));
  }

  /** The Delta commit alone, without the BI copies the dictionary gives the table (a run's interim manifest row). */
  public long writeWithoutBiCopies(String table, Dataset<Row> rows, Scope scope) {
    return write(table, rows, scope, null, DataDictionary.BiFormats.NONE);
  }

  private long write(String table, Dataset<Row> rows, Scope scope, String commitNote, DataDictionary.BiFormats formats) {
    Instant start = Instant.now();
    boolean biCopy = formats != DataDictionary.BiFormats.NONE;
    boolean keepForExport = biCopy && scope.wholeTable();
    // checked before anything is persisted, so that a refused write leaves nothing cached
    if (scope.matchesNoRow() && !rows.isEmpty()) {
      // Delta does not check a condition without a column ("1 = 0"), so these rows would be added to the table
      throw new IllegalArgumentException("writing " + table + ": rows given for a scope with no values (" + scope.column()
          + "); they would be added to the table, not replace any of it");
    }
    Dataset<Row> commented = dictionary.withColumnComments(table, rows);
    if (keepForExport) {
      commented = commented.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }
    long versionBefore = latestVersion(table);
    try {
      commit(table, commented, scope, commitNote);
    } catch (Exception e) { // also SparkException, which Scala throws undeclared (rethrown as it is)
      if (keepForExport) {
        commented.unpersist();
      }
      throw e;
    }
    // the commit's metrics (no scan of the data): the rows given, not those of other periods it copied from the
    // files it rewrote; its version pins what the BI copy reads
    long version = latestVersion(table);
    long count;
    if (version == versionBefore) {
      // Delta records no commit for a write that removes and adds nothing (no rows for a scope that has none): the
      // latest commit is an earlier write's, and this one wrote 0 rows
      count = 0;
    } else {
      DeltaLogFiles.Commit commit = DeltaLogFiles.commit(deltaPath(table), version, hadoopConf());
      // without Delta's metrics (switched off in the user's Spark configuration), count the scope's rows of that version
      count = commit.rowsWritten().orElseGet(() -> rowsOfScope(table, version, scope));
    }
    Dataset<Row> exportRows = keepForExport ? commented : null;
    if (!biCopy) {
      progress.stage("write " + table, String.format("%,d rows", count), start);
    } else if (exports == null) {
      double seconds = exportForBi(table, version, exportRows, formats);
      progress.stage("write " + table, String.format(java.util.Locale.ROOT, "%,d rows; bi export %.1f s", count, seconds), start);
    } else {
      pendingExports.add(exports.submit(() -> exportForBi(table, version, exportRows, formats)));
      progress.stage("write " + table, String.format("%,d rows; bi export queued", count), start);
    }
    return count;
  }

  private long rowsOfScope(String table, long version, Scope scope) {
    Dataset<Row> written = spark.read().format("delta").option("versionAsOf", version).load(deltaPath(table));
    return (scope.wholeTable() ? written : written.where(scope.condition())).count();
  }

  /** One Delta commit: CREATE TABLE AS SELECT for a new table, else an overwrite of the scope. */
  private void commit(String table, Dataset<Row> commented, Scope scope, String commitNote) {
    StopRequest.check("writing " + table);
    if (!exists(table)) {
      // CREATE TABLE ... AS SELECT: data, schema with column comments and the table comment in one commit
      DataDictionary.TableEntry entry = dictionary.table(table);
      var create = commented.writeTo("delta.`" + deltaPath(table) + "`").using("delta");
      if (entry != null) {
        create = create.tableProperty("comment", entry.description() + " Grain: " + entry.grain() + ".");
      }
      if (commitNote != null) {
        create = create.option("userMetadata", commitNote);
      }
      create.createOrReplace();
    } else {
      var overwrite = commented.write().format("delta").mode("overwrite");
      if (commitNote != null) {
        overwrite = overwrite.option("userMetadata", commitNote);
      }
      if (scope.wholeTable()) {
        // overwrite keeps the table's id and comment (a REPLACE would give it a new id)
        overwrite.option("overwriteSchema", "true").save(deltaPath(table));
      } else {
        // mergeSchema: a column added by a newer version joins the rows of the other periods (null there)
        overwrite.option("replaceWhere", scope.condition()).option("mergeSchema", "true").save(deltaPath(table));
      }
    }
  }

  /** One table to write: its rows are built when the write starts (so on the thread that writes it). */
  public record PendingWrite(String table, java.util.function.Supplier<Dataset<Row>> rows, Scope scope) {}

  /**
   * Writes independent tables three at a time (Spark runs jobs from several threads; a small
   * table's write is mostly driver latency, so they overlap even on 2 cores). Each table still gets
   * exactly one commit. Returns the rows committed per table, in the order given; fails with the
   * first failure after every started write has ended.
   */
  public java.util.LinkedHashMap<String, Long> writeConcurrently(List<PendingWrite> writes) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3, r -> {
      Thread t = new Thread(r, "ici-atlas-writer");
      t.setDaemon(true);
      return t;
    });
    try {
      List<java.util.concurrent.Future<Long>> futures = new ArrayList<>();
      // fail fast: after a failure the writes not yet started are skipped (the run is restored anyway)
      java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
      for (PendingWrite w : writes) {
        futures.add(pool.submit(() -> {
          if (failed.get()) {
            return null;
          }
          try {
            return write(w.table(), w.rows().get(), w.scope());
          } catch (RuntimeException e) {
            failed.set(true);
            throw e;
          }
        }));
      }
      java.util.LinkedHashMap<String, Long> counts = new java.util.LinkedHashMap<>();
      RuntimeException failure = null;
      for (int i = 0; i < writes.size(); i++) {
        try {
          Long count = futures.get(i).get();
          if (count != null) {
            counts.put(writes.get(i).table(), count);
          }
        } catch (java.util.concurrent.ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r
                : new IllegalStateException("writing " + writes.get(i).table() + " failed: " + e.getCause().getMessage(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing " + writes.get(i).table(), e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return counts;
    } finally {
      pool.shutdown();
    }
  }

  /** The note given to the table's latest commit, or null (no table, or a commit without one). */
  public String lastCommitNote(String table) {
    long version = latestVersion(table);
    return version < 0 ? null : DeltaLogFiles.commit(deltaPath(table), version, hadoopConf()).userMetadata();
  }

  /** The table's latest version, -1 when it does not exist. */
  public long latestVersion(String table) {
    return DeltaLogFiles.latestVersion(deltaPath(table), hadoopConf());
  }

  private org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /**
   * The BI copies of one version of a table: CSV, and Parquet when the dictionary says so. {@code kept}
   * are the rows just written (persisted), or null to read the version back. Returns seconds taken.
   */
  private double exportForBi(String table, long version, Dataset<Row> kept, DataDictionary.BiFormats formats) {
    Instant exportStart = Instant.now();
    Dataset<Row> rows = kept != null ? kept
        : spark.read().format("delta").option("versionAsOf", version).load(deltaPath(table));
    try {
      exportCsv(table, rows);
      if (formats == DataDictionary.BiFormats.CSV_AND_PARQUET) {
        // also as Parquet for BI tools and notebooks that read it (typed, nested columns kept)
        rows.coalesce(1).write().mode("overwrite").parquet(new Path(biTarget, "parquet/" + table).toString());
      }
    } finally {
      if (kept != null) {
        kept.unpersist();
      }
    }
    return java.time.Duration.between(exportStart, Instant.now()).toMillis() / 1000.0;
  }

  /** Waits for the background BI copies; fails with the first that failed (when the job itself did not fail first). */
  @Override
  public void close() {
    if (exports == null) {
      return;
    }
    Instant waitStart = Instant.now();
    double work = 0;
    RuntimeException failure = null;
    for (java.util.concurrent.Future<Double> f : pendingExports) {
      try {
        work += f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r
              : new IllegalStateException("BI export failed: " + e.getCause().getMessage(), e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IllegalStateException("interrupted while waiting for the BI exports", e);
        break;
      }
    }
    exports.shutdown();
    if (!pendingExports.isEmpty()) {
      progress.stage("wait for bi exports", String.format(java.util.Locale.ROOT, "%d table(s); bi export %.1f s in the background",
          pendingExports.size(), work), waitStart);
    }
    pendingExports.clear();
    if (failure != null) {
      throw failure;
    }
  }

  public boolean exists(String table) {
    return latestVersion(table) >= 0;
  }

  /** Fails with what to run first when a table a verb reads is not in the output folder. */
  public void require(String verbToRunFirst, String... tables) {
    for (String t : tables) {
      if (!exists(t)) {
        throw new InputException("--output " + outputDir + ": no Delta table " + t
            + ". Run 'ici-atlas " + verbToRunFirst + "' (or 'run') into this folder first.");
      }
    }
  }

  private void exportCsv(String table, Dataset<Row> rows) {
    Dataset<Row> flat = flattenForCsv(rows);
    List<Column> order = new ArrayList<>();
    for (String c : flat.columns()) {
      order.add(col(c).asc_nulls_first());
    }
    Path biDir = biTarget;
    Path tmp = new Path(biDir, "_tmp_" + table);
    flat.orderBy(order.toArray(new Column[0])).coalesce(1).write().mode("overwrite")
        .option("header", "true").option("quote", "\"").option("escape", "\"")
        .option("nullValue", "").option("emptyValue", "\"\"").option("encoding", "UTF-8")
        .csv(tmp.toString());
    try {
      FileSystem fs = tmp.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path target = new Path(biDir, table + ".csv");
      fs.delete(target, false);
      for (FileStatus f : fs.listStatus(tmp)) {
        if (f.getPath().getName().startsWith("part-")) {
          fs.rename(f.getPath(), target);
        }
      }
      fs.delete(tmp, true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot move the CSV export of " + table + " into " + biDir + ": " + e.getMessage(), e);
    }
  }

  /** CSV has no nested types: arrays of text become 'a|b', other nested values JSON. */
  public static Dataset<Row> flattenForCsv(Dataset<Row> rows) {
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
  public static Column spreadsheetSafe(Column text) {
    Object[] starts = FORMULA_START.chars().mapToObj(c -> String.valueOf((char) c)).toArray();
    return when(org.apache.spark.sql.functions.substring(text, 1, 1).isin(starts), concat(lit("'"), text)).otherwise(text);
  }

  /** The characters a spreadsheet reads as the start of a formula; values the pipeline makes never start with one. */
  public static final String FORMULA_START = "=+-@\t\r";

  /** Whether {@code text} starts with a {@link #FORMULA_START} character. */
  public static boolean startsLikeFormula(String text) {
    return text != null && !text.isEmpty() && FORMULA_START.indexOf(text.charAt(0)) >= 0;
  }
}
