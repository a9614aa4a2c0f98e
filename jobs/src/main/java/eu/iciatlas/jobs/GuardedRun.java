package eu.iciatlas.jobs;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.StopRequest;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.output.BiCopies;
import eu.iciatlas.common.output.BiDatabase;
import eu.iciatlas.common.output.BiWorkbook;
import eu.iciatlas.common.output.DataDictionary;
import eu.iciatlas.common.output.BiReadme;
import eu.iciatlas.common.output.OutOfSpace;
import eu.iciatlas.common.output.OutputLock;
import eu.iciatlas.common.output.RunRecovery;
import eu.iciatlas.common.output.RunGuard;
import eu.iciatlas.common.output.TableWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a verb's jobs as one published-or-not run over an output folder it holds the lock of
 * ({@link OutputLock}): repairs what an interrupted earlier run left, journals the table versions
 * before the run, writes run_manifest 'running' first; on success the row 'succeeded' with every
 * table's published version, then moves the staged BI copies into DIR/bi; on failure or a stop
 * request it restores every table and discards the staged copies, and the row says so.
 */
final class GuardedRun {
  private GuardedRun() {}

  /** Takes the folder's lock for a run (before Spark starts: a held folder is refused at once). */
  static OutputLock lock(String output, String runId, String commandLine) {
    return OutputLock.acquire(output, runId, commandLine, Preflight.hadoopConf());
  }

  /** Repairs the folder if the lock was taken over from a run that died; returns what was done, or null. */
  static String repairIfInterrupted(SparkSession spark, OutputLock lock, String output, Progress progress) {
    return lock.interrupted().map(dead -> {
      String done = RunRecovery.recover(spark, output, dead, codeVersion(), "run " + lock.holder().runId(), progress);
      lock.repaired();
      return done;
    }).orElse(null);
  }

  /**
   * What a run is, as run_manifest records it: its output, id and command line; the input files it reads
   * ({@link IngestConfig.Resolved}; none for 'analyse', which reads the output's tables); the configuration
   * folder (null: the packaged defaults), the --set overrides and the region definition (none for
   * 'ingest'), which make its configuration digest.
   */
  record Request(String output, String runId, String commandLine, java.util.Optional<IngestConfig.Resolved> inputs,
      Path confDir, List<String> overrides, java.util.Optional<String> regions) {
    static Request ingest(IngestConfig.Resolved inputs, String commandLine) {
      IngestConfig config = inputs.config();
      return new Request(config.output(), config.runId(), commandLine, java.util.Optional.of(inputs), config.confDir(),
          config.settingOverrides(), java.util.Optional.empty());
    }

    static Request run(IngestConfig.Resolved inputs, String commandLine, String regions) {
      IngestConfig config = inputs.config();
      return new Request(config.output(), config.runId(), commandLine, java.util.Optional.of(inputs), config.confDir(),
          config.settingOverrides(), java.util.Optional.of(regions));
    }

    static Request analyse(String output, String runId, String commandLine, Path confDir, List<String> overrides, String regions) {
      return new Request(output, runId, commandLine, java.util.Optional.empty(), confDir, overrides, java.util.Optional.of(regions));
    }

    String configurationHash() {
      // "-": how the digest has always named a run without a region definition (so that digests stay comparable)
      return GuardedRun.configurationHash(confDir, overrides, regions.orElse("-"));
    }
  }

  /**
   * The writer of a run: BI copies in the background, staged until the run is published, with the silver copies the
   * settings ask for. One per run: its stages and its guard share it.
   */
  static TableWriter runWriter(SparkSession spark, String output, Progress progress, PipelineSettings settings) {
    return runWriter(spark, output, progress, settings, DataDictionary.packaged());
  }

  private static TableWriter runWriter(SparkSession spark, String output, Progress progress, PipelineSettings settings,
      DataDictionary dictionary) {
    return TableWriter.withBackgroundExports(spark, output, progress, dictionary.withSilverBiCopies(settings.biSilverCopies()));
  }

  /** The stages of a run, over the run's one writer and its settings (read and logged once); returns the rows written per table. */
  @FunctionalInterface
  interface Body {
    Map<String, Long> run(TableWriter writer, PipelineSettings settings);
  }

  /** Runs {@code body} as one published-or-not run. */
  static Map<String, Long> execute(SparkSession spark, OutputLock lock, Request request, Progress progress, Body body) {
    return execute(spark, lock, request, progress, DataDictionary.packaged(), body);
  }

