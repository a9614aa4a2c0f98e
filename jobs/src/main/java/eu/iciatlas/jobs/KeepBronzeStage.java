package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.FileDigest;
import eu.iciatlas.common.keep.KeepBronze;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.keep.KeepNormalise;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import eu.iciatlas.common.schema.TableSchemas;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The Keep.eu bronze stage of ingestion: the exports as delivered (with lineage and their programme
 * period) into bronze_keep_projects, _partners and _calls, replacing the run's periods only, and
 * dump_provenance (which file, size, SHA-256 and export date each period's rows come from).
 */
final class KeepBronzeStage {
  /**
   * The rows written per table; every delivered row per kind (parsed once, persisted until the job
   * ends), the run's periods and which delivered rows are in them (the others are skipped for the audit).
   */
  record Result(Map<String, Long> written, Map<Kind, Dataset<Row>> delivered, List<String> periods, Column inRun) {}

  private static final StructType PROVENANCE = TableSchemas.of(Tables.DUMP_PROVENANCE);

  private final SparkSession spark;
  private final TableWriter writer;
  private final Persisted persisted;
  private final Progress progress;

  KeepBronzeStage(StageContext context) {
    this.spark = context.spark();
    this.writer = context.writer();
    this.persisted = context.persisted();
    this.progress = context.progress();
  }

  /** {@code periods}: the --period values, or empty for every period found in the exports. */
  Result run(List<String> keepFiles, List<String> periods, String runId, Timestamp ingestedAt) {
    Instant start = Instant.now();
    Map<Kind, Dataset<Row>> delivered = new EnumMap<>(KeepBronze.read(spark, keepFiles, runId, ingestedAt, progress::info));
    for (Kind kind : Kind.values()) {
      // parsed once: the periods, the bronze writes and the audit's skipped rows all read these rows
      // (a gzipped CSV is parsed again by every action otherwise); the project texts on disk
      delivered.put(kind, persisted.keep(delivered.get(kind).withColumn("_period",
          KeepNormalise.periodFromProgramme(KeepNormalise.programme(col("programme")))),
          kind == Kind.PROJECTS ? StorageLevel.DISK_ONLY() : StorageLevel.MEMORY_AND_DISK()));
    }
    List<String> runPeriods = periods.isEmpty() ? periodsIn(delivered) : new ArrayList<>(new java.util.TreeSet<>(periods));
    progress.stage("read Keep.eu exports", keepFiles.size() + " file(s), periods " + runPeriods, start);

    Map<String, Long> written = new LinkedHashMap<>();
    Scope bronzeScope = Scope.periods("_period", runPeriods, true);
    Column inRun = col("_period").isin(runPeriods.toArray()).or(col("_period").isNull());
    for (Kind kind : Kind.values()) {
      written.put(Tables.bronzeKeep(kind), writer.write(Tables.bronzeKeep(kind), delivered.get(kind).filter(inRun), bronzeScope));
    }
    written.put(Tables.DUMP_PROVENANCE, writer.write(Tables.DUMP_PROVENANCE, provenance(delivered, runPeriods, runId, ingestedAt),
        Scope.periods("period", runPeriods, false)));
    return new Result(written, delivered, runPeriods, inRun);
  }

  /** Every period found in the delivered rows. */
  private static List<String> periodsIn(Map<Kind, Dataset<Row>> delivered) {
    Dataset<Row> periods = null;
    for (Dataset<Row> d : delivered.values()) {
      Dataset<Row> p = d.select("_period").filter(col("_period").isNotNull());
      periods = periods == null ? p : periods.union(p);
    }
    return periods.distinct().orderBy("_period").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  /**
   * Which file (size, SHA-256, export date) every period's Keep.eu rows of this run come from: the
   * delivered rows of the run's periods, which are this run's rows of the bronze tables.
   */
  private Dataset<Row> provenance(Map<Kind, Dataset<Row>> delivered, List<String> runPeriods, String runId, Timestamp ingestedAt) {
    Map<String, FileDigest> digests = new java.util.HashMap<>();
    List<Row> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      for (Row r : delivered.get(kind).filter(col("_period").isin(runPeriods.toArray()))
          .groupBy("_period", CsvSources.SOURCE_FILE).count().orderBy("_period", CsvSources.SOURCE_FILE).collectAsList()) {
        String source = r.getString(1);
        String file = source.contains("#") ? source.substring(0, source.indexOf('#')) : source;
        FileDigest d = digests.computeIfAbsent(file, f -> FileDigest.of(f, spark.sparkContext().hadoopConfiguration()));
        out.add(org.apache.spark.sql.RowFactory.create(r.getString(0), kind.name().toLowerCase(java.util.Locale.ROOT),
            source, r.getLong(2), d.bytes(), d.sha256(), d.exportDate() == null ? null : java.sql.Date.valueOf(d.exportDate()),
            d.exportDateSource(), runId, ingestedAt));
      }
    }
    for (Row r : out) {
      progress.info(String.format("  period %s <- %s (%s, %,d rows, %,d bytes, sha256 %s, exported %s)", r.getString(0),
          r.getString(2), r.getString(1), r.getLong(3), r.getLong(4), r.getString(5).substring(0, 12),
          r.isNullAt(6) ? "unknown" : r.get(6)));
    }
    return spark.createDataFrame(out, PROVENANCE);
  }
}
