package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.eurostat.IndicatorDefinition;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.FileDigest;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.keep.KeepBronze;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.keep.KeepNormalise;
import eu.iciatlas.common.keep.KeepSilver;
import eu.iciatlas.common.keep.ProgrammeRules;
import eu.iciatlas.common.nuts.OutputNutsVersion;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import eu.iciatlas.common.quality.IngestAudit;
import eu.iciatlas.common.quality.Validation;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * IngestJob: Keep.eu exports, Eurostat series and NUTS reference data into bronze, silver and
 * quarantine Delta tables, with an audit of every input row; silver_projects carries the ICI
 * classification (is_ici, ici_score, ici_reasons, specializations) so that the analysis can run on it.
 *
 * <p>Inputs: Keep.eu projects/partners/calls (';' CSV or XLSX, plain or .gz, 2019 or current header
 * set), Eurostat files (bulk TSV, API TSV, SDMX-CSV 1.0/2.0, long CSV), a NUTS folder (GISCO code
 * lists, JRC matrices). Outputs, under {@code DIR/delta/}: bronze_keep_projects/partners/calls
 * (as delivered + lineage), bronze_eurostat (one row per observation), silver_projects (key
 * project_id), silver_participations (key participation_id), silver_programmes (key
 * programme_key), silver_calls, silver_nuts_regions, silver_nuts_conversion,
 * silver_region_indicators (key nuts2, year, indicator), quarantine_* (reason, raw record),
 * nuts_recode_report and ingest_audit; silver, quarantine and audit tables also as CSV under
 * {@code DIR/bi/}. Every table is written in one Delta commit (the run's periods of the period
 * tables), so a rerun on the same inputs gives the same tables; the NUTS and Eurostat tables are kept
 * without a commit when their last commits name the same inputs, settings and code. Checks: rows read = accepted + quarantined (+ skipped for --period) for
 * every input file, or the job fails.
 */
public final class IngestJob {
  private final IngestConfig config;
  private final SparkSession spark;
  private final Progress progress;

  /** What a run wrote, for the caller and for tests. */
  public record Outcome(Map<String, Long> rowsPerTable, List<Row> audit, List<String> periods, List<String> keptUnchanged) {}

  public IngestJob(IngestConfig config, SparkSession spark, Progress progress) {
    this.config = config;
    this.spark = spark;
    this.progress = progress;
  }

