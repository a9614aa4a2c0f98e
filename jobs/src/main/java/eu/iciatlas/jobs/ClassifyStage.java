package eu.iciatlas.jobs;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The classification stage, the analysis's first: silver_project_classification, each project of the
 * analysed periods scored by the rules of conf/classifier/ over its texts, themes and partnership,
 * with the digest of those rules. It is a stage of the analysis, not of the ingestion, so that a run
 * classifies once and 'analyse' after a change of the rules classifies again without ingesting;
 * silver_projects stays as delivered.
 */
final class ClassifyStage {
  private ClassifyStage() {}

  static Map<String, Long> run(StageContext context, AnalysedPeriods periods, IciClassifier classifier) {
    Instant start = Instant.now();
    TableWriter writer = context.writer();
    Map<String, Long> written = new LinkedHashMap<>();
    Dataset<Row> projects = writer.read(Tables.SILVER_PROJECTS);
    List<String> legacy = IciClassifier.CLASSIFICATION_COLUMNS.stream().filter(List.of(projects.columns())::contains).toList();
    Scope scope = periods.scope();
    Dataset<Row> participations = writer.read(Tables.SILVER_PARTICIPATIONS);
    if (legacy.isEmpty()) {
      projects = periods.select(projects);
      participations = periods.select(participations);
    } else {
      // an output of a version that kept the classification on silver_projects: the columns leave it (every period, one
      // commit), and every period is classified, so that no period is left without a classification
      context.progress().info("silver_projects of an earlier version: its classification columns (" + String.join(", ", legacy)
          + ") leave it and every period of it is classified into " + Tables.SILVER_PROJECT_CLASSIFICATION);
      written.put(Tables.SILVER_PROJECTS, writer.write(Tables.SILVER_PROJECTS, projects.drop(legacy.toArray(new String[0])),
          Scope.WHOLE_TABLE));
      projects = writer.read(Tables.SILVER_PROJECTS);
      scope = Scope.WHOLE_TABLE;
    }
    written.put(Tables.SILVER_PROJECT_CLASSIFICATION, writer.write(Tables.SILVER_PROJECT_CLASSIFICATION,
        classifier.classification(projects, participations), scope));
    context.progress().stage("classify projects", "rules " + classifier.decisionDigest(), start);
    return written;
  }
}
