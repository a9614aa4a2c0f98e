package eu.iciatlas.jobs;

import eu.iciatlas.common.ProgrammePeriods;
import eu.iciatlas.common.analysis.ClusterRegistry;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.analysis.RegionDefinition;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.eurostat.IndicatorDefinition;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.InputSniffer;
import eu.iciatlas.common.io.SourceFiles;
import eu.iciatlas.common.keep.ProgrammeRules;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;

/**
 * Everything a verb can check before a SparkSession starts or a byte is written: options, paths,
 * the first bytes of every input file, the configuration, the --set keys and the region
 * definition. A failure is an {@link InputException} (exit 2, no stack trace, no output folder).
 * File systems are reached through Hadoop with the same spark.hadoop.* settings Spark would use,
 * so hdfs: and s3a: paths are checked too.
 */
final class Preflight {
  private Preflight() {}

  /** The Hadoop configuration Spark would build from this JVM's spark.* properties, without starting Spark. */
  static Configuration hadoopConf() {
    Configuration conf = new Configuration();
    for (scala.Tuple2<String, String> kv : new SparkConf().getAllWithPrefix("spark.hadoop.")) {
      conf.set(kv._1(), kv._2());
    }
    return conf;
  }

  /**
   * The output folder as a fully qualified URI (file:/abs/path, hdfs://nn/path): a relative path is
   * taken relative to the current folder (the default file system's working folder), so Delta's
   * path identifiers and every later step see the same absolute folder.
   */
  static String output(String option, String raw, Configuration conf, boolean mustHoldTables) {
    if (raw == null || raw.isBlank()) {
      throw new InputException(option + ": name an output folder, e.g. " + option + " out/sample");
    }
    Path qualified;
    FileSystem fs;
    try {
      Path path = new Path(raw);
      fs = path.getFileSystem(conf);
      qualified = fs.makeQualified(path);
    } catch (IOException | IllegalArgumentException e) {
      throw new InputException(option + " " + raw + ": not a usable path (" + e.getMessage() + "). Pass a local folder, "
          + "or a URI of a file system the cluster reaches (hdfs://..., s3a://...).", e);
    }
    try {
      if (fs.exists(qualified)) {
        FileStatus status = fs.getFileStatus(qualified);
        if (!status.isDirectory()) {
          throw new InputException(option + " " + raw + ": is a file, not a folder. Name a folder (it is created if missing).");
        }
      } else if (mustHoldTables) {
        throw new InputException(option + " " + raw + ": no such folder. Name the --output of an earlier 'run' or 'ingest'.");
      }
    } catch (IOException e) {
      throw new InputException(option + " " + raw + ": cannot be reached: " + e.getMessage(), e);
    }
    if ("file".equals(qualified.toUri().getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(qualified.toUri().getPath());
      java.nio.file.Path existing = local;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null || !Files.isDirectory(existing)) {
        throw new InputException(option + " " + raw + ": " + existing + " is a file, so the folder cannot be created there.");
      }
      if (!Files.isWritable(existing)) {
        throw new InputException(option + " " + raw + ": " + existing + " is not writable. Choose a folder you can write to.");
      }
    }
    return qualified.toString();
  }

  /** The tables a verb reads must be in the output already; names the verb to run first. */
  static void requireTables(String option, String output, Configuration conf, String runFirst, String... tables) {
    for (String table : tables) {
      Path log = new Path(new Path(new Path(output, "delta"), table), "_delta_log");
      try {
        if (!log.getFileSystem(conf).exists(log)) {
          throw new InputException(option + " " + InputSniffer.display(output) + ": no Delta table " + table
              + " there. Run '" + runFirst + "' (or 'run') with this --output first.");
        }
      } catch (IOException e) {
        throw new InputException(option + " " + InputSniffer.display(output) + ": cannot be reached: " + e.getMessage(), e);
      }
    }
  }

  /** The --period values, each a programme period ({@link ProgrammePeriods}). */
  static List<String> periods(List<String> periods) {
    for (String p : periods) {
      if (!ProgrammePeriods.isPeriod(p)) {
        throw new InputException("--period " + p + ": not a programme period; expected one like " + ProgrammePeriods.EXAMPLES + ".");
      }
    }
    return List.copyOf(periods);
  }

