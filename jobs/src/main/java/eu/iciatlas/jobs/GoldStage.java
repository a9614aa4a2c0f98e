package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.EstimatedShares;
import eu.iciatlas.common.analysis.GoldTables;
import eu.iciatlas.common.analysis.RegionDefinition;
import eu.iciatlas.common.analysis.RuleErrorRates;
import eu.iciatlas.common.analysis.StatisticsTables;
import eu.iciatlas.common.analysis.TextFreeModel;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.nuts.NutsRecoder;
import eu.iciatlas.common.nuts.PartnerRegions;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.ConcurrentWrites;
import eu.iciatlas.common.output.ConcurrentWrites.PendingWrite;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The gold stage of the analysis: first the two tables the others read (gold_ici_share,
 * gold_region_profile), and gold_partner_nuts_recoding with them, written here; then the other gold
 * tables, handed back as pending writes, so that the job writes them concurrently with the star tables.
 */
final class GoldStage {
  /** The written tables the other gold and the star tables read, and the rows written. */
  record Basis(Dataset<Row> iciShare, Dataset<Row> nutsProfile, Map<String, Long> written) {}

  private final StageContext context;
  private final AnalysedPeriods periods;
  private final AnalysisInputs inputs;
  private final RegionDefinition regions;
  private final PipelineSettings settings;

  GoldStage(StageContext context, AnalysedPeriods periods, AnalysisInputs inputs, RegionDefinition regions,
      PipelineSettings settings) {
    this.context = context;
    this.periods = periods;
    this.inputs = inputs;
    this.regions = regions;
    this.settings = settings;
  }

  /** Writes the ICI shares per region, the NUTS 2 profiles and how the partners were placed. */
  Basis writeBasis(Dataset<Row> projectRegions, RuleErrorRates errorRates) {
    TableWriter writer = context.writer();
    Scope scope = periods.scope();
    Dataset<Row> projects = inputs.projects();
    Dataset<Row> participations = inputs.participations();
    int nutsVersion = inputs.nutsVersion();
    Map<String, Long> written = ConcurrentWrites.write(writer, List.of(
        new PendingWrite(Tables.GOLD_ICI_SHARE, () -> GoldTables.iciShare(projects, projectRegions, participations, errorRates), scope),
        new PendingWrite(Tables.GOLD_REGION_PROFILE, () -> GoldTables.regionProfile(projects, participations,
            writer.read(Tables.SILVER_REGION_INDICATORS)).withColumn("nuts_version", lit(nutsVersion)), scope),
        new PendingWrite(Tables.GOLD_PARTNER_NUTS_RECODING, () -> PartnerRegions.report(participations, inputs.keepVersion(),
            nutsVersion), scope)));
    return new Basis(periods.select(writer.read(Tables.GOLD_ICI_SHARE)), periods.select(writer.read(Tables.GOLD_REGION_PROFILE)),
        written);
  }

  /** The other gold tables, the slowest first (bootstrap intervals on the driver), so that the others fill the other threads. */
  List<PendingWrite> tables(Basis basis, Dataset<Row> projectRegions, RuleErrorRates errorRates, TextFreeModel textFree,
      Dataset<Row> clusters) {
    SparkSession spark = context.spark();
    TableWriter writer = context.writer();
    Scope scope = periods.scope();
    Dataset<Row> projects = inputs.projects();
    Dataset<Row> participations = inputs.participations();
    int nutsVersion = inputs.nutsVersion();
    Dataset<Row> iciShare = basis.iciShare();
    Dataset<Row> nutsProfile = basis.nutsProfile();
    Dataset<Row> regionProfile = StatisticsTables.regionLevelProfile(iciShare, projectRegions, participations, nutsProfile);
    // NUTS 2 correlations count only the projects of the definition's regions (all projects for "default")
    Dataset<Row> inDefinition = projectRegions.filter(col("region_id").isNotNull()).select("project_id");
    Dataset<Row> definitionParticipations = regions.isDefault() ? participations
        : participations.join(inDefinition, Columns.names("project_id"), "left_semi");
    Dataset<Row> scopedProfile = regions.isDefault() ? nutsProfile : GoldTables.regionProfile(projects,
        definitionParticipations, writer.read(Tables.SILVER_REGION_INDICATORS));
    Dataset<Row> definitionFootprints = definitionFootprints();
    return List.of(
        new PendingWrite(Tables.GOLD_CORRELATIONS, () -> StatisticsTables.correlations(spark, scopedProfile, regionProfile,
            settings.bootstrapResamples(), settings.bootstrapSeed()).withColumn("nuts_version", lit(nutsVersion)), scope),
        new PendingWrite(Tables.GOLD_ICI_SHARE_SUMMARY, () -> GoldTables.iciShareSummary(iciShare, errorRates), scope),
        new PendingWrite(Tables.GOLD_ICI_SHARE_ESTIMATED, () -> EstimatedShares.table(spark, textFree.model(), textFree.rates(),
            textFree.unavailableReason(), projects.join(inputs.programmes().select("programme_key", "strand"), "programme_key"),
            projectRegions, iciShare, settings.bootstrapResamples(), settings.bootstrapSeed()), scope),
        new PendingWrite(Tables.GOLD_SPECIALIZATION_SHARE, () -> GoldTables.specializationShare(projects, projectRegions,
            iciShare), scope),
        new PendingWrite(Tables.GOLD_COUNTRY_SPECIALIZATION, () -> GoldTables.countrySpecialization(projects,
            projectRegions, participations), scope),
        new PendingWrite(Tables.GOLD_CLUSTER_COMPARISON, () -> GoldTables.clusterComparison(projects, projectRegions,
            clusters), scope),
        new PendingWrite(Tables.GOLD_HYPOTHESIS_TESTS, () -> StatisticsTables.hypothesisTests(spark, iciShare,
            GoldTables.regionsWithClusters(projectRegions, clusters)), scope),
        new PendingWrite(Tables.GOLD_CORRELATION_POINTS, () -> StatisticsTables.correlationPoints(scopedProfile,
            regionProfile).withColumn("nuts_version", lit(nutsVersion)), scope),
        new PendingWrite(Tables.GOLD_REGION_FOOTPRINT, () -> GoldTables.regionFootprint(projectRegions, participations,
            definitionFootprints).withColumn("nuts_version", lit(nutsVersion)), scope),
        // links, like the NUTS 2 correlations, among the definition's projects only (all projects for "default")
        new PendingWrite(Tables.GOLD_REGION_LINKS, () -> GoldTables.regionLinks(projects, definitionParticipations)
            .withColumn("nuts_version", lit(nutsVersion)), scope),
        new PendingWrite(Tables.GOLD_ORGANISATIONS, () -> GoldTables.organisations(projects, participations), scope));
  }

  /**
   * The definition's footprints (NUTS prefixes of the Keep.eu version) in the output version; a
   * code that reaches no output region is named in the log and missing from the outline.
   */
  private Dataset<Row> definitionFootprints() {
    int keepVersion = inputs.keepVersion();
    int nutsVersion = inputs.nutsVersion();
    Progress progress = context.progress();
    Dataset<Row> footprints = regions.footprints(context.spark()).filter(col("period").isin(periods.periods().toArray()));
    if (keepVersion == nutsVersion) {
      return footprints;
    }
    NutsRecoder.Areas areas = NutsRecoder.areas(footprints, List.of("period", "region_id"), inputs.conversions(), keepVersion,
        nutsVersion, eu.iciatlas.common.nuts.NutsCodeLists.level2(inputs.nutsRegions(), nutsVersion));
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
}
