package eu.iciatlas.common.output;

import eu.iciatlas.common.ProgrammePeriods;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.StopRequest;
import eu.iciatlas.common.schema.TableSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Writes a table as Delta under {@code DIR/delta/<table>} in one commit (the whole table, or the rows
 * of a {@link Scope}), with the data dictionary's comments, and hands the committed version to a
 * {@link BiExporter} for the BI copies the dictionary gives the table. Rows whose columns differ from
 * the table's declared schema ({@link TableSchemas}) are refused before anything is written. A run's writers
 * ({@link #withBackgroundExports}) make those copies in the background and stage them until the run
 * has succeeded; {@link #close()} waits for them. A commit asked for after a stop request
 * ({@link StopRequest}) is refused.
 *
 * <p>A whole-table write keeps its rows (memory, spilling to disk) until its BI copy is made, so the
 * copy does not read back the table it just committed; a period-scoped write's copy reads the
 * committed version, as it holds the other periods too.
 */
public final class TableWriter implements AutoCloseable {
  static final String SKIP_EMPTY_COMMITS = "spark.databricks.delta.skipRecordingEmptyCommits";

  private final Progress progress;
  private final DataDictionary dictionary;

  private final OutputTables tables;
  private final BiExporter bi;
  /** Copies made before the write returns, into DIR/bi (the run's outcome row; {@code bi} itself for a direct writer). */
  private final BiExporter biNow;

  public TableWriter(SparkSession spark, String outputDir, Progress progress) {
    this(spark, outputDir, progress, DataDictionary.packaged());
  }

  /** A writer whose tables' comments and BI copies come from {@code dictionary} (tests, benchmarks). */
  public TableWriter(SparkSession spark, String outputDir, Progress progress, DataDictionary dictionary) {
    this(spark, new OutputTables(spark, outputDir), progress, dictionary, false);
  }

  private TableWriter(SparkSession spark, OutputTables tables, Progress progress, DataDictionary dictionary, boolean inBackground) {
    // every write records its commit, also one that changes nothing (an empty quarantine rewritten empty): a table's last
    // commit then always names the run that last wrote it, which is how the NUTS and Eurostat tables are kept unchanged
    spark.conf().set(SKIP_EMPTY_COMMITS, "false");
    this.tables = tables;
    this.progress = progress;
    this.dictionary = dictionary;
    this.biNow = BiExporter.direct(spark, tables, progress);
    this.bi = inBackground ? BiExporter.inBackground(spark, tables, progress) : biNow;
  }

  /**
   * The writer of a run (one per run, shared by its stages and its guard): BI copies in the background, two at a
   * time, into DIR/bi/_staging (the run moves them into DIR/bi when it has succeeded).
   */
  public static TableWriter withBackgroundExports(SparkSession spark, String outputDir, Progress progress) {
    return withBackgroundExports(spark, outputDir, progress, DataDictionary.packaged());
  }

  /** As {@link #withBackgroundExports(SparkSession, String, Progress)}, with another dictionary (tests). */
  public static TableWriter withBackgroundExports(SparkSession spark, String outputDir, Progress progress,
      DataDictionary dictionary) {
    return new TableWriter(spark, new OutputTables(spark, outputDir), progress, dictionary, true);
  }

  public String deltaPath(String table) {
    return tables.deltaPath(table);
  }

  public Dataset<Row> read(String table) {
    return tables.read(table);
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
    return write(table, rows, scope, commitNote, dictionary.biFormats(table), bi);
  }

  /** The Delta commit alone, without the BI copies the dictionary gives the table (a run's interim manifest row). */
  public long writeWithoutBiCopies(String table, Dataset<Row> rows, Scope scope) {
    return write(table, rows, scope, null, DataDictionary.BiFormats.NONE, biNow);
  }

  /**
   * As {@link #write(String, Dataset, Scope)}, with the BI copies made before it returns, straight into DIR/bi, also
   * by a run's writer: a run's outcome row, which bi/ shows whether the run is published or not.
   */
  public long writeWithBiCopiesNow(String table, Dataset<Row> rows, Scope scope) {
    return write(table, rows, scope, null, dictionary.biFormats(table), biNow);
  }

  private long write(String table, Dataset<Row> rows, Scope scope, String commitNote, DataDictionary.BiFormats formats,
      BiExporter exporter) {
    Instant start = Instant.now();
    boolean biCopy = formats != DataDictionary.BiFormats.NONE;
    boolean keepForExport = biCopy && scope.wholeTable();
    // checked before anything is persisted, so that a refused write leaves nothing cached
    if (scope.matchesNoRow() && !rows.isEmpty()) {
      // Delta does not check a condition without a column ("1 = 0"), so these rows would be added to the table
      throw new IllegalArgumentException("writing " + table + ": rows given for a scope with no values (" + scope.column()
          + "); they would be added to the table, not replace any of it");
    }
    TableSchemas.packaged().check(table, rows.schema()); // the plan's schema: no Spark job
    Dataset<Row> commented = dictionary.withColumnComments(table, rows);
    if (keepForExport) {
      commented = commented.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }
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
    // (every write commits: see the constructor)
    long version = latestVersion(table);
    DeltaLogFiles.Commit commit = tables.commit(table, version);
    // without Delta's metrics (switched off in the user's Spark configuration), count the scope's rows of that version
    long count = commit.rowsWritten().orElseGet(() -> rowsOfScope(table, version, scope));
    String rowsWritten = String.format(java.util.Locale.ROOT, "%,d rows", count);
    progress.stage("write " + table, biCopy ? rowsWritten + "; " + exporter.export(table, version,
        keepForExport ? commented : null, formats) : rowsWritten, start);
    return count;
  }

  private long rowsOfScope(String table, long version, Scope scope) {
    Dataset<Row> written = tables.read(table, version);
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

  /**
   * For tables a run does not write (kept unchanged, or read by an analysis): makes the BI copies the dictionary
   * gives them where DIR/bi has none (an earlier run with bi.silver=false, or copies deleted by hand), so that every
   * run leaves the copies its settings promise. Returns the tables whose copies were made or queued.
   */
  public List<String> copyWhereBiHasNone(List<String> tablesNotWritten) {
    List<String> copied = new ArrayList<>();
    for (String table : tablesNotWritten) {
      DataDictionary.BiFormats formats = dictionary.biFormats(table);
      if (formats != DataDictionary.BiFormats.NONE && exists(table) && !bi.published(table, formats)) {
        progress.info("bi copies of " + table + " (not written by this run, and bi/ has none): "
            + bi.export(table, latestVersion(table), null, formats));
        copied.add(table);
      }
    }
    return copied;
  }

  /** The note given to the table's latest commit, or null (no table, or a commit without one). */
  public String lastCommitNote(String table) {
    return tables.lastCommitNote(table);
  }

  /** The table's latest version, -1 when it does not exist. */
  public long latestVersion(String table) {
    return tables.latestVersion(table);
  }


  /** Waits for the BI copies queued so far (a run's before it stages its single-file copies); fails with the first that failed. */
  public void awaitBiCopies() {
    bi.awaitQueued();
  }

  /** A scope that waits for the BI copies queued so far when it closes ({@link #awaitBiCopiesOnClose}). */
  public interface BiCopiesAwaited extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * For a job that persists what its writes read: opened after its {@code Persisted} in one try-with-resources, it closes
   * first, so that no queued copy reads a Dataset the job has released, whether the job succeeded or failed (a copy's
   * failure then joins the job's as a suppressed exception).
   */
  public BiCopiesAwaited awaitBiCopiesOnClose() {
    return this::awaitBiCopies;
  }

  /** Waits for the background BI copies and ends their threads; fails with the first that failed. */
  @Override
  public void close() {
    bi.close();
  }

  public boolean exists(String table) {
    return tables.exists(table);
  }

  /** Fails with what to run first when a table a verb reads is not in the output folder. */
  public void require(String verbToRunFirst, String... required) {
    tables.require(verbToRunFirst, required);
  }
}
