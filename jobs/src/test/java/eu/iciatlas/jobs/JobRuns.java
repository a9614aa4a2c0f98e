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
    PipelineSettings settings = settings(config.confDir(), config.settingOverrides());
    try (TableWriter writer = GuardedRun.runWriter(spark, config.output(), progress, settings)) {
      return new IngestJob(inputs, settings, spark, writer, progress).run();
    }
  }

  static Map<String, Long> analyse(SparkSession spark, AnalyseJob.Config config, Progress progress) {
    PipelineSettings settings = settings(config.confDir(), config.settingOverrides());
    try (TableWriter writer = GuardedRun.runWriter(spark, config.output(), progress, settings)) {
      return new AnalyseJob(config, settings, spark, writer, progress).run();
    }
  }

  private static PipelineSettings settings(Path confDir, List<String> overrides) {
    return PipelineSettings.load(new ConfFiles(confDir), overrides);
  }
}
