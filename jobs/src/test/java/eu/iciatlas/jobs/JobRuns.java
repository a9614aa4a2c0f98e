package eu.iciatlas.jobs;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.output.TableWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A job run by a test outside a guarded run: over a run's writer of its own (as {@link GuardedRun} opens one), whose
 * BI copies stay staged (tests that need them published publish them, as {@link SampleRun} does).
 */
final class JobRuns {
  private JobRuns() {}

  static IngestJob.Outcome ingest(SparkSession spark, IngestConfig config, Progress progress) {
    IngestConfig.Resolved inputs = config.resolve(spark.sparkContext().hadoopConfiguration());
    try (TableWriter writer = writer(spark, config.output(), config.confDir(), config.settingOverrides(), progress)) {
      return new IngestJob(inputs, spark, writer, progress).run();
    }
  }

  static Map<String, Long> analyse(SparkSession spark, AnalyseJob.Config config, Progress progress) {
    try (TableWriter writer = writer(spark, config.output(), config.confDir(), config.settingOverrides(), progress)) {
      return new AnalyseJob(config, spark, writer, progress).run();
    }
  }

  private static TableWriter writer(SparkSession spark, String output, Path confDir, List<String> overrides, Progress progress) {
    return GuardedRun.runWriter(spark, output, progress, PipelineSettings.load(new ConfFiles(confDir), overrides));
  }
}
