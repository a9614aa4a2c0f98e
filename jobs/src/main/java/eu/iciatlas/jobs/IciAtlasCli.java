package eu.iciatlas.jobs;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkSessions;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.jobs.report.ReportJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Entry point of the application jar and of bin/ici-atlas: one verb per job. */
@Command(name = "ici-atlas", mixinStandardHelpOptions = true, version = "ici-atlas 0.1.0",
    description = "International cluster initiatives in Interreg cooperation: Spark jobs over Keep.eu and Eurostat.",
    subcommands = {IciAtlasCli.Run.class, IciAtlasCli.Ingest.class, IciAtlasCli.Analyse.class, IciAtlasCli.Report.class,
        IciAtlasCli.Generate.class})
public final class IciAtlasCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a verb: run, ingest, analyse, report or generate (see --help)");
  }

  /** --conf, else the repository's conf/ under bin/ici-atlas, else null (the packaged defaults). */
  static Path confDirOrRepository(Path conf) {
    String home = System.getProperty("ici.home");
    return conf == null && home != null && Files.isDirectory(Path.of(home, "conf")) ? Path.of(home, "conf") : conf;
  }

  /** data/sample/NAME of the repository under bin/ici-atlas (the default inputs), else nothing. */
  static List<String> sampleFolder(String name) {
    String home = System.getProperty("ici.home");
    return home == null ? List.of() : List.of(Path.of(home, "data", "sample", name).toString());
  }

  /** Options of every verb: where to write, configuration, periods, run id. */
  static final class RunOptions {
    @Option(names = "--output", required = true, paramLabel = "DIR",
        description = "output folder (Delta tables under DIR/delta, CSV under DIR/bi)")
    String output;

    @Option(names = "--conf", paramLabel = "DIR", description = "configuration folder (default: conf/ of the repository, else the packaged defaults)")
    Path conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key of conf/pipeline.properties (repeatable)")
    List<String> settings = new ArrayList<>();

    @Option(names = "--period", paramLabel = "P", description = "limit the run to this programme period, e.g. 2014-2020 (repeatable)")
    List<String> periods = new ArrayList<>();

    @Option(names = "--run-id", paramLabel = "ID", description = "identifier of this run (default: UTC time + random suffix)")
    String runId;

    Path confDir() {
      return confDirOrRepository(conf);
    }

    String runId() {
      return runId != null ? runId
          : ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
              + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
  }

  /** Inputs of the verbs that ingest. */
  static final class InputOptions {
    @Option(names = "--keep", arity = "1..*", paramLabel = "PATH",
        description = "Keep.eu exports: files, folders or globs; ';' CSV or XLSX, plain or .gz (default: the bundled sample)")
    List<String> keep = new ArrayList<>();

    @Option(names = "--eurostat", arity = "1..*", paramLabel = "PATH",
        description = "Eurostat files: bulk TSV, API TSV, SDMX-CSV or long CSV, plain or .gz (default: the bundled sample)")
    List<String> eurostat = new ArrayList<>();

    @Option(names = "--nuts", paramLabel = "PATH",
        description = "folder with the NUTS code lists and the JRC conversion matrices (default: the bundled sample)")
    String nuts;

    @Mixin
    RunOptions run = new RunOptions();

    IngestConfig toConfig() {
      List<String> keepPaths = keep.isEmpty() ? sampleFolder("keep") : keep;
      List<String> eurostatPaths = eurostat.isEmpty() ? sampleFolder("eurostat") : eurostat;
      String nutsPath = nuts == null ? sampleFolder("nuts").stream().findFirst().orElse(null) : nuts;
      if (keepPaths.isEmpty() || eurostatPaths.isEmpty() || nutsPath == null) {
        throw new InputException("--keep, --eurostat and --nuts are required outside bin/ici-atlas"
            + " (which defaults them to the bundled sample)");
      }
      return new IngestConfig(keepPaths, eurostatPaths, nutsPath, run.periods, run.output, run.confDir(), run.settings,
          run.runId());
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Ingest Keep.eu, Eurostat and NUTS inputs into bronze, silver and quarantine Delta tables.")
  static final class Ingest implements Callable<Integer> {
    @Mixin
    InputOptions options = new InputOptions();

    @Override
    public Integer call() {
      IngestConfig config = options.toConfig();
      SparkSession spark = SparkSessions.getOrCreate("ici-atlas ingest");
      Progress progress = Progress.toStderr();
      GuardedRun.execute(spark, config.output(), config.runId(), commandLine, config, config.confDir(),
          config.settingOverrides(), "-", progress, () -> new IngestJob(config, spark, progress).run().rowsPerTable());
      return 0;
    }
  }

  /** Options of the analysis stage. */
  static final class AnalysisOptions {
    @Option(names = "--regions", paramLabel = "NAME", defaultValue = "default",
        description = "region definition: 'default' (each programme one region) or NAME for conf/regions/NAME.csv, e.g. baltic (default: ${DEFAULT-VALUE})")
    String regions;
  }

  @Command(name = "analyse", mixinStandardHelpOptions = true,
      description = "Classify projects and compute the gold tables from the silver tables already in --output.")
  static final class Analyse implements Callable<Integer> {
    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    AnalysisOptions analysis = new AnalysisOptions();

    @Override
    public Integer call() {
      Path confDir = run.confDir();
      SparkSession spark = SparkSessions.getOrCreate("ici-atlas analyse");
      Progress progress = Progress.toStderr();
      GuardedRun.execute(spark, run.output, run.runId(), commandLine, null, confDir, run.settings, analysis.regions,
          progress, () -> new AnalyseJob(new AnalyseJob.Config(run.output, confDir, run.settings, analysis.regions,
              run.periods, true), spark, progress).run());
      return 0;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run the whole pipeline (ingestion, then the analysis stages) on the given inputs or the bundled sample.")
  static final class Run implements Callable<Integer> {
    @Mixin
    InputOptions options = new InputOptions();

    @Option(names = "--no-report", description = "do not write DIR/report/index.html at the end")
    boolean noReport;

    @Mixin
    AnalysisOptions analysis = new AnalysisOptions();

    @Override
    public Integer call() {
      IngestConfig config = options.toConfig();
      SparkSession spark = SparkSessions.getOrCreate("ici-atlas run");
      Progress progress = Progress.toStderr();
      GuardedRun.execute(spark, config.output(), config.runId(), commandLine, config, config.confDir(),
          config.settingOverrides(), analysis.regions, progress, () -> {
            IngestJob.Outcome ingested = new IngestJob(config, spark, progress).run();
            java.util.Map<String, Long> rows = new java.util.LinkedHashMap<>(ingested.rowsPerTable());
            rows.putAll(new AnalyseJob(new AnalyseJob.Config(config.output(), config.confDir(), config.settingOverrides(),
                analysis.regions, ingested.periods(), false), spark, progress).run());
            return rows;
          });
      if (!noReport) {
        new ReportJob(new ReportJob.Config(config.output(), null), spark, progress).run();
      }
      return 0;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = "Write DIR/report/index.html: the paper's figures and tables from the gold tables already in --output.")
  static final class Report implements Callable<Integer> {
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "output folder of an earlier run or analyse")
    String output;

    @Option(names = "--period", paramLabel = "P",
        description = "programme period to report, e.g. 2014-2020 (default: the latest period with ICI projects)")
    String period;

    @Override
    public Integer call() {
      if (period != null && !period.matches("\\d{4}-\\d{4}")) {
        throw new InputException("--period " + period + ": expected a programme period like 2014-2020");
      }
      SparkSession spark = SparkSessions.getOrCreate("ici-atlas report");
      new ReportJob(new ReportJob.Config(output, period), spark, Progress.toStderr()).run();
      return 0;
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Write a Keep.eu-shaped export (';' CSV, the real layout and dirty-cell rates) at a scale factor, "
          + "with distributions taken from real exports; or the real projects k times (--replicate).")
  static final class Generate implements Callable<Integer> {
    @Option(names = "--scale", paramLabel = "SF",
        description = "scale factor: 1 = all of Keep.eu (35,000 projects, about 150,000 participations)")
    Double scale;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "the same seed gives identical files (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "folder for projects/, partners/ and calls/")
    String output;

    @Option(names = "--replicate", paramLabel = "K", defaultValue = "0",
        description = "instead of a synthetic export: the real rows of --source K times, copies 2..K under new acronyms")
    int replicate;

    @Option(names = "--source", arity = "1..*", paramLabel = "PATH",
        description = "real Keep.eu exports to take the distributions from (default: the bundled sample)")
    List<String> sources = new ArrayList<>();

    @Option(names = "--gzip", description = "write .csv.gz")
    boolean gzip;

    @Option(names = "--projects-per-file", paramLabel = "N", defaultValue = "10000",
        description = "projects per part file; each part is read by one task (default: ${DEFAULT-VALUE})")
    int projectsPerFile;

    @Option(names = "--conf", paramLabel = "DIR", description = "configuration folder (default: conf/ of the repository, else the packaged defaults)")
    Path conf;

    @Override
    public Integer call() {
      if (replicate == 0 && scale == null) {
        throw new InputException("--scale SF is required (or --replicate K for copies of the real export)");
      }
      List<String> from = sources.isEmpty() ? sampleFolder("keep") : sources;
      Path confDir = confDirOrRepository(conf);
      eu.iciatlas.jobs.generate.GeneratorOptions options = new eu.iciatlas.jobs.generate.GeneratorOptions(
          scale == null ? 0 : scale, seed, output, replicate, from, confDir, gzip, projectsPerFile);
      SparkSession spark = SparkSessions.getOrCreate("ici-atlas generate");
      eu.iciatlas.jobs.generate.KeepGenerator.Outcome outcome = eu.iciatlas.jobs.generate.KeepGenerator.generate(spark, options);
      Progress.toStderr().info(String.format(java.util.Locale.ROOT, "generated %,d projects: %,d project rows, %,d partner rows, "
          + "%,d call rows, %,d bytes in %d files under %s", outcome.projects(), outcome.projectRows(), outcome.partnerRows(),
          outcome.callRows(), outcome.bytes(), outcome.files().size(), outcome.output()));
      return 0;
    }
  }

  /** The command line of this process, for run_manifest. */
  static String commandLine = "";

  /** Runs a command line; the exit code is 0 on success, 2 for bad options or inputs. */
  public static int execute(String[] args, java.io.PrintWriter out, java.io.PrintWriter err) {
    commandLine = "ici-atlas " + String.join(" ", args);
    CommandLine cli = new CommandLine(new IciAtlasCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof InputException) {
        commandLine.getErr().println("ici-atlas: " + e.getMessage());
        commandLine.getErr().flush();
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // the report's charts use AWT fonts, never a display
    java.io.PrintWriter out = new java.io.PrintWriter(System.out, true);
    java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
    System.exit(execute(args, out, err));
  }
}
