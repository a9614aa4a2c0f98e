package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.analysis.StarSchema;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.ConcurrentWrites.PendingWrite;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The star stage of the analysis: the participation fact, its dimensions and bridges for BI tools,
 * handed back as pending writes (the job writes them concurrently with the gold tables). The
 * dimensions of projects and programmes are whole tables when every period is analysed, so that
 * the list columns of an earlier version go (mergeSchema would keep them).
 */
final class StarStage {
  private StarStage() {}

  static List<PendingWrite> tables(StageContext context, AnalysedPeriods periods, AnalysisInputs inputs,
      Dataset<Row> projectRegions, Dataset<Row> nutsProfile, IciClassifier classifier) {
    Scope scope = periods.scope();
    Scope dimensionScope = periods.dimensionScope();
    Dataset<Row> projects = inputs.projects();
    Dataset<Row> participations = inputs.participations();
    Dataset<Row> programmes = periods.select(inputs.programmes());
    int nutsVersion = inputs.nutsVersion();
    return List.of(
        new PendingWrite(Tables.STAR_FACT_PARTICIPATION, () -> StarSchema.factParticipation(participations, projects)
            .withColumn("nuts_version", lit(nutsVersion)), scope),
        new PendingWrite(Tables.STAR_DIM_PROJECT, () -> StarSchema.dimProject(projects, projectRegions), dimensionScope),
        new PendingWrite(Tables.STAR_DIM_PROGRAMME, () -> StarSchema.dimProgramme(programmes), dimensionScope),
        new PendingWrite(Tables.STAR_DIM_REGION, () -> StarSchema.dimRegion(nutsProfile, participations, inputs.nutsRegions(),
            nutsVersion), scope),
        new PendingWrite(Tables.STAR_DIM_SPECIALIZATION, () -> StarSchema.dimSpecialization(context.spark()), Scope.WHOLE_TABLE),
        new PendingWrite(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION, () -> StarSchema.bridgeProjectSpecialization(projects), scope),
        new PendingWrite(Tables.STAR_BRIDGE_PROGRAMME_COUNTRY, () -> StarSchema.bridgeProgrammeCountry(programmes), scope),
        new PendingWrite(Tables.STAR_BRIDGE_PROJECT_REASON, () -> StarSchema.bridgeProjectReason(projects, classifier.ruleWeights()),
            scope));
  }

  /**
   * An analysis of some periods rewrites star_dim_specialization whole; star rows of the other
   * periods written before the keys were cut to 53 bits would no longer join it: refused, and so is
   * a star_dim_project with the list columns of an earlier version, which a run of some periods would
   * keep beside the new text columns. The message names the analysis that rewrites them for every period.
   */
  static void requireCurrentStarTables(TableWriter writer, AnalysedPeriods periods, String output, String regions) {
    if (periods.everyPeriod() || !writer.exists(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION)) {
      return;
    }
    List<String> old = StarSchema.periodsWithOldKeys(writer.read(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION), "project_key",
        periods.periods()).collectAsList();
    if (!old.isEmpty()) {
      throw new InputException(olderStarTables(periods, output, regions, "hold periods " + old
          + " with keys of an earlier version of ICI Atlas (64-bit)"));
    }
    if (writer.exists(Tables.STAR_DIM_PROJECT) && Arrays.asList(writer.read(Tables.STAR_DIM_PROJECT).columns())
        .contains("ici_reasons")) {
      throw new InputException(olderStarTables(periods, output, regions, "have the list columns of an earlier version of ICI Atlas"
          + " (ici_reasons, countries)"));
    }
  }

  private static String olderStarTables(AnalysedPeriods periods, String output, String regions, String what) {
    return "the analysis of periods " + periods.periods() + " (the output holds others too): the star tables of " + output
        + " " + what + ". Run 'ici-atlas analyse --output " + output + " --regions " + regions + "' once, without --period"
        + " (it rewrites them for every period), then this command again.";
  }
}