  public Outcome run() {
    Instant start = Instant.now();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    List<String> keepFiles = config.keepFiles(hadoopConf);
    List<String> eurostatFiles = config.eurostatFiles(hadoopConf);
    ConfFiles conf = new ConfFiles(config.confDir());
    PipelineSettings settings = PipelineSettings.load(conf, config.settingOverrides());
    ProgrammeRules programmeRules = new ProgrammeRules(conf);
    List<IndicatorDefinition> indicators = IndicatorDefinition.load(conf);
    progress.info("run " + config.runId() + ": " + keepFiles.size() + " Keep.eu file(s), " + eurostatFiles.size()
        + " Eurostat file(s), NUTS from " + config.nuts() + ", periods " + (config.periods().isEmpty() ? "all" : config.periods())
        + ", conf " + conf.describe() + ", " + settings);
    progress.stage("resolve inputs and configuration", "", start);

    Timestamp ingestedAt = Timestamp.from(Instant.now());
    // BI copies in the background: closing the writer (first) waits for them and fails the run if one failed;
    // then what the job persisted is released, whether it succeeded or failed
    try (Persisted persisted = new Persisted();
        TableWriter writer = TableWriter.withBackgroundExports(spark, config.output(), progress)) {
      java.util.LinkedHashMap<String, Long> rows = new java.util.LinkedHashMap<>();
      int outputVersion = settings.outputNutsVersion();
      OutputNutsVersion.requireSameAsWritten(writer, config.output(), outputVersion);

      // NUTS reference data: kept when the output already has it from the same files
      NutsStage.Result nuts = NutsStage.run(spark, writer, persisted, progress, config.nuts());
      rows.putAll(nuts.written());
      List<String> unchanged = new ArrayList<>(nuts.kept());
      Dataset<Row> regions = nuts.regions();
      Dataset<Row> conversions = nuts.conversions();
      int keepVersion = settings.keepNutsVersion();
      requireMatrices(conversions, keepVersion, outputVersion);

      // Keep.eu bronze: the periods of this run are replaced, the others stay as they were
      Instant bronzeStart = Instant.now();
      Map<Kind, Dataset<Row>> delivered = KeepBronze.read(spark, keepFiles, config.runId(), ingestedAt, progress::info);
      for (Kind kind : Kind.values()) {
        // parsed once: the periods, the bronze writes and the audit's skipped rows all read these rows
        // (a gzipped CSV is parsed again by every action otherwise); the project texts on disk, as below
        delivered.put(kind, persisted.keep(delivered.get(kind).withColumn("_period",
            KeepNormalise.periodFromProgramme(KeepNormalise.programme(col("programme")))),
            kind == Kind.PROJECTS ? StorageLevel.DISK_ONLY() : StorageLevel.MEMORY_AND_DISK()));
      }
      List<String> runPeriods = runPeriods(delivered);
      progress.stage("read Keep.eu exports", keepFiles.size() + " file(s), periods " + runPeriods, bronzeStart);
      Scope bronzeScope = Scope.periods("_period", runPeriods, true);
      Column inRun = col("_period").isin(runPeriods.toArray()).or(col("_period").isNull());
      rows.put(Tables.BRONZE_KEEP_PROJECTS, writer.write(Tables.BRONZE_KEEP_PROJECTS,
          delivered.get(Kind.PROJECTS).filter(inRun), bronzeScope));
      rows.put(Tables.BRONZE_KEEP_PARTNERS, writer.write(Tables.BRONZE_KEEP_PARTNERS,
          delivered.get(Kind.PARTNERS).filter(inRun), bronzeScope));
      rows.put(Tables.BRONZE_KEEP_CALLS, writer.write(Tables.BRONZE_KEEP_CALLS,
          delivered.get(Kind.CALLS).filter(inRun), bronzeScope));

      rows.put(Tables.DUMP_PROVENANCE, writer.write(Tables.DUMP_PROVENANCE, provenance(writer, ingestedAt),
          Scope.periods("period", runPeriods, false)));

      // Keep.eu silver and quarantine, from this run's bronze rows
      List<String> nuts1 = codes(regions, keepVersion, 1);
      List<String> nuts2 = codes(regions, keepVersion, 2);
      List<String> nuts3 = codes(regions, keepVersion, 3);
      Column thisRun = col("_run_id").equalTo(config.runId());
      Dataset<Row> bronzeProjects = writer.read(Tables.BRONZE_KEEP_PROJECTS).filter(thisRun).drop("_period");
      Dataset<Row> bronzePartners = writer.read(Tables.BRONZE_KEEP_PARTNERS).filter(thisRun).drop("_period");
      Dataset<Row> bronzeCalls = writer.read(Tables.BRONZE_KEEP_CALLS).filter(thisRun).drop("_period");
      // on disk: the project rows carry the full texts (2.4 GB at SF 10), which would crowd a 2 GB driver heap
      Dataset<Row> checkedProjects = persisted.keep(KeepSilver.checkProjects(bronzeProjects), StorageLevel.DISK_ONLY());
      Dataset<Row> checkedPartners = persisted.keep(KeepSilver.checkPartners(bronzePartners, nuts1, nuts2, nuts3),
          StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> checkedCalls = persisted.keep(KeepSilver.checkCalls(bronzeCalls), StorageLevel.MEMORY_AND_DISK());

      Scope silverScope = Scope.periods("period", runPeriods, false);
      Scope quarantineScope = Scope.periods("period", runPeriods, true);
      rows.put(Tables.QUARANTINE_KEEP_PROJECTS, writer.write(Tables.QUARANTINE_KEEP_PROJECTS,
          quarantine(checkedProjects, bronzeProjects), quarantineScope));
      rows.put(Tables.QUARANTINE_KEEP_PARTNERS, writer.write(Tables.QUARANTINE_KEEP_PARTNERS,
          quarantine(checkedPartners, bronzePartners), quarantineScope));
      rows.put(Tables.QUARANTINE_KEEP_CALLS, writer.write(Tables.QUARANTINE_KEEP_CALLS,
          quarantine(checkedCalls, bronzeCalls), quarantineScope));

      Column runPeriod = col("period").isin(runPeriods.toArray());
      Dataset<Row> participations = KeepSilver.participations(Validation.accepted(checkedPartners));
      rows.put(Tables.SILVER_PARTICIPATIONS, writer.write(Tables.SILVER_PARTICIPATIONS, participations, silverScope));
      participations = writer.read(Tables.SILVER_PARTICIPATIONS).filter(runPeriod);
      Dataset<Row> projectsFromExport = KeepSilver.projectsFromExport(Validation.accepted(checkedProjects));
      IciClassifier classifier = new IciClassifier(conf, settings);
      rows.put(Tables.SILVER_PROJECTS, writer.write(Tables.SILVER_PROJECTS,
          classifier.classify(KeepSilver.projects(projectsFromExport, participations), participations), silverScope));
      Dataset<Row> projects = writer.read(Tables.SILVER_PROJECTS).filter(runPeriod);
      rows.put(Tables.SILVER_PROGRAMMES, writer.write(Tables.SILVER_PROGRAMMES,
          KeepSilver.programmes(projects, participations, programmeRules), silverScope));
      rows.put(Tables.SILVER_CALLS, writer.write(Tables.SILVER_CALLS,
          KeepSilver.calls(Validation.accepted(checkedCalls)), silverScope));

      // Eurostat: kept when the output already has it from the same files, NUTS tables, indicators, settings and code
      EurostatStage.Result eurostat = new EurostatStage(spark, writer, persisted, progress)
          .run(eurostatFiles, config.runId(), ingestedAt, nuts, conf, settings, indicators);
      rows.putAll(eurostat.written());
      unchanged.addAll(eurostat.kept());

      // Audit, from the tables as written
      Instant auditStart = Instant.now();
      Dataset<Row> audit = keepAudit(Tables.BRONZE_KEEP_PROJECTS, bronzeProjects,
              projects.filter(col("has_project_record")).select(explode(col("_source_records")).as("r"))
                  .select(col("r.file").as(CsvSources.SOURCE_FILE)),
              writer.read(Tables.QUARANTINE_KEEP_PROJECTS).filter(thisRun), delivered.get(Kind.PROJECTS).filter(inRun.unary_$bang()))
          .unionByName(keepAudit(Tables.BRONZE_KEEP_PARTNERS, bronzePartners, participations,
              writer.read(Tables.QUARANTINE_KEEP_PARTNERS).filter(thisRun), delivered.get(Kind.PARTNERS).filter(inRun.unary_$bang())))
          .unionByName(keepAudit(Tables.BRONZE_KEEP_CALLS, bronzeCalls, writer.read(Tables.SILVER_CALLS).filter(runPeriod),
              writer.read(Tables.QUARANTINE_KEEP_CALLS).filter(thisRun), delivered.get(Kind.CALLS).filter(inRun.unary_$bang())))
          .unionByName(eurostat.audit());
      // a dozen rows: counted once, written from the driver and printed without reading the table back
      List<Row> auditRows = audit.orderBy("table", "source_file").collectAsList();
      Dataset<Row> collected = eu.iciatlas.common.quality.IngestAudit.fromCollected(spark, auditRows, audit.schema());
      rows.put(Tables.INGEST_AUDIT, writer.write(Tables.INGEST_AUDIT, collected, Scope.equalTo("run_id", config.runId())));
      progress.stage("audit", auditRows.size() + " file(s)", auditStart);
      printAudit(auditRows);
      List<String> unbalanced = new ArrayList<>();
      for (Row r : auditRows) {
        if (!r.getAs("balanced").equals(Boolean.TRUE)) {
          unbalanced.add(r.getAs("table") + " " + r.getAs("source_file"));
        }
      }
      if (!unbalanced.isEmpty()) {
        throw new IllegalStateException("rows read != accepted + quarantined + skipped for " + unbalanced
            + "; see " + writer.deltaPath(Tables.INGEST_AUDIT));
      }
      return new Outcome(rows, auditRows, runPeriods, unchanged);
    }
  }

  private static final org.apache.spark.sql.types.StructType PROVENANCE = new org.apache.spark.sql.types.StructType()
      .add("period", "string").add("kind", "string").add("source_file", "string").add("rows", "long")
      .add("bytes", "long").add("sha256", "string").add("export_date", "date").add("export_date_source", "string")
      .add("run_id", "string").add("ingested_at", "timestamp");

  /** Which file (size, SHA-256, export date) every period's Keep.eu rows of this run come from. */
  private Dataset<Row> provenance(TableWriter writer, Timestamp ingestedAt) {
    Map<String, FileDigest> digests = new java.util.HashMap<>();
    List<Row> out = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      String table = switch (kind) {
        case PROJECTS -> Tables.BRONZE_KEEP_PROJECTS;
        case PARTNERS -> Tables.BRONZE_KEEP_PARTNERS;
        case CALLS -> Tables.BRONZE_KEEP_CALLS;
      };
      for (Row r : writer.read(table).filter(col("_run_id").equalTo(config.runId()).and(col("_period").isNotNull()))
          .groupBy("_period", CsvSources.SOURCE_FILE).count().collectAsList()) {
        String source = r.getString(1);
        String file = source.contains("#") ? source.substring(0, source.indexOf('#')) : source;
        FileDigest d = digests.computeIfAbsent(file, f -> FileDigest.of(f, spark.sparkContext().hadoopConfiguration()));
        out.add(org.apache.spark.sql.RowFactory.create(r.getString(0), kind.name().toLowerCase(java.util.Locale.ROOT),
            source, r.getLong(2), d.bytes(), d.sha256(), d.exportDate() == null ? null : java.sql.Date.valueOf(d.exportDate()),
            d.exportDateSource(), config.runId(), ingestedAt));
      }
    }
    for (Row r : out) {
      progress.info(String.format("  period %s <- %s (%s, %,d rows, %,d bytes, sha256 %s, exported %s)", r.getString(0),
          r.getString(2), r.getString(1), r.getLong(3), r.getLong(4), r.getString(5).substring(0, 12),
          r.isNullAt(6) ? "unknown" : r.get(6)));
    }
    return spark.createDataFrame(out, PROVENANCE);
  }

