package eu.iciatlas.jobs;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import java.time.Instant;
import java.util.Map;

/**
 * The classification stage, the analysis's first: silver_project_classification, each project of the
 * analysed periods scored by the rules of conf/classifier/ over its texts, themes and partnership. It
 * is a stage of the analysis, not of the ingestion, so that a run classifies once and 'analyse' after
 * a change of the rules classifies again without ingesting; silver_projects stays as delivered.
 */
final class ClassifyStage {
  private ClassifyStage() {}

  static Map<String, Long> run(StageContext context, AnalysedPeriods periods, IciClassifier classifier) {
    Instant start = Instant.now();
    long rows = context.writer().write(Tables.SILVER_PROJECT_CLASSIFICATION, classifier.classification(
        periods.select(context.writer().read(Tables.SILVER_PROJECTS)),
        periods.select(context.writer().read(Tables.SILVER_PARTICIPATIONS))), periods.scope());
    context.progress().stage("classify projects", "rules " + classifier.decisionDigest(), start);
    return Map.of(Tables.SILVER_PROJECT_CLASSIFICATION, rows);
  }
}