  /** The inputs of an ingestion, expanded once: every file exists and is of the kind its option takes. */
  static IngestConfig.Resolved inputs(IngestConfig config, Configuration conf) {
    IngestConfig.Resolved resolved = config.resolve(conf);
    for (String file : resolved.keepFiles()) {
      InputSniffer.checkKeepFile("--keep", file, conf);
    }
    for (String file : resolved.eurostatFiles()) {
      InputSniffer.checkEurostatFile("--eurostat", file, conf);
    }
    List<String> nuts = resolved.nutsFiles();
    boolean codes = nuts.stream().anyMatch(f -> SourceFiles.baseName(f).toLowerCase(Locale.ROOT).startsWith("nuts_codes"));
    boolean matrices = nuts.stream().anyMatch(f -> SourceFiles.baseName(f).matches("n[123]_cm_v\\d{4}_v\\d{4}\\.csv"));
    for (String codeList : nuts.stream().filter(f -> SourceFiles.baseName(f).toLowerCase(Locale.ROOT).startsWith("nuts_codes")).toList()) {
      String header = SourceFiles.firstLine(codeList, conf);
      List<String> names = header == null ? List.of() : eu.iciatlas.common.io.CsvSources.parseHeader(header,
          eu.iciatlas.common.io.CsvSources.Dialect.COMMA);
      if (!names.containsAll(List.of("NUTS_VERSION", "NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NUTS_NAME"))) {
        throw new InputException("--nuts " + InputSniffer.display(codeList) + ": "
            + (header == null ? "empty file" : "header '" + header + "'") + "; a NUTS code list has the columns"
            + " NUTS_VERSION, NUTS_ID, LEVL_CODE, CNTR_CODE, NUTS_NAME (and URBN_TYPE), like data/sample/nuts/.");
      }
    }
    if (!codes || !matrices) {
      throw new InputException("--nuts " + config.nuts() + ": expected a folder with the NUTS code list (nuts_codes*.csv)"
          + " and the JRC conversion matrices (n<level>_cm_v<from>_v<to>.csv); missing: "
          + (!codes ? "the code list" : "the matrices") + ". The bundled folder is data/sample/nuts/.");
    }
    return resolved;
  }

  /** Every configuration file a run reads, the --set overrides and, for the analysis, the region definition. */
  static PipelineSettings configuration(java.nio.file.Path confDir, List<String> overrides, String regions) {
    ConfFiles conf = new ConfFiles(confDir);
    PipelineSettings settings = PipelineSettings.load(conf, overrides);
    new ProgrammeRules(conf);
    IndicatorDefinition.load(conf);
    eu.iciatlas.common.analysis.RuleErrorRates.load(conf, new IciClassifier(conf, settings).decisionDigest());
    ClusterRegistry.rows(conf);
    if (regions != null) {
      new RegionDefinition(conf, regions);
    }
    return settings;
  }

  /** A --summary-json file: a local file (its folder may be made by the run) that can be written, not a folder. */
  static java.nio.file.Path summaryFile(java.nio.file.Path file) {
    if (file == null) {
      return null;
    }
    if (file.toString().matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
      throw new InputException("--summary-json " + file + ": name a local file (the summary is written by the driver)");
    }
    java.nio.file.Path absolute = file.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      throw new InputException("--summary-json " + file + ": is a folder; name a file, e.g. summary.json");
    }
    java.nio.file.Path existing = absolute.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)
        || (Files.exists(absolute) && !Files.isWritable(absolute))) {
      throw new InputException("--summary-json " + file + ": cannot be written there; choose a file in a folder you can write to");
    }
    return absolute;
  }

  /** Names of the region definitions in a conf folder (for help texts). */
  static String regionDefinitions(java.nio.file.Path confDir) {
    try {
      return String.join(", ", new ConfFiles(confDir).regionDefinitions());
    } catch (InputException e) {
      return "default";
    }
  }

}