  /** Rows read = this run's bronze rows + the delivered rows of periods the run was not asked for. */
  private Dataset<Row> keepAudit(String table, Dataset<Row> bronze, Dataset<Row> acceptedLineage,
      Dataset<Row> quarantine, Dataset<Row> skipped) {
    Dataset<Row> read = bronze.select(CsvSources.SOURCE_FILE).unionByName(skipped.select(CsvSources.SOURCE_FILE));
    return IngestAudit.of(table, "row", read, acceptedLineage, quarantine, skipped, config.runId());
  }

  /** --period if given, else every period found in the delivered Keep.eu rows. */
  private List<String> runPeriods(Map<Kind, Dataset<Row>> delivered) {
    if (!config.periods().isEmpty()) {
      return new ArrayList<>(new java.util.TreeSet<>(config.periods()));
    }
    Dataset<Row> periods = null;
    for (Dataset<Row> d : delivered.values()) {
      Dataset<Row> p = d.select("_period").filter(col("_period").isNotNull());
      periods = periods == null ? p : periods.union(p);
    }
    return periods.distinct().orderBy("_period").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  private Dataset<Row> quarantine(Dataset<Row> checked, Dataset<Row> bronze) {
    List<String> raw = new ArrayList<>();
    for (String c : bronze.columns()) {
      if (!c.startsWith("_")) {
        raw.add(c);
      }
    }
    return Validation.quarantined(checked, raw, List.of("_period", "_ingested_at", "_run_id"))
        .withColumnRenamed("_period", "period");
  }

  /** Partners are placed through the NUTS 3 and NUTS 2 matrices between the Keep.eu and the output version. */
  private void requireMatrices(Dataset<Row> conversions, int keepVersion, int outputVersion) {
    if (keepVersion == outputVersion) {
      return;
    }
    int from = Math.min(keepVersion, outputVersion);
    int to = Math.max(keepVersion, outputVersion);
    List<Integer> levels = conversions.filter(col("from_version").equalTo(from).and(col("to_version").equalTo(to)))
        .select(col("level")).distinct().as(org.apache.spark.sql.Encoders.INT()).collectAsList();
    for (int level : List.of(2, 3)) {
      if (!levels.contains(level)) {
        throw new InputException("--nuts " + config.nuts() + ": no JRC matrix n" + level + "_cm_v" + from + "_v" + to
            + ".csv, needed to write NUTS " + outputVersion + " outputs from the NUTS " + keepVersion
            + " codes of Keep.eu; the bundled ones are in data/sample/nuts/jrc/");
      }
    }
  }

  private static List<String> codes(Dataset<Row> regions, int version, int level) {
    return regions.filter(col("nuts_version").equalTo(version).and(col("level").equalTo(level)))
        .select("nuts_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  private void printAudit(List<Row> auditRows) {
    progress.info("ingest audit (rows read = accepted + quarantined + skipped for another period):");
    progress.info(String.format("  %-22s %-60s %10s %10s %10s %8s  %s", "table", "source file", "read", "accepted",
        "quarantined", "skipped", "quarantined by reason"));
    for (Row r : auditRows) {
      String file = r.getAs("source_file");
      if (file.length() > 60) {
        file = "..." + file.substring(file.length() - 57);
      }
      scala.collection.Map<String, Long> byReason = r.getAs("quarantined_by_reason");
      String reasons = byReason == null ? "" : new java.util.TreeMap<>(scala.jdk.javaapi.CollectionConverters.asJava(byReason))
          .toString().replaceAll("[{}]", "").replace("=", " ");
      progress.info(String.format("  %-22s %-60s %,10d %,10d %,10d %,8d  %s%s", (String) r.getAs("table"), file,
          (Long) r.getAs("rows_read"), (Long) r.getAs("rows_accepted"), (Long) r.getAs("rows_quarantined"),
          (Long) r.getAs("rows_skipped_other_period"), reasons,
          r.getAs("balanced").equals(Boolean.TRUE) ? "" : "  UNBALANCED"));
    }
  }
}
