package eu.iciatlas.jobs;

import eu.iciatlas.common.BroadcastJoins;
import eu.iciatlas.common.CodeGeneration;
import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.ClusterRegistry;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.analysis.RegionDefinition;
import eu.iciatlas.common.analysis.RuleErrorRates;
import eu.iciatlas.common.analysis.TextFreeModel;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.nuts.OutputNutsVersion;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.ConcurrentWrites;
import eu.iciatlas.common.output.ConcurrentWrites.PendingWrite;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * AnalyseJob: the method of docs/METHOD.md over the silver tables of an output folder.
 *
 * <p>Inputs: silver_projects, silver_participations, silver_programmes, silver_region_indicators,
 * silver_nuts_regions and silver_nuts_conversion under {@code DIR/delta/}. Outputs:
 * silver_project_classification (the rules' decision, score, reasons and specializations per project),
 * silver_project_regions (project -> region, with the rule used); the gold tables gold_ici_share, gold_region_profile,
 * gold_partner_nuts_recoding, gold_ici_share_summary, gold_ici_share_estimated, gold_specialization_share,
 * gold_country_specialization, gold_cluster_comparison, gold_correlations, gold_correlation_points,
 * gold_hypothesis_tests, gold_region_footprint, gold_region_links, gold_organisations; the star tables
 * star_fact_participation, star_dim_project, star_dim_programme, star_dim_region, star_dim_specialization
 * and three bridges; the linkage networks gold_network_summary, gold_network_organisations,
 * gold_network_communities (Delta, and the BI copies the data dictionary gives them). Each table is
 * written in one commit that replaces exactly the analysed periods (Delta replaceWhere on period; all
 * periods of silver_projects unless --period is given). Configuration: conf/regions/&lt;name&gt;.csv,
 * conf/classifier/, conf/clusters.csv, conf/pipeline.properties.
 *
 * <p>The job reads the conf tables (the settings come from the run), decides the periods ({@link AnalysedPeriods}) and wires its
 * stages over the inputs they share ({@link AnalysisInputs}): {@link ClassifyStage} (before the inputs
 * are read: they carry the classification); {@link RegionsStage}; {@link GoldStage}
 * (first the tables the others read), then the other gold tables and {@link StarStage}'s in one
 * concurrent batch; {@link NetworkStage}.
 */
public final class AnalyseJob {
  public record Config(String output, Path confDir, List<String> settingOverrides, String regions, List<String> periods) {}

  private final Config config;
  private final PipelineSettings settings;
  private final SparkSession spark;
  private final TableWriter writer;
  private final Progress progress;

  /** {@code settings} and {@code writer}: the run's ({@link GuardedRun#runWriter}, which the caller closes). */
  public AnalyseJob(Config config, PipelineSettings settings, SparkSession spark, TableWriter writer, Progress progress) {
    this.config = config;
    this.settings = settings;
    this.spark = spark;
    this.writer = writer;
    this.progress = progress;
  }

  public Map<String, Long> run() {
    ConfFiles conf = new ConfFiles(config.confDir());
    RegionDefinition regions = new RegionDefinition(conf, config.regions());
    // the two silver tables that grow with the export (every version on disk: an upper bound of what is read)
    List<String> inputTables = List.of(writer.deltaPath(Tables.SILVER_PROJECTS), writer.deltaPath(Tables.SILVER_PARTICIPATIONS));
    long inputBytes = CodeGeneration.bytes(spark.sparkContext().hadoopConfiguration(), inputTables);
    String input = "silver_projects and silver_participations";
    CodeGeneration.chooseFor(spark, inputBytes, input, progress);
    BroadcastJoins.chooseFor(spark, inputBytes, inputTables, input, progress);
    // what the job persisted is released when it ends, whether it succeeded or failed, after the BI copies queued by then
    try (Persisted persisted = new Persisted(); TableWriter.BiCopiesAwaited copies = writer.awaitBiCopiesOnClose()) {
      StageContext stages = new StageContext(spark, writer, persisted, progress);
      writer.require("ingest", Tables.SILVER_PROJECTS, Tables.SILVER_PARTICIPATIONS, Tables.SILVER_PROGRAMMES,
          Tables.SILVER_REGION_INDICATORS);
      // the ingestion's tables, which an analysis does not write: their copies where bi/ has none (an ingestion with
      // bi.silver=false, then an analysis with true), so that the notebooks find what this run's settings promise
      writer.copyWhereBiHasNone(List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PARTICIPATIONS, Tables.SILVER_PROGRAMMES,
          Tables.SILVER_CALLS, Tables.SILVER_NUTS_REGIONS, Tables.SILVER_REGION_INDICATORS));
      Map<String, Long> rows = new LinkedHashMap<>();
      AnalysedPeriods periods = AnalysedPeriods.of(writer, config.periods());
      progress.info("analysis of periods " + periods.periods() + " with region definition " + regions.name());
      int keepVersion = settings.keepNutsVersion();
      int nutsVersion = OutputNutsVersion.forAnalysis(writer, config.output(), settings, config.settingOverrides());
      StarStage.requireCurrentStarTables(writer, periods, config.output(), config.regions());
      progress.info("region tables in NUTS " + nutsVersion + (nutsVersion == keepVersion ? " (the Keep.eu version)"
          : ": partners placed from the NUTS " + keepVersion + " codes of Keep.eu by their NUTS 3 (gold_partner_nuts_recoding)"));
      IciClassifier classifier = new IciClassifier(conf, settings);
      RuleErrorRates errorRates = RuleErrorRates.load(conf, classifier.decisionDigest());
      progress.info(errorRates.unusableReason() == null ? "expected shares: " + errorRates.basis()
          : "no expected shares: " + errorRates.unusableReason());
      TextFreeModel textFree = TextFreeModel.load(conf, config.confDir());
      progress.info(textFree.unavailableReason() == null ? String.format(java.util.Locale.ROOT, "estimated shares without text:"
          + " the text-free model, sensitivity %.3f, specificity %.3f (%s)", textFree.rates().sensitivity().value(),
          textFree.rates().specificity().value(), textFree.rates().labels())
          : "no estimated shares without text: " + textFree.unavailableReason());
      rows.putAll(ClassifyStage.run(stages, periods, classifier));
      // read after the classification: a Delta table's rows are those of its version when it is read
      AnalysisInputs inputs = AnalysisInputs.read(stages, periods, keepVersion, nutsVersion);

      RegionsStage.Result assigned = RegionsStage.run(stages, periods, inputs, regions);
      rows.putAll(assigned.written());
      Dataset<Row> projectRegions = assigned.projectRegions();

      // the gold tables the others read first; then the other gold and the star tables, written concurrently
      Instant goldStart = Instant.now();
      int tablesBefore = rows.size();
      Dataset<Row> clusters = ClusterRegistry.load(spark, conf);
      GoldStage gold = new GoldStage(stages, periods, inputs, regions, settings);
      GoldStage.Basis basis = gold.writeBasis(projectRegions, errorRates);
      rows.putAll(basis.written());
      List<PendingWrite> writes = new ArrayList<>(gold.tables(basis, projectRegions, errorRates, textFree, clusters));
      writes.addAll(StarStage.tables(stages, periods, inputs, projectRegions, basis.nutsProfile(), classifier));
      rows.putAll(ConcurrentWrites.write(writer, writes));
      progress.stage("gold and star tables", (rows.size() - tablesBefore) + " tables", goldStart);

      rows.putAll(NetworkStage.run(stages, periods, inputs, projectRegions, settings));
      return rows;
    }
  }
}
