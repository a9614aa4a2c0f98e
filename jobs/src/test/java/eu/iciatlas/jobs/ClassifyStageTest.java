package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.output.TableWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classification stage over an output of an earlier version, whose silver_projects still carries
 * classification columns: 200 projects of 2014-2020 and 100 of 2007-2013 of the shared sample run (and
 * their partners) copied into a temporary output, with a stale is_ici column and no classification
 * table, and an analysis of 2014-2020 alone.
 */
@Tag("pipeline") // reads the shared sample run
class ClassifyStageTest {
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> shared(String table) {
    return spark.read().format("delta").load(SampleRun.get().output().resolve("delta").resolve(table).toString());
  }

  @Test
  void anEarlierVersionsClassificationColumnsLeaveSilverProjectsAndTheRulesDecideAgain(@TempDir Path dir) {
    Dataset<Row> projects = shared(Tables.SILVER_PROJECTS).filter(col("period").equalTo("2014-2020")).orderBy("project_id").limit(200)
        .unionByName(shared(Tables.SILVER_PROJECTS).filter(col("period").equalTo("2007-2013")).orderBy("project_id").limit(100));
    projects.withColumn("is_ici", lit(true)).withColumn("ici_score", lit(99.0))
        .write().format("delta").save(dir.resolve("delta").resolve(Tables.SILVER_PROJECTS).toString());
    shared(Tables.SILVER_PARTICIPATIONS).join(projects.select("project_id"), "project_id")
        .write().format("delta").save(dir.resolve("delta").resolve(Tables.SILVER_PARTICIPATIONS).toString());
    ConfFiles conf = new ConfFiles(TestData.repoRoot().resolve("conf"));
    IciClassifier classifier = new IciClassifier(conf, PipelineSettings.load(conf));

    try (Persisted persisted = new Persisted()) {
      TableWriter writer = new TableWriter(spark, dir.toString(), Progress.silent());
      ClassifyStage.run(new StageContext(spark, writer, persisted, Progress.silent()), AnalysedPeriods.of(writer, List.of("2014-2020")),
          classifier);
      Dataset<Row> after = writer.read(Tables.SILVER_PROJECTS);
      assertFalse(List.of(after.columns()).contains("is_ici") || List.of(after.columns()).contains("ici_score"),
          "the stale columns left silver_projects: " + List.of(after.columns()));
      assertEquals(300, after.count());
      // the columns left every period, so every period is classified, not only the one analysed
      Dataset<Row> classification = writer.read(Tables.SILVER_PROJECT_CLASSIFICATION);
      assertEquals(200, classification.filter(col("period").equalTo("2014-2020")).count());
      assertEquals(100, classification.filter(col("period").equalTo("2007-2013")).count());
      assertEquals(0, classification.filter(col(IciClassifier.RULES_DIGEST).eqNullSafe(classifier.decisionDigest()).unary_$bang())
          .count());
      // the same rules over the same projects and partners decide as in the shared sample run, not as the stale column said
      Dataset<Row> expected = shared(Tables.SILVER_PROJECT_CLASSIFICATION).join(projects.select("period", "project_id"),
          Columns.names("period", "project_id")).select("period", "project_id", "is_ici", "ici_score");
      Dataset<Row> actual = classification.select("period", "project_id", "is_ici", "ici_score");
      assertEquals(0, expected.exceptAll(actual).count());
      assertEquals(0, actual.exceptAll(expected).count());
    }
  }
}
