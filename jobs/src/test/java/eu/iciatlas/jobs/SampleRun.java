package eu.iciatlas.jobs;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The one full run of the bundled sample per test JVM, made on first use (like the shared
 * SparkSession): ingestion twice into the same output (the second run shows rerun identity), then
 * the analysis of every period with the Baltic region definition. Tests that only read its tables
 * share it; a test that needs other inputs or writes into an output makes its own, small run.
 */
final class SampleRun {
  record Result(Path output, IngestJob.Outcome first, IngestJob.Outcome second, Map<String, Long> gold) {
    Dataset<Row> table(String name) {
      return SparkTestSession.get().read().format("delta").load(output.resolve("delta").resolve(name).toString());
    }
  }

  private static Result result;
  /** The run id the shared run's single-file BI copies name (the jobs run outside a guarded run here). */
  static final String RUN_ID = "sample-run";

  private SampleRun() {}

  static synchronized Result get() {
    if (result == null) {
      try {
        result = run();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return result;
  }

  /**
   * Where the run goes: a fixed folder of the build, so that the standalone-cluster test (a later
   * JVM of the same mvn verify) compares its cluster run with this one instead of running the
   * sample locally again; {@link #completeMarker()} beside it is written last.
   */
  static Path folder() {
    return TestData.repoRoot().resolve("jobs/target/shared-sample-run");
  }

  /** Written when the run has succeeded; older than the code, conf or sample it is stale. */
  static Path completeMarker() {
    return folder().resolveSibling("shared-sample-run.complete");
  }

  private static Result run() throws java.io.IOException {
    Files.deleteIfExists(completeMarker());
    TestData.deleteRecursively(folder());
    Path output = Files.createDirectories(folder());
    Progress progress = new Progress(new PrintStream(System.err, true));
    IngestJob.Outcome first = JobRuns.ingest(SparkTestSession.get(), config(output, "run-1"), progress);
    IngestJob.Outcome second = JobRuns.ingest(SparkTestSession.get(), config(output, "run-2"), progress);
    Map<String, Long> gold = JobRuns.analyse(SparkTestSession.get(), new AnalyseJob.Config(output.toString(), TestData.repoRoot().resolve("conf"),
        List.of(), "baltic", List.of()), progress);
    // as a guarded run does once it has succeeded: the jobs' BI copies (and the single-file xlsx and DuckDB copies) are
    // staged until then, and the data dictionary (bi/README.md, bi/datapackage.json) is written after them
    eu.iciatlas.common.output.TableWriter writer = new eu.iciatlas.common.output.TableWriter(SparkTestSession.get(),
        output.toString(), progress);
    GuardedRun.stageSingleFiles(writer, output.toString(), SparkTestSession.get().sparkContext().hadoopConfiguration(), progress,
        RUN_ID);
    eu.iciatlas.common.output.BiCopies.publish(output.toUri().toString(), SparkTestSession.get().sparkContext().hadoopConfiguration());
    eu.iciatlas.common.output.BiReadme.write(SparkTestSession.get(), writer, output.toString());
    Files.writeString(completeMarker(), "the shared sample run of a test JVM succeeded into " + output + "\n");
    return new Result(output, first, second, gold);
  }

  private static IngestConfig config(Path output, String runId) {
    return new IngestConfig(List.of(TestData.sample("keep").toString()), List.of(TestData.sample("eurostat").toString()),
        TestData.sample("nuts").toString(), List.of(), output.toString(), TestData.repoRoot().resolve("conf"), List.of(), runId);
  }
}
