package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.eurostat.EurostatBronze;
import eu.iciatlas.common.eurostat.IndicatorDefinition;
import eu.iciatlas.common.eurostat.RegionIndicators;
import eu.iciatlas.common.io.CodeDigest;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.FileDigest;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.nuts.NutsCodeLists;
import eu.iciatlas.common.output.RunGuard;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import eu.iciatlas.common.quality.IngestAudit;
import eu.iciatlas.common.quality.Validation;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The Eurostat stage of ingestion: bronze_eurostat (one row per observation), quarantine_eurostat,
 * silver_region_indicators (recoded to the output NUTS version) and nuts_recode_report from the
 * --eurostat files. Each commit carries a note naming what the tables are made of (every file with
 * its SHA-256, the NUTS data, conf/indicators.csv, the settings they use and the code) and the run
 * that wrote them; when all four tables' last commits carry this run's note, they are kept without
 * a commit and that run's audit rows stand for this run's.
 */
final class EurostatStage {
  static final List<String> TABLES = List.of(Tables.BRONZE_EUROSTAT, Tables.QUARANTINE_EUROSTAT,
      Tables.SILVER_REGION_INDICATORS, Tables.NUTS_RECODE_REPORT);
  private static final String RUN_MARK = " written by run ";

  /**
   * The rows written and the tables kept; the audit rows of the Eurostat files (lazy: count them
   * before the job ends), which read the observations it keeps persisted until then.
   */
  record Result(Map<String, Long> written, List<String> kept, Dataset<Row> audit) {}

  private final SparkSession spark;
  private final TableWriter writer;
  private final Persisted persisted;
  private final Progress progress;

  EurostatStage(StageContext context) {
    this.spark = context.spark();
    this.writer = context.writer();
    this.persisted = context.persisted();
    this.progress = context.progress();
  }

  Result run(List<String> files, String runId, Timestamp ingestedAt, NutsStage.Result nuts, ConfFiles conf,
      PipelineSettings settings, List<IndicatorDefinition> indicators) {
    Instant start = Instant.now();
    String inputs = note(files, nuts.inputNote(), conf, settings, spark.sparkContext().hadoopConfiguration());
    List<Row> keptAudit = keptAudit(inputs, files.size());
    if (keptAudit != null) {
      progress.stage("Eurostat tables", "unchanged since run " + keptAudit.get(0).getAs("run_id")
          + " wrote them (same files, NUTS data, indicators, settings): kept", start);
      return new Result(Map.of(), TABLES, spark.createDataFrame(keptAudit, keptAudit.get(0).schema())
          .withColumn("run_id", lit(runId)));
    }
    String note = inputs + RUN_MARK + runId;
    Map<String, Long> written = new LinkedHashMap<>();
    Dataset<Row> observations = persisted.keep(EurostatBronze.read(spark, files, runId, ingestedAt), StorageLevel.MEMORY_AND_DISK());
    progress.stage("read Eurostat files", files.size() + " file(s)", start);
    written.put(Tables.BRONZE_EUROSTAT, writer.write(Tables.BRONZE_EUROSTAT,
        Validation.accepted(observations).drop("raw_record"), Scope.WHOLE_TABLE, note));
    written.put(Tables.QUARANTINE_EUROSTAT, writer.write(Tables.QUARANTINE_EUROSTAT, quarantine(observations),
        Scope.WHOLE_TABLE, note));
    Dataset<Row> bronze = writer.read(Tables.BRONZE_EUROSTAT);
    Instant indicatorStart = Instant.now();
    int target = settings.outputNutsVersion();
    Map<Integer, Set<String>> level2 = NutsCodeLists.level2ByVersion(nuts.regions());
    if (!level2.containsKey(target)) {
      throw new InputException("the NUTS code lists have no version " + target
          + " (--nuts-version, output.nuts.version); versions present: " + level2.keySet());
    }
    Map<String, Integer> versions = NutsCodeLists.versionOfEachFile(bronze, level2, target);
    versions.forEach((file, v) -> progress.info("Eurostat " + file + ": NUTS " + v + " codes"));
    NutsCodeLists.unlistedTargets(nuts.conversions(), target, level2.get(target)).forEach(progress::info);
    progress.stage("detect NUTS versions of Eurostat files", versions.size() + " file(s)", indicatorStart);
    RegionIndicators.Result indicatorResult = RegionIndicators.build(bronze, indicators, nuts.regions(), nuts.conversions(),
        target, settings.minRecodeCoverage(), level2, versions, rows -> persisted.keep(rows, StorageLevel.MEMORY_AND_DISK()));
    written.put(Tables.SILVER_REGION_INDICATORS, writer.write(Tables.SILVER_REGION_INDICATORS, indicatorResult.indicators(),
        Scope.WHOLE_TABLE, note));
    written.put(Tables.NUTS_RECODE_REPORT, writer.write(Tables.NUTS_RECODE_REPORT, indicatorResult.report(),
        Scope.WHOLE_TABLE, note));
    Dataset<Row> audit = IngestAudit.of(Tables.BRONZE_EUROSTAT, "observation", observations, bronze,
        writer.read(Tables.QUARANTINE_EUROSTAT), observations.limit(0), runId);
    return new Result(written, List.of(), audit);
  }

