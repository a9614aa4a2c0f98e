package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.CodeGeneration;
import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.eurostat.IndicatorDefinition;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.keep.ProgrammeRules;
import eu.iciatlas.common.nuts.OutputNutsVersion;
import eu.iciatlas.common.output.TableWriter;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * IngestJob: Keep.eu exports, Eurostat series and NUTS reference data into bronze, silver and
 * quarantine Delta tables, with an audit of every input row. The ICI classification is the analysis's
 * first stage ({@link ClassifyStage}), so that it runs once per run, also when only the rules changed.
 *
 * <p>Inputs: Keep.eu projects/partners/calls (';' CSV or XLSX, plain or .gz, 2019 or current header
 * set), Eurostat files (bulk TSV, API TSV, SDMX-CSV 1.0/2.0, long CSV), a NUTS folder (GISCO code
 * lists, JRC matrices). Outputs, under {@code DIR/delta/}: bronze_keep_projects/partners/calls
 * (as delivered + lineage), bronze_eurostat (one row per observation), silver_projects (key
 * project_id), silver_participations (key participation_id), silver_programmes (key
 * programme_key), silver_calls, silver_nuts_regions, silver_nuts_conversion,
 * silver_region_indicators (key nuts2, year, indicator), quarantine_* (reason, raw record),
 * nuts_recode_report and ingest_audit; quarantine and audit tables (silver with bi.silver=true) also as
 * CSV under {@code DIR/bi/}. Every table is written in one Delta commit (the run's periods of the period
 * tables), so a rerun on the same inputs gives the same tables; the NUTS and Eurostat tables are kept
 * without a commit when their last commits name the same inputs, settings and code. Checks: rows read =
 * accepted + quarantined (+ skipped for --period) for every input file, or the job fails.
 *
 * <p>The job wires its stages, each a small class that reads, transforms, checks and writes its tables:
 * {@link NutsStage}, {@link KeepBronzeStage}, {@link KeepSilverStage}, {@link EurostatStage} and,
 * from what they wrote, {@link AuditStage}.
 */
public final class IngestJob {
  private final IngestConfig.Resolved inputs;
  private final IngestConfig config;
  private final PipelineSettings settings;
  private final SparkSession spark;
  private final TableWriter writer;
  private final Progress progress;

  /** What a run wrote, for the caller and for tests. */
  public record Outcome(Map<String, Long> rowsPerTable, List<Row> audit, List<String> periods, List<String> keptUnchanged) {}

  /** {@code settings} and {@code writer}: the run's ({@link GuardedRun#runWriter}, which the caller closes). */
  public IngestJob(IngestConfig.Resolved inputs, PipelineSettings settings, SparkSession spark, TableWriter writer,
      Progress progress) {
    this.inputs = inputs;
    this.config = inputs.config();
    this.settings = settings;
    this.spark = spark;
    this.writer = writer;
    this.progress = progress;
  }

  public Outcome run() {
    Instant start = Instant.now();
    List<String> keepFiles = inputs.keepFiles();
    List<String> eurostatFiles = inputs.eurostatFiles();
    ConfFiles conf = new ConfFiles(config.confDir());
    ProgrammeRules programmeRules = new ProgrammeRules(conf);
    List<IndicatorDefinition> indicators = IndicatorDefinition.load(conf);
    progress.info("run " + config.runId() + ": " + keepFiles.size() + " Keep.eu file(s), " + eurostatFiles.size()
        + " Eurostat file(s), NUTS from " + config.nuts() + ", periods " + (config.periods().isEmpty() ? "all" : config.periods()));
    // the Keep.eu files are most of what the ingestion reads and all of what grows with the export
    CodeGeneration.chooseFor(spark, keepFiles, "Keep.eu files", progress);
    progress.stage("resolve inputs and configuration", "", start);

    Timestamp ingestedAt = Timestamp.from(Instant.now());
    // what the job persisted is released when it ends, whether it succeeded or failed, after the BI copies queued by then
    try (Persisted persisted = new Persisted(); TableWriter.BiCopiesAwaited copies = writer.awaitBiCopiesOnClose()) {
      java.util.LinkedHashMap<String, Long> rows = new java.util.LinkedHashMap<>();
      int outputVersion = settings.outputNutsVersion();
      OutputNutsVersion.requireSameAsWritten(writer, config.output(), outputVersion);

      // NUTS reference data: kept when the output already has it from the same files
      StageContext stages = new StageContext(spark, writer, persisted, progress);
      NutsStage.Result nuts = NutsStage.run(stages, inputs.nutsFiles());
      rows.putAll(nuts.written());
      List<String> unchanged = new ArrayList<>(nuts.kept());
      Dataset<Row> regions = nuts.regions();
      Dataset<Row> conversions = nuts.conversions();
      int keepVersion = settings.keepNutsVersion();
      requireMatrices(conversions, keepVersion, outputVersion);

      // Keep.eu bronze: the periods of this run are replaced, the others stay as they were
      KeepBronzeStage.Result bronze = new KeepBronzeStage(stages)
          .run(keepFiles, config.periods(), config.runId(), ingestedAt);
      rows.putAll(bronze.written());
      List<String> runPeriods = bronze.periods();

      // Keep.eu silver and quarantine, from this run's bronze rows
      KeepSilverStage.Result silver = new KeepSilverStage(stages).run(config.runId(), runPeriods,
          codes(regions, keepVersion, 1), codes(regions, keepVersion, 2), codes(regions, keepVersion, 3), programmeRules);
      rows.putAll(silver.written());

      // Eurostat: kept when the output already has it from the same files, NUTS tables, indicators, settings and code
      EurostatStage.Result eurostat = new EurostatStage(stages)
          .run(eurostatFiles, config.runId(), ingestedAt, nuts, conf, settings, indicators);
      rows.putAll(eurostat.written());
      unchanged.addAll(eurostat.kept());
      writer.copyWhereBiHasNone(unchanged);

      // Audit, from the tables as written: read = accepted + quarantined + skipped for every file, or the run fails
      AuditStage.Result audit = new AuditStage(stages, config.runId()).run(bronze, silver, eurostat);
      rows.put(Tables.INGEST_AUDIT, audit.written());
      return new Outcome(rows, audit.rows(), runPeriods, unchanged);
    }
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
}