  /** As {@link #execute(SparkSession, OutputLock, Request, Progress, Body)}, with another dictionary (tests). */
  static Map<String, Long> execute(SparkSession spark, OutputLock lock, Request request, Progress progress,
      DataDictionary dictionary, Body body) {
    StopRequest.newRun();
    String output = request.output();
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // before anything in the output is touched: an input gone since the checks ends the run here, with its option named
    request.inputs().ifPresent(inputs -> inputs.requireStillThere(hadoop));
    List<String> files = request.inputs().map(IngestConfig.Resolved::all).orElse(List.of());
    repairIfInterrupted(spark, lock, output, progress);
    // the effective configuration, once per run (the jobs name only what they read and write)
    ConfFiles conf = new ConfFiles(request.confDir());
    PipelineSettings settings = PipelineSettings.load(conf, request.overrides());
    progress.info("configuration: " + conf.describe() + ", " + settings + request.regions().map(r -> ", region definition " + r)
        .orElse(""));
    try (TableWriter writer = runWriter(spark, output, progress, settings, dictionary)) {
      return guarded(spark, lock, request, progress, body, writer, settings, files);
    }
  }

  private static Map<String, Long> guarded(SparkSession spark, OutputLock lock, Request request, Progress progress,
      Body body, TableWriter writer, PipelineSettings settings, List<String> files) {
    String output = request.output();
    String runId = request.runId();
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    RunGuard guard = new RunGuard(spark, writer, output);
    lock.journal(OutputLock.RUNNING, guard.versionsBefore());
    BiCopies.discard(output, hadoop);
    RunGuard.Run run = new RunGuard.Run(runId, request.commandLine(), files, request.configurationHash(), codeVersion());
    guard.running(run);
    try {
      Map<String, Long> rows = body.run(writer, settings);
      // the single-file copies are made from the staged Parquet copies
      writer.awaitBiCopies();
      stageSingleFiles(writer, output, hadoop, progress, runId);
      if (!settings.biSilverCopies()) {
        // the silver copies of earlier runs would no longer agree with the tables: the publication removes them (or
        // the recovery that finishes it after a crash)
        BiCopies.stageWithdrawal(output, hadoop, DataDictionary.SILVER_PREFIX);
      }
      StopRequest.check("recording the run as succeeded");
      guard.succeeded(run, rows);
      lock.journal(OutputLock.PUBLISHING, null);
      BiCopies.Published published = BiCopies.publish(output, hadoop);
      if (!published.withdrawn().isEmpty()) {
        progress.info("bi.silver=false: the BI copies of earlier runs of " + published.withdrawn() + " removed from bi/ (the"
            + " Delta tables hold them)");
      }
      progress.info("data dictionary: " + eu.iciatlas.common.io.InputSniffer.display(BiReadme.write(spark, writer, output).toString()));
      lock.journal(OutputLock.PUBLISHED, null);
      progress.info("run " + runId + " succeeded; run_manifest updated; " + published.moved() + " BI copies published");
      return rows;
    } catch (Exception | Error e) {
      // Exception, not only RuntimeException: Scala code throws SparkException (checked) undeclared
      StopRequest.acknowledge();
      String stoppedBy = StopRequest.requested();
      RuntimeException failure = OutOfSpace.explain(e instanceof RuntimeException r ? r
          : new IllegalStateException(e.getMessage(), e), output);
      try {
        // no copy may still read a table while it is restored, or write into the staging folder once it is discarded
        writer.awaitBiCopies();
      } catch (RuntimeException copyFailure) {
        failure.addSuppressed(copyFailure);
      }
      List<String> restored = guard.restore();
      try {
        BiCopies.discard(output, hadoop);
      } catch (RuntimeException discardFailure) {
        // DIR/bi is untouched either way; the staging folder is discarded again at the next run's start
        progress.info("the staged BI copies could not be removed (" + discardFailure.getMessage() + "); DIR/bi is unchanged and"
            + " the next run removes DIR/bi/_staging");
      }
      String outcome = stoppedBy != null ? "stopped" : "failed";
      String error = stoppedBy != null ? "stopped by SIG" + stoppedBy : String.valueOf(failure.getMessage());
      progress.info("run " + runId + (stoppedBy != null ? " STOPPED (SIG" + stoppedBy + ")" : " FAILED: " + failure.getMessage()));
      boolean complete = restored.stream().noneMatch(r -> r.contains("NOT restored"));
      progress.info((complete ? "every table is back at its version before the run: " : "some tables could not be restored: ")
          + (restored.isEmpty() ? "nothing had changed" : restored));
      if (!complete) {
        lock.keepForRecovery();
        progress.info("the lock stays, so the next start (or 'bin/ici-atlas recover --output " + output + "') repairs them");
      }
      try {
        guard.ended(run, outcome, error, restored);
      } catch (Exception recordFailure) {
        progress.info("run_manifest could not record the failure: " + recordFailure.getMessage());
      }
      if (e instanceof Error fatal && !(failure instanceof OutOfSpace.Failure)) {
        throw fatal;
      }
      throw failure;
    }
  }