  /** The refused observations with their reason and raw record. */
  private static Dataset<Row> quarantine(Dataset<Row> observations) {
    return observations.filter(col(Validation.REASON).isNotNull())
        .select(col(Validation.REASON).as("reason"), col(Validation.DETAIL).as("reason_detail"),
            col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW), coalesce(col("raw_record"), col("raw_value")).as("raw_record"),
            col("dataset"), col("geo"), col("year"), col("_ingested_at"), col("_run_id"));
  }

  /**
   * What the Eurostat tables are made from: every file (path, as the lineage columns hold it, and
   * SHA-256), the NUTS data, the indicator definitions, the settings they use and the code.
   */
  private static String note(List<String> files, String nutsNote, ConfFiles conf, PipelineSettings settings,
      Configuration hadoopConf) {
    List<String> texts = new ArrayList<>();
    for (String file : new java.util.TreeSet<>(files)) {
      texts.add(file + " " + FileDigest.of(file, hadoopConf).sha256());
    }
    texts.add(nutsNote);
    texts.add("indicators " + conf.table("indicators.csv").stream().map(ConfRow::values).toList());
    texts.add("output.nuts.version=" + settings.outputNutsVersion() + " nuts.recode.min.coverage=" + settings.minRecodeCoverage());
    texts.add("code " + CodeDigest.of(EurostatStage.class));
    return "eurostat-inputs " + RunGuard.sha256(texts);
  }

  /**
   * The audit rows of the run that wrote all four Eurostat tables from the same inputs (one per
   * file), or null when a table differs, was restored or written otherwise, or its audit is
   * incomplete: then the tables are built again.
   */
  private List<Row> keptAudit(String inputs, int files) {
    String runId = null;
    for (String table : TABLES) {
      String note = writer.lastCommitNote(table);
      if (note == null || !note.startsWith(inputs + RUN_MARK)) {
        return null;
      }
      String writtenBy = note.substring((inputs + RUN_MARK).length());
      if (runId != null && !runId.equals(writtenBy)) {
        return null;
      }
      runId = writtenBy;
    }
    if (writer.latestVersion(Tables.INGEST_AUDIT) < 0) {
      return null;
    }
    List<Row> audit = writer.read(Tables.INGEST_AUDIT)
        .filter(col("run_id").equalTo(runId).and(col("table").equalTo(Tables.BRONZE_EUROSTAT))).collectAsList();
    long distinctFiles = audit.stream().map(r -> r.<String>getAs("source_file")).distinct().count();
    return audit.isEmpty() || distinctFiles != files ? null : audit;
  }
}
