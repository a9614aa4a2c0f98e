package eu.iciatlas.jobs;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.RegionDefinition;
import java.time.Instant;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The regions stage of the analysis: silver_project_regions, each project of the analysed periods
 * assigned to the definition's cross-border regions (with the rule used), from its partners' NUTS
 * codes as Keep.eu delivered them (the version the definitions are written in) and its programme.
 */
final class RegionsStage {
  /** The rows written, and the table as written (the analysed periods). */
  record Result(Map<String, Long> written, Dataset<Row> projectRegions) {}

  private RegionsStage() {}

  static Result run(StageContext context, AnalysedPeriods periods, AnalysisInputs inputs, RegionDefinition regions) {
    Instant start = Instant.now();
    long rows = context.writer().write(Tables.SILVER_PROJECT_REGIONS, regions.assign(context.spark(), inputs.projects(),
        inputs.keepParticipations(), inputs.programmes()), periods.scope());
    Dataset<Row> projectRegions = periods.select(context.writer().read(Tables.SILVER_PROJECT_REGIONS));
    context.progress().stage("assign projects to regions", "definition " + regions.name(), start);
    return new Result(Map.of(Tables.SILVER_PROJECT_REGIONS, rows), projectRegions);
  }
}