  /**
   * The one-file BI copies, staged with the others: DIR/bi/ici_atlas.xlsx (the paper's figures and tables) and
   * DIR/bi/ici_atlas.duckdb from the Parquet copies (or a line that says why not). They are conveniences over the
   * tables, so a failure to write one does not undo the run: it says so and removes the earlier copy, which would no
   * longer agree with the tables.
   */
  static void stageSingleFiles(TableWriter writer, String output, org.apache.hadoop.conf.Configuration hadoop, Progress progress,
      String runId) {
    optionalFile(BiWorkbook.FILE, output, hadoop, progress, () -> {
      int sheets = BiWorkbook.stage(output, hadoop, table -> writer.exists(table) ? writer.read(table) : null);
      return sheets + " sheets of figures and tables";
    });
    String unavailable = BiDatabase.unavailableReason(output, hadoop);
    if (unavailable != null) {
      progress.info("bi/" + BiDatabase.FILE + " not written: " + unavailable);
      return;
    }
    optionalFile(BiDatabase.FILE, output, hadoop, progress, () -> {
      int tables = BiDatabase.stage(output, hadoop, DataDictionary.packaged(),
          table -> writer.exists(table) ? writer.read(table).schema() : null, writer::latestVersion, runId);
      return tables + " tables and " + BiDatabase.MEASURES.size() + " measure views";
    });
  }

  private static void optionalFile(String file, String output, org.apache.hadoop.conf.Configuration hadoop, Progress progress,
      Supplier<String> stage) {
    long start = System.nanoTime();
    try {
      String what = stage.get();
      progress.info(String.format(java.util.Locale.ROOT, "bi/%s: %s (%.1f s)", file, what, (System.nanoTime() - start) / 1e9));
    } catch (RuntimeException | LinkageError e) {
      if (StopRequest.requested() != null) {
        throw e;
      }
      progress.info("bi/" + file + " not written: " + e.getMessage() + "; the earlier copy is removed (it would not agree with"
          + " the tables); the CSV and Parquet copies are complete");
      try {
        org.apache.hadoop.fs.FileSystem fs = BiCopies.biDir(output).getFileSystem(hadoop);
        for (org.apache.hadoop.fs.Path p : List.of(new org.apache.hadoop.fs.Path(BiCopies.biDir(output), file),
            new org.apache.hadoop.fs.Path(BiCopies.stagingDir(output), file))) {
          fs.delete(p, false);
        }
      } catch (IOException cleanup) {
        progress.info("bi/" + file + ": the earlier copy could not be removed: " + cleanup.getMessage());
      }
    }
  }

  /** SHA-256 over every file of the configuration folder (path and content), the overrides and the region definition. */
  static String configurationHash(Path confDir, List<String> overrides, String regions) {
    List<String> texts = new ArrayList<>();
    if (confDir == null) {
      texts.add("packaged configuration of " + codeVersion());
    } else {
      try (Stream<Path> files = Files.walk(confDir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          texts.add(confDir.relativize(f).toString());
          texts.add(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        texts.add("unreadable: " + e.getMessage());
      }
    }
    texts.addAll(overrides);
    texts.add("regions=" + regions);
    return RunGuard.sha256(texts);
  }

  static String codeVersion() {
    String version = GuardedRun.class.getPackage().getImplementationVersion();
    String commit = System.getProperty("ici.git.commit");
    return (version == null ? "dev" : version) + (commit == null || commit.isBlank() ? "" : "+" + commit);
  }
}
