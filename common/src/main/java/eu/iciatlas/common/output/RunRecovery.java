package eu.iciatlas.common.output;

import eu.iciatlas.common.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Repairs an output folder whose last run died without ending (kill -9, a lost machine, a second
 * SIGTERM): from the journal in its lock file, a run that was still writing has every table put
 * back to its version before the run (Delta RESTORE; tables it created removed; uncommitted files
 * of its unfinished writes deleted) and its staged BI copies discarded; a run that had succeeded
 * and was moving its BI copies into place has that finished. Either way run_manifest gets the dead
 * run's row with outcome 'interrupted' and what was done.
 */
public final class RunRecovery {
  private RunRecovery() {}

  /** Repairs what {@code dead} left and returns one line saying what was done. */
  public static String recover(SparkSession spark, String outputDir, OutputLock.Holder dead, String codeVersion,
      String repairedBy, Progress progress) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    Instant start = Instant.now();
    progress.info("found an interrupted " + dead.describe() + ": " + dead.command() + "; repairing the folder");
    String phase = dead.phase() == null ? "starting" : dead.phase();
    if (OutputLock.PUBLISHING.equals(phase) || OutputLock.PUBLISHED.equals(phase)) {
      // its tables were published (run_manifest says succeeded): finish moving its BI copies
      BiCopies.Published published = BiCopies.publish(outputDir, conf);
      // the data dictionary lists the copies in DIR/bi: written again for what is there now
      try {
        if (BiCopies.biDir(outputDir).getFileSystem(conf).exists(BiCopies.biDir(outputDir))) {
          BiReadme.write(spark, new TableWriter(spark, outputDir, progress), outputDir);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot list " + BiCopies.biDir(outputDir) + ": " + e.getMessage(), e);
      }
      String done = "run " + dead.runId() + " had succeeded; " + published.moved() + " BI copies moved into place"
          + (published.withdrawn().isEmpty() ? "" : ", the earlier copies of " + published.withdrawn() + " removed (bi.silver=false)");
      progress.stage("recover", done, start);
      return done;
    }
    TableWriter writer = new TableWriter(spark, outputDir, progress);
    Map<String, Long> before = dead.versionsBefore() == null ? Map.of() : dead.versionsBefore();
    List<String> restored = new ArrayList<>();
    RunGuard guard = new RunGuard(spark, writer, outputDir, Instant.parse(dead.since()), before);
    if (dead.versionsBefore() != null) {
      restored.addAll(guard.restore());
    }
    int discarded = BiCopies.discard(outputDir, conf);
    if (discarded > 0) {
      restored.add("bi (" + discarded + " staged or half-written export folder(s) removed)");
    }
    guard.ended(new RunGuard.Run(dead.runId(), dead.command(), List.of(), null, codeVersion), "interrupted",
        "the process (host " + dead.host() + ", pid " + dead.pid() + ") ended during its " + phase
            + " phase; repaired by " + repairedBy + " at " + Instant.now(), restored);
    String done = "run " + dead.runId() + " interrupted while " + phase + ": "
        + (restored.isEmpty() ? "no table had changed" : String.join("; ", restored));
    progress.stage("recover", restored.size() + " repair(s)", start);
    progress.info(done);
    return done;
  }
}
