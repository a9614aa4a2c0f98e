package eu.iciatlas.jobs;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.nuts.PartnerRegions;
import eu.iciatlas.common.output.TableWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The silver rows every analysis stage reads: the participations of the analysed periods as Keep.eu
 * delivered them (its NUTS version, which the region definitions are written in) and placed in the
 * output version; the projects of the analysed periods with their classification
 * (silver_project_classification) but without their texts and lineage (most of the bytes, which no gold or star table needs); the programmes of every
 * period (the region assignment and the estimated shares join them by key; the star stage selects the
 * analysed periods itself); the NUTS tables and both NUTS versions.
 */
record AnalysisInputs(Dataset<Row> keepParticipations, Dataset<Row> participations, Dataset<Row> projects,
    Dataset<Row> programmes, Dataset<Row> conversions, Dataset<Row> nutsRegions, int keepVersion, int nutsVersion) {

  private static final String[] NOT_ANALYSED = {"title_lang2", "title_lang3", "description_en", "description_1", "description_2",
      "expected_results_en", "expected_results_1", "expected_results_2", "_source_records"};

  static AnalysisInputs read(StageContext context, AnalysedPeriods periods, int keepVersion, int nutsVersion) {
    TableWriter writer = context.writer();
    Dataset<Row> conversions = writer.read(Tables.SILVER_NUTS_CONVERSION);
    Dataset<Row> nutsRegions = writer.read(Tables.SILVER_NUTS_REGIONS);
    Dataset<Row> keepParticipations = periods.select(writer.read(Tables.SILVER_PARTICIPATIONS));
    java.util.Set<String> outputLevel2 = keepVersion == nutsVersion ? java.util.Set.of()
        : eu.iciatlas.common.nuts.NutsCodeLists.level2(nutsRegions, nutsVersion);
    Dataset<Row> participations = context.persisted().keep(PartnerRegions.place(keepParticipations, conversions, nutsRegions,
        keepVersion, nutsVersion, outputLevel2), StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> projects = context.persisted().keep(IciClassifier.withClassification(
        periods.select(writer.read(Tables.SILVER_PROJECTS)).drop(NOT_ANALYSED),
        periods.select(writer.read(Tables.SILVER_PROJECT_CLASSIFICATION))), StorageLevel.MEMORY_AND_DISK());
    return new AnalysisInputs(keepParticipations, participations, projects, writer.read(Tables.SILVER_PROGRAMMES), conversions,
        nutsRegions, keepVersion, nutsVersion);
  }
}
