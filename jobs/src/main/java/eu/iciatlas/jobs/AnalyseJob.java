package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.ClusterRegistry;
import eu.iciatlas.common.analysis.GoldTables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.analysis.RegionDefinition;
import eu.iciatlas.common.analysis.EstimatedShares;
import eu.iciatlas.common.analysis.RuleErrorRates;
import eu.iciatlas.common.analysis.TextFreeModel;
import eu.iciatlas.common.analysis.StarSchema;
import eu.iciatlas.common.analysis.StatisticsTables;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.network.LinkageNetworks;
import eu.iciatlas.common.nuts.NutsRecoder;
import eu.iciatlas.common.nuts.OutputNutsVersion;
import eu.iciatlas.common.nuts.PartnerRegions;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.PendingWrite;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * AnalyseJob: the method of docs/METHOD.md over the silver tables of an output folder.
 *
 * <p>Inputs: silver_projects, silver_participations, silver_programmes, silver_region_indicators
 * under {@code DIR/delta/}. Outputs: silver_project_regions (project -> region, with the rule
 * used), the gold tables gold_ici_share, gold_ici_share_summary, gold_specialization_share,
 * gold_country_specialization, gold_cluster_comparison, gold_region_profile, gold_correlations,
 * gold_hypothesis_tests, gold_region_links, gold_organisations, the linkage networks gold_network_summary,
 * gold_network_organisations, gold_network_communities (Delta, and CSV under DIR/bi/),
 * and, when asked to reclassify, silver_projects with a fresh classification. Each table is
 * written in one commit that replaces exactly the analysed periods (Delta replaceWhere on period;
 * all periods of silver_projects unless --period is given). Configuration: conf/regions/&lt;name&gt;.csv, conf/classifier/,
 * conf/clusters.csv, conf/pipeline.properties.
 */
public final class AnalyseJob {
  public record Config(String output, Path confDir, List<String> settingOverrides, String regions, List<String> periods,
      boolean reclassify) {}

  private final Config config;
  private final SparkSession spark;
  private final Progress progress;

  public AnalyseJob(Config config, SparkSession spark, Progress progress) {
    this.config = config;
    this.spark = spark;
    this.progress = progress;
  }

