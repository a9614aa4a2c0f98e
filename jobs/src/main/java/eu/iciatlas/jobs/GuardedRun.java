package eu.iciatlas.jobs;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.io.InputFiles;
import eu.iciatlas.common.output.BiReadme;
import eu.iciatlas.common.output.RunGuard;
import eu.iciatlas.common.output.TableWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** Runs a verb's jobs under a {@link RunGuard}: run_manifest row on success, restore + manifest on failure. */
final class GuardedRun {
  private GuardedRun() {}

  static Map<String, Long> execute(SparkSession spark, String output, String runId, String commandLine, IngestConfig inputs,
      Path confDir, List<String> overrides, String regions, Progress progress, Supplier<Map<String, Long>> body) {
    TableWriter writer = new TableWriter(spark, output, progress);
    RunGuard guard = new RunGuard(spark, writer, output);
    List<String> files = inputs == null ? List.of() : inputFiles(spark, inputs);
    String configHash = configurationHash(confDir, overrides, regions);
    String code = codeVersion();
    try {
      Map<String, Long> rows = body.get();
      guard.record(runId, commandLine, files, configHash, code, rows, "succeeded", null, List.of());
      progress.info("data dictionary: " + eu.iciatlas.common.io.InputSniffer.display(BiReadme.write(spark, writer, output).toString()));
      progress.info("run " + runId + " succeeded; run_manifest updated");
      return rows;
    } catch (RuntimeException e) {
      List<String> restored = guard.restore();
      progress.info("run " + runId + " FAILED: " + e.getMessage());
      progress.info("every table is back at its version before the run: " + (restored.isEmpty() ? "nothing had changed" : restored));
      guard.record(runId, commandLine, files, configHash, code, new LinkedHashMap<>(), "failed", String.valueOf(e.getMessage()),
          restored);
      throw e;
    }
  }

  private static List<String> inputFiles(SparkSession spark, IngestConfig c) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<String> files = new ArrayList<>();
    try {
      files.addAll(InputFiles.expand("--keep", c.keep(), List.of("csv", "xlsx"), conf));
      files.addAll(InputFiles.expand("--eurostat", c.eurostat(), List.of("tsv", "csv"), conf));
      files.addAll(InputFiles.expand("--nuts", List.of(c.nuts()), List.of("csv"), conf));
    } catch (RuntimeException e) {
      // the job itself reports bad inputs with a precise message
    }
    return files;
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
    String version = IciAtlasCli.class.getPackage().getImplementationVersion();
    String commit = System.getProperty("ici.git.commit");
    return (version == null ? "dev" : version) + (commit == null || commit.isBlank() ? "" : "+" + commit);
  }
}