  public Map<String, Long> run() {
    ConfFiles conf = new ConfFiles(config.confDir());
    PipelineSettings settings = PipelineSettings.load(conf, config.settingOverrides());
    RegionDefinition regions = new RegionDefinition(conf, config.regions());
    // BI copies in the background: closing the writer (first) waits for them and fails the run if one failed;
    // then what the job persisted is released, whether it succeeded or failed
    try (Persisted persisted = new Persisted();
        TableWriter writer = TableWriter.withBackgroundExports(spark, config.output(), progress)) {
      writer.require("ingest", Tables.SILVER_PROJECTS, Tables.SILVER_PARTICIPATIONS, Tables.SILVER_PROGRAMMES,
          Tables.SILVER_REGION_INDICATORS);
      Map<String, Long> rows = new LinkedHashMap<>();
      List<String> present = periodsOf(writer.read(Tables.SILVER_PROJECTS));
      List<String> periods = config.periods().isEmpty() ? present : config.periods();
      // every period of the output analysed (also 'run' without --period, which names the periods it ingested):
      // the star dimensions are rewritten whole, so columns and keys of an earlier version go, and the rows of
      // periods silver_projects no longer holds go from every table the analysis writes, not from the dimensions alone
      boolean everyPeriod = periods.containsAll(present);
      java.util.TreeSet<String> replaced = new java.util.TreeSet<>(periods);
      if (everyPeriod && writer.exists(Tables.STAR_FACT_PARTICIPATION)) {
        replaced.addAll(periodsOf(writer.read(Tables.STAR_FACT_PARTICIPATION)));
      }
      Scope scope = Scope.periods("period", replaced, false);
      Scope dimensionScope = everyPeriod ? Scope.WHOLE_TABLE : scope;
      selected = periods;
      progress.info("analysis of periods " + periods + " with region definition " + regions.name() + ", conf " + conf.describe()
          + ", " + settings);
      int keepVersion = settings.keepNutsVersion();
      int nutsVersion = OutputNutsVersion.forAnalysis(writer, config.output(), settings, config.settingOverrides());
      requireCurrentStarKeys(writer, periods, everyPeriod);
      Dataset<Row> conversions = writer.read(Tables.SILVER_NUTS_CONVERSION);
      // Keep.eu codes for the region definitions (written in them); the output version everywhere else
      Dataset<Row> keepParticipations = periods(writer.read(Tables.SILVER_PARTICIPATIONS));
      Dataset<Row> participations = persisted.keep(PartnerRegions.place(keepParticipations, conversions,
          writer.read(Tables.SILVER_NUTS_REGIONS), keepVersion, nutsVersion), StorageLevel.MEMORY_AND_DISK());
      progress.info("region tables in NUTS " + nutsVersion + (nutsVersion == keepVersion ? " (the Keep.eu version)"
          : ": partners placed from the NUTS " + keepVersion + " codes of Keep.eu by their NUTS 3 (gold_partner_nuts_recoding)"));
      Dataset<Row> projects = periods(writer.read(Tables.SILVER_PROJECTS));
      IciClassifier classifier = new IciClassifier(conf, settings);
      RuleErrorRates errorRates = RuleErrorRates.load(conf, classifier.decisionDigest());
      progress.info(errorRates.unusableReason() == null ? "expected shares: " + errorRates.basis()
          : "no expected shares: " + errorRates.unusableReason());
      TextFreeModel textFree = TextFreeModel.load(conf, config.confDir());
      progress.info(textFree.unavailableReason() == null ? String.format(java.util.Locale.ROOT, "estimated shares without text:"
          + " the text-free model, sensitivity %.3f, specificity %.3f (%s)", textFree.rates().sensitivity().value(),
          textFree.rates().specificity().value(), textFree.rates().labels())
          : "no estimated shares without text: " + textFree.unavailableReason());
      if (config.reclassify()) {
        rows.put(Tables.SILVER_PROJECTS, writer.write(Tables.SILVER_PROJECTS,
            classifier.classify(periods(writer.read(Tables.SILVER_PROJECTS)),
            periods(writer.read(Tables.SILVER_PARTICIPATIONS))), scope));
        projects = periods(writer.read(Tables.SILVER_PROJECTS));
      }
      // the gold and star tables need the classification, not the project texts (most of the bytes)
      projects = persisted.keep(projects.drop("title_lang2", "title_lang3", "description_en", "description_1", "description_2",
          "expected_results_en", "expected_results_1", "expected_results_2", "_source_records"), StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> programmes = writer.read(Tables.SILVER_PROGRAMMES);
      Instant start = Instant.now();
      rows.put(Tables.SILVER_PROJECT_REGIONS, writer.write(Tables.SILVER_PROJECT_REGIONS,
          regions.assign(spark, projects, keepParticipations, programmes), scope));
      Dataset<Row> projectRegions = periods(writer.read(Tables.SILVER_PROJECT_REGIONS));
      progress.stage("assign projects to regions", "definition " + regions.name(), start);

      // Independent tables are written concurrently (TableWriter.writeConcurrently); first the two that others read
      Instant goldStart = Instant.now();
      int tablesBefore = rows.size();
      Dataset<Row> clusters = ClusterRegistry.load(spark, conf);
      final Dataset<Row> allProjects = projects;
      rows.putAll(writer.writeConcurrently(List.of(
          new PendingWrite(Tables.GOLD_ICI_SHARE, () -> GoldTables.iciShare(allProjects, projectRegions, participations, errorRates), scope),
          new PendingWrite(Tables.GOLD_REGION_PROFILE, () -> GoldTables.regionProfile(allProjects, participations,
              writer.read(Tables.SILVER_REGION_INDICATORS)).withColumn("nuts_version", lit(nutsVersion)), scope),
          new PendingWrite(Tables.GOLD_PARTNER_NUTS_RECODING, () -> PartnerRegions.report(participations, keepVersion,
              nutsVersion), scope))));
      Dataset<Row> iciShare = periods(writer.read(Tables.GOLD_ICI_SHARE));
      Dataset<Row> nutsProfile = periods(writer.read(Tables.GOLD_REGION_PROFILE));
      Dataset<Row> regionProfile = StatisticsTables.regionLevelProfile(iciShare, projectRegions, participations, nutsProfile);
      // NUTS 2 correlations count only the projects of the definition's regions (all projects for "default")
      Dataset<Row> inDefinition = projectRegions.filter(col("region_id").isNotNull()).select("project_id");
      Dataset<Row> definitionParticipations = regions.isDefault() ? participations
          : participations.join(inDefinition, eu.iciatlas.common.Columns.names("project_id"), "left_semi");
      Dataset<Row> scopedProfile = regions.isDefault() ? nutsProfile : GoldTables.regionProfile(projects,
          definitionParticipations, writer.read(Tables.SILVER_REGION_INDICATORS));
      Dataset<Row> definitionFootprints = definitionFootprints(spark, regions, conversions,
          writer.read(Tables.SILVER_NUTS_REGIONS), keepVersion, nutsVersion, periods);
      rows.putAll(writer.writeConcurrently(List.of(
          // the slowest first (bootstrap intervals on the driver), so that the others fill the other threads
          new PendingWrite(Tables.GOLD_CORRELATIONS, () -> StatisticsTables.correlations(spark, scopedProfile, regionProfile,
              settings.bootstrapResamples(), settings.bootstrapSeed()).withColumn("nuts_version", lit(nutsVersion)), scope),
          new PendingWrite(Tables.GOLD_ICI_SHARE_SUMMARY, () -> GoldTables.iciShareSummary(iciShare, errorRates), scope),
          new PendingWrite(Tables.GOLD_ICI_SHARE_ESTIMATED, () -> EstimatedShares.table(spark, textFree.model(), textFree.rates(),
              textFree.unavailableReason(), allProjects.join(programmes.select("programme_key", "strand"), "programme_key"),
              projectRegions, iciShare, settings.bootstrapResamples(), settings.bootstrapSeed()), scope),
          new PendingWrite(Tables.GOLD_SPECIALIZATION_SHARE, () -> GoldTables.specializationShare(allProjects, projectRegions,
              iciShare), scope),
          new PendingWrite(Tables.GOLD_COUNTRY_SPECIALIZATION, () -> GoldTables.countrySpecialization(allProjects,
              projectRegions, participations), scope),
          new PendingWrite(Tables.GOLD_CLUSTER_COMPARISON, () -> GoldTables.clusterComparison(allProjects, projectRegions,
              clusters), scope),
          new PendingWrite(Tables.GOLD_HYPOTHESIS_TESTS, () -> StatisticsTables.hypothesisTests(spark, iciShare,
              GoldTables.regionsWithClusters(projectRegions, clusters)), scope),
          new PendingWrite(Tables.GOLD_CORRELATION_POINTS, () -> StatisticsTables.correlationPoints(scopedProfile,
              regionProfile).withColumn("nuts_version", lit(nutsVersion)), scope),
          new PendingWrite(Tables.GOLD_REGION_FOOTPRINT, () -> GoldTables.regionFootprint(projectRegions, participations,
              definitionFootprints).withColumn("nuts_version", lit(nutsVersion)), scope),
          // links, like the NUTS 2 correlations, among the definition's projects only (all projects for "default")
          new PendingWrite(Tables.GOLD_REGION_LINKS, () -> GoldTables.regionLinks(allProjects, definitionParticipations)
              .withColumn("nuts_version", lit(nutsVersion)), scope),
          new PendingWrite(Tables.GOLD_ORGANISATIONS, () -> GoldTables.organisations(allProjects, participations), scope),
          new PendingWrite(Tables.STAR_FACT_PARTICIPATION, () -> StarSchema.factParticipation(participations, allProjects)
              .withColumn("nuts_version", lit(nutsVersion)), scope),
          // every period: whole tables, so that the list columns of an earlier version go (mergeSchema would keep them)
          new PendingWrite(Tables.STAR_DIM_PROJECT, () -> StarSchema.dimProject(allProjects, projectRegions), dimensionScope),
          new PendingWrite(Tables.STAR_DIM_PROGRAMME, () -> StarSchema.dimProgramme(periods(programmes)), dimensionScope),
          new PendingWrite(Tables.STAR_DIM_REGION, () -> StarSchema.dimRegion(nutsProfile, participations,
              writer.read(Tables.SILVER_NUTS_REGIONS), nutsVersion), scope),
          new PendingWrite(Tables.STAR_DIM_SPECIALIZATION, () -> StarSchema.dimSpecialization(spark), Scope.WHOLE_TABLE),
          new PendingWrite(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION, () -> StarSchema.bridgeProjectSpecialization(allProjects), scope),
          new PendingWrite(Tables.STAR_BRIDGE_PROGRAMME_COUNTRY, () -> StarSchema.bridgeProgrammeCountry(periods(programmes)), scope),
          new PendingWrite(Tables.STAR_BRIDGE_PROJECT_REASON, () -> StarSchema.bridgeProjectReason(allProjects, classifier.ruleWeights()), scope))));
      progress.stage("gold and star tables", (rows.size() - tablesBefore) + " tables", goldStart);

      if (!settings.networksEnabled()) {
        progress.info("linkage networks skipped (" + PipelineSettings.NETWORKS_ENABLED + "=false): the three network tables"
            + " keep what an earlier run wrote");
        return rows;
      }
      Instant networkStart = Instant.now();
      try (LinkageNetworks networks = new LinkageNetworks(allProjects, projectRegions, participations,
          settings.betweennessExactMaxNodes(), settings.betweennessSampleSources(), settings.bootstrapSeed(), progress)) {
        progress.stage("linkage networks measured", "components, PageRank, communities, triangles; betweenness",
            networkStart);
        rows.putAll(writer.writeConcurrently(List.of(
            new PendingWrite(Tables.GOLD_NETWORK_SUMMARY, () -> networks.summary().withColumn("nuts_version", lit(nutsVersion)), scope),
            new PendingWrite(Tables.GOLD_NETWORK_ORGANISATIONS, networks::organisations, scope),
            new PendingWrite(Tables.GOLD_NETWORK_COMMUNITIES, networks::communities, scope))));
      }
      progress.stage("linkage network tables", "3 tables", networkStart);
      return rows;
    }
  }

  /**
   * The definition's footprints (NUTS prefixes of the Keep.eu version) in the output version; a
   * code that reaches no output region is named in the log and missing from the outline.
   */
  private Dataset<Row> definitionFootprints(SparkSession spark, RegionDefinition regions, Dataset<Row> conversions,
      Dataset<Row> nutsRegions, int keepVersion, int nutsVersion, List<String> periods) {
    Dataset<Row> footprints = regions.footprints(spark).filter(col("period").isin(periods.toArray()));
    if (keepVersion == nutsVersion) {
      return footprints;
    }
    NutsRecoder.Areas areas = NutsRecoder.areas(footprints, List.of("period", "region_id"), conversions, keepVersion, nutsVersion,
        NutsRecoder.level2(nutsRegions, nutsVersion));
    for (Row r : areas.unconverted().orderBy("period", "region_id", "code").collectAsList()) {
      progress.info("warning: region " + r.getAs("region_id") + " (" + r.getAs("period") + "): footprint code " + r.getAs("code")
          + " of NUTS " + keepVersion + " has no NUTS " + nutsVersion + " region; it is missing from gold_region_footprint");
    }
    for (Row r : areas.approximations().orderBy(col("period"), col("region_id"), col("code").asc_nulls_first()).collectAsList()) {
      String what = r.isNullAt(r.fieldIndex("code"))
          ? String.format(java.util.Locale.ROOT, "%.0f %% of the outline's area lies outside the footprint",
              100 * r.<Double>getAs("beyond_share"))
          : String.format(java.util.Locale.ROOT, "%.0f %% of footprint code %s (NUTS %d) lies outside the outline",
              100 * r.<Double>getAs("outside_share"), r.getAs("code"), keepVersion);
      progress.info("note: region " + r.getAs("region_id") + " (" + r.getAs("period") + "): approximate outline in NUTS "
          + nutsVersion + ": " + what + " (gold_region_footprint basis definition_approximate)");
    }
    return areas.areas();
  }

  /**
   * An analysis of some periods rewrites star_dim_specialization whole; star rows of the other
   * periods written before the keys were cut to 53 bits would no longer join it: refused.
   */
  private void requireCurrentStarKeys(TableWriter writer, List<String> periods, boolean everyPeriod) {
    if (everyPeriod || !writer.exists(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION)) {
      return;
    }
    List<String> old = StarSchema.periodsWithOldKeys(writer.read(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION), "project_key",
        periods);
    if (!old.isEmpty()) {
      throw new InputException(olderStarTables(periods, "hold periods " + old + " with keys of an earlier version of ICI Atlas"
          + " (64-bit)"));
    }
    // list columns of an earlier version: a run of some periods would keep them beside the new text columns
    if (writer.exists(Tables.STAR_DIM_PROJECT) && java.util.Arrays.asList(writer.read(Tables.STAR_DIM_PROJECT).columns())
        .contains("ici_reasons")) {
      throw new InputException(olderStarTables(periods, "have the list columns of an earlier version of ICI Atlas"
          + " (ici_reasons, countries)"));
    }
  }

  /** What to do when the star tables are of an earlier version and only some periods are analysed. */
  private String olderStarTables(List<String> periods, String what) {
    return "the analysis of periods " + periods + " (the output holds others too): the star tables of " + config.output()
        + " " + what + ". Run 'ici-atlas analyse --output " + config.output() + " --regions " + config.regions()
        + "' once, without --period (it rewrites them for every period), then this command again.";
  }

  private static List<String> periodsOf(Dataset<Row> table) {
    return table.select("period").distinct().orderBy("period").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  private List<String> selected = List.of();

  private Dataset<Row> periods(Dataset<Row> rows) {
    return rows.filter(col("period").isin(selected.toArray()));
  }
}
