package eu.iciatlas.jobs;

import eu.iciatlas.common.BroadcastJoins;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkSessions;
import eu.iciatlas.common.analysis.IciModel;
import eu.iciatlas.common.generate.ExportGenerator;
import eu.iciatlas.common.generate.GeneratorOptions;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.jobs.report.ReportJob;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the application jar and of bin/ici-atlas: one verb per job. Every verb checks
 * its options, paths, input files and configuration ({@link Preflight}) before a SparkSession
 * starts, so bad input fails in a second with exit 2 and nothing written.
 */
@Command(name = "ici-atlas", mixinStandardHelpOptions = true, versionProvider = IciAtlasCli.Version.class,
    description = "International cluster initiatives in Interreg cooperation: Spark jobs over Keep.eu and Eurostat.",
    subcommands = {IciAtlasCli.Run.class, IciAtlasCli.Ingest.class, IciAtlasCli.Analyse.class, IciAtlasCli.Report.class,
        IciAtlasCli.Generate.class, IciAtlasCli.TrainClassifier.class, IciAtlasCli.Recover.class, IciAtlasCli.Submit.class})
public final class IciAtlasCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "show the stack trace of a failure (also: environment ICI_DEBUG=1)")
  boolean debug;

  @Option(names = "--quiet", scope = ScopeType.INHERIT,
      description = "no progress lines on stderr; the closing summary still goes to stdout")
  boolean quiet;

  /** Makes the SparkSession of a verb; called only after every check has passed. */
  private final Function<String, SparkSession> sessions;
  private final String commandLine;
  private PrintWriter out;

  IciAtlasCli(Function<String, SparkSession> sessions, String commandLine) {
    this.sessions = sessions;
    this.commandLine = commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "name a verb: run, ingest, analyse, report, recover, generate, train-classifier or submit (see --help)");
  }

  SparkSession session(String name) {
    return sessions.apply(name);
  }

  Progress progress() {
    return quiet ? Progress.silent() : Progress.toStderr();
  }

  /** --version: the release and the git commit bin/ici-atlas (or the jar's manifest) knows. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ici-atlas " + GuardedRun.codeVersion(),
          "Spark " + SparkSession.class.getPackage().getImplementationVersion() + ", Java " + System.getProperty("java.version")};
    }
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
        description = "output folder, relative or absolute, or a hdfs:/s3a: URI (Delta tables under DIR/delta, BI copies under DIR/bi)")
    String output;

    @Option(names = "--conf", paramLabel = "DIR", description = "configuration folder (default: conf/ of the repository, else the packaged defaults)")
    Path conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key of conf/pipeline.properties (repeatable)")
    List<String> settings = new ArrayList<>();

    @Option(names = "--period", paramLabel = "P", description = "limit the run to this programme period, e.g. 2014-2020 (repeatable)")
    List<String> periods = new ArrayList<>();

    /** Shorthand for --set output.nuts.version=YEAR, checked with the other settings. */
    @Option(names = "--nuts-version", paramLabel = "YEAR",
        description = "NUTS version of the region tables, map and correlations: 2013, 2016, 2021 or 2024 (default: 2013;"
            + " analyse: the version the ingestion wrote)")
    void nutsVersion(String year) {
      settings.add(eu.iciatlas.common.config.PipelineSettings.OUTPUT_NUTS_VERSION + "=" + year);
    }

    @Option(names = "--run-id", paramLabel = "ID", description = "identifier of this run (default: UTC time + random suffix)")
    String runId;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "also write the closing summary as JSON to FILE (for scripts and schedulers)")
    Path summaryJson;

    Path confDir() {
      return confDirOrRepository(conf);
    }

    String runId() {
      if (runId != null && !runId.matches("[A-Za-z0-9._:-]{1,100}")) {
        throw new InputException("--run-id " + runId + ": use letters, digits and . _ : - (at most 100)");
      }
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

    /** The checked configuration of an ingestion, with its input files: every path exists and every file is of its kind. */
    IngestConfig.Resolved toCheckedInputs(Configuration hadoop, String regions) {
      List<String> keepPaths = keep.isEmpty() ? sampleFolder("keep") : keep;
      List<String> eurostatPaths = eurostat.isEmpty() ? sampleFolder("eurostat") : eurostat;
      String nutsPath = nuts == null ? sampleFolder("nuts").stream().findFirst().orElse(null) : nuts;
      if (keepPaths.isEmpty() || eurostatPaths.isEmpty() || nutsPath == null) {
        throw new InputException("--keep, --eurostat and --nuts are required outside bin/ici-atlas"
            + " (which defaults them to the bundled sample)");
      }
      List<String> periods = Preflight.periods(run.periods);
      Preflight.configuration(run.confDir(), run.settings, regions);
      Preflight.summaryFile(run.summaryJson);
      String output = Preflight.output("--output", run.output, hadoop, false);
      IngestConfig config = new IngestConfig(keepPaths, eurostatPaths, nutsPath, periods, output, run.confDir(),
          run.settings, run.runId());
      return Preflight.inputs(config, hadoop);
    }
  }

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = "Ingest Keep.eu, Eurostat and NUTS inputs into bronze, silver and quarantine Delta tables.")
  static final class Ingest implements Callable<Integer> {
    @ParentCommand
    IciAtlasCli cli;

    @Mixin
    InputOptions options = new InputOptions();

    @Override
    public Integer call() {
      IngestConfig.Resolved inputs = options.toCheckedInputs(Preflight.hadoopConf(), null);
      return cli.guardedRun("ingest", GuardedRun.Request.ingest(inputs, cli.commandLine), inputs.config().periods(), false, true,
          options.run.summaryJson, (spark, progress) ->
              (writer, settings) -> new IngestJob(inputs, settings, spark, writer, progress).run().rowsPerTable());
    }
  }

  /** Options of the analysis stage. */
  static final class AnalysisOptions {
    @Option(names = "--regions", paramLabel = "NAME", defaultValue = "default",
        description = "region definition: 'default' (each programme one region) or NAME for conf/regions/NAME.csv; "
            + "found: ${sys:ici.regions.available} (default: ${DEFAULT-VALUE})")
    String regions;

    @Option(names = "--no-report", description = "do not write DIR/report/index.html at the end")
    boolean noReport;
  }

  @Command(name = "analyse", mixinStandardHelpOptions = true,
      description = "Classify projects and compute the gold tables from the silver tables already in --output, then the report.")
  static final class Analyse implements Callable<Integer> {
    @ParentCommand
    IciAtlasCli cli;

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    AnalysisOptions analysis = new AnalysisOptions();

    @Override
    public Integer call() {
      Configuration hadoop = Preflight.hadoopConf();
      List<String> periods = Preflight.periods(run.periods);
      Path confDir = run.confDir();
      Preflight.configuration(confDir, run.settings, analysis.regions);
      Preflight.summaryFile(run.summaryJson);
      String output = Preflight.output("--output", run.output, hadoop, true);
      Preflight.requireTables("--output", output, hadoop, "ingest", eu.iciatlas.common.Tables.SILVER_PROJECTS,
          eu.iciatlas.common.Tables.SILVER_PARTICIPATIONS, eu.iciatlas.common.Tables.SILVER_PROGRAMMES,
          eu.iciatlas.common.Tables.SILVER_REGION_INDICATORS);
      GuardedRun.Request request = GuardedRun.Request.analyse(output, run.runId(), cli.commandLine, confDir, run.settings,
          analysis.regions);
      return cli.guardedRun("analyse", request, periods, true, analysis.noReport, run.summaryJson, (spark, progress) ->
          (writer, settings) -> new AnalyseJob(new AnalyseJob.Config(output, confDir, run.settings, analysis.regions, periods),
              settings, spark, writer, progress).run());
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run the whole pipeline (ingestion, then the analysis stages, then the report) on the given inputs or the bundled sample.")
  static final class Run implements Callable<Integer> {
    @ParentCommand
    IciAtlasCli cli;

    @Mixin
    InputOptions options = new InputOptions();

    @Mixin
    AnalysisOptions analysis = new AnalysisOptions();

    @Override
    public Integer call() {
      IngestConfig.Resolved inputs = options.toCheckedInputs(Preflight.hadoopConf(), analysis.regions);
      IngestConfig config = inputs.config();
      return cli.guardedRun("run", GuardedRun.Request.run(inputs, cli.commandLine, analysis.regions), config.periods(), true,
          analysis.noReport, options.run.summaryJson, (spark, progress) -> (writer, settings) -> {
            IngestJob.Outcome ingested = new IngestJob(inputs, settings, spark, writer, progress).run();
            Map<String, Long> rows = new LinkedHashMap<>(ingested.rowsPerTable());
            rows.putAll(new AnalyseJob(new AnalyseJob.Config(config.output(), config.confDir(), config.settingOverrides(),
                analysis.regions, ingested.periods()), settings, spark, writer, progress).run());
            return rows;
          });
    }
  }

  /**
   * A verb's run over its output folder: the folder's lock (taken before Spark starts, so a held folder is refused at
   * once), the session, the guarded run of the stages {@code stages} gives for that session, then (for a run that
   * analysed) the report, and the summary. {@code noReport}: --no-report (an ingestion writes none).
   */
  private int guardedRun(String verb, GuardedRun.Request request, List<String> periods, boolean analysed, boolean noReport,
      Path summaryJson, java.util.function.BiFunction<SparkSession, Progress, GuardedRun.Body> stages) {
    try (eu.iciatlas.common.output.OutputLock lock = GuardedRun.lock(request.output(), request.runId(), commandLine)) {
      SparkSession spark = session("ici-atlas " + verb);
      Progress progress = progress();
      GuardedRun.execute(spark, lock, request, progress, stages.apply(spark, progress));
      if (analysed) {
        report(spark, request.output(), noReport, progress);
      }
      RunSummary.of(spark, request.output(), request.runId(), periods, analysed, analysed && !noReport).print(out, summaryJson);
    }
    return 0;
  }

  /**
   * The report of a run that succeeded, still under its lock. It reads only the tables the run published, so it is
   * not part of the run's guard: a report that fails leaves those tables as they are and says how to write it again.
   */
  private static void report(SparkSession spark, String output, boolean noReport, Progress progress) {
    if (noReport) {
      progress.info("report not written (--no-report); DIR/report/index.html, if any, is from an earlier run");
      return;
    }
    try {
      new ReportJob(new ReportJob.Config(output, null), spark, progress).run();
    } catch (RuntimeException e) {
      progress.info("the run succeeded and its tables are published; the report was not written (DIR/report/index.html, if"
          + " any, is from an earlier run): write it with bin/ici-atlas report --output " + output);
      throw e;
    }
  }

  @Command(name = "report", mixinStandardHelpOptions = true,
      description = {"Write DIR/report/index.html: the paper's figures and tables from the gold tables already in --output,",
          "for the region definition the analysis used (definitions found: ${sys:ici.regions.available})."})
  static final class Report implements Callable<Integer> {
    @ParentCommand
    IciAtlasCli cli;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "output folder of an earlier run or analyse")
    String output;

    @Option(names = "--period", paramLabel = "P",
        description = "programme period the report opens on (it holds every period; default: the latest period with ICI projects)")
    String period;

    @Override
    public Integer call() {
      if (period != null) {
        Preflight.periods(List.of(period));
      }
      Configuration hadoop = Preflight.hadoopConf();
      String qualified = Preflight.output("--output", output, hadoop, true);
      Preflight.requireTables("--output", qualified, hadoop, "analyse", ReportJob.REQUIRED.toArray(new String[0]));
      // the report is written into the folder: one writer at a time, and it reads a repaired folder
      try (eu.iciatlas.common.output.OutputLock lock = GuardedRun.lock(qualified, "report-" + UUID.randomUUID(), cli.commandLine)) {
        SparkSession spark = cli.session("ici-atlas report");
        GuardedRun.repairIfInterrupted(spark, lock, qualified, cli.progress());
        org.apache.hadoop.fs.Path page = new ReportJob(new ReportJob.Config(qualified, period), spark, cli.progress()).run();
        cli.out.println("report: " + eu.iciatlas.common.io.InputSniffer.display(page.toString()));
      }
      return 0;
    }
  }

  @Command(name = "recover", mixinStandardHelpOptions = true,
      description = {"Repair an output folder whose last run was interrupted (kill -9, a lost machine): its tables go back",
          "to the versions of the last successful run and run_manifest says so. Every verb does this at its start;",
          "this verb does only that."})
  static final class Recover implements Callable<Integer> {
    @ParentCommand
    IciAtlasCli cli;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "output folder to repair")
    String output;

    @Option(names = "--force", description = "also take over a lock held by a run on another host (say so only when that run is gone)")
    boolean force;

    @Override
    public Integer call() {
      Configuration hadoop = Preflight.hadoopConf();
      String qualified = Preflight.output("--output", output, hadoop, true);
      String runId = "recover-" + UUID.randomUUID().toString().substring(0, 8);
      try (eu.iciatlas.common.output.OutputLock lock = force
          ? eu.iciatlas.common.output.OutputLock.acquireForcing(qualified, runId, cli.commandLine, hadoop)
          : GuardedRun.lock(qualified, runId, cli.commandLine)) {
        if (lock.interrupted().isEmpty()) {
          cli.out.println("recover: nothing to repair under " + eu.iciatlas.common.io.InputSniffer.display(qualified)
              + " (no interrupted run)");
          return 0;
        }
        SparkSession spark = cli.session("ici-atlas recover");
        cli.out.println("recover: " + GuardedRun.repairIfInterrupted(spark, lock, qualified, cli.progress()));
      }
      return 0;
    }
  }

  @Command(name = "train-classifier", mixinStandardHelpOptions = true,
      description = {"Fit the learned ICI classifier on the labelled projects and measure it by stratified cross-validation;",
          "writes the model, model.json, evaluation.md and rule_error_rates.csv (the rules' measured error, for the expected",
          "shares: copy it to conf/classifier/ when the rules change) to --model. --output is a run over the export the",
          "labels come from (the bundled 2014-2020 export: the README's first command); its labelled period is classified here",
          "with the rules of conf/ (the output's own classification is not read)."})
  static final class TrainClassifier implements Callable<Integer> {
    @ParentCommand
    IciAtlasCli cli;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "output folder of a run over the labelled export")
    String output;

    @Option(names = "--labels", paramLabel = "FILE",
        description = "labelled projects: project_id, is_ici, weight (default: data/evaluation/ici_labels_v2.csv of the repository)")
    Path labels;

    @Option(names = "--model", paramLabel = "DIR", description = "where the model goes (default: conf/classifier/model of the repository)")
    String model;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "10", description = "cross-validation folds (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "20261201", description = "seed of the folds (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--reg-params", paramLabel = "L", split = ",", defaultValue = "0.01,0.03,0.1,0.3",
        description = "L2 regularisation strengths to choose from (default: ${DEFAULT-VALUE})")
    List<Double> regParams;

    @Option(names = "--no-text-features", negatable = false,
        description = "leave the words and word pairs out: themes, rule hits, strand and partnership only")
    boolean noTextFeatures;

    @Option(names = "--text-free", negatable = false,
        description = {"the text-free model for periods without project text: acronym, lead partner's name and strand only;",
            "also writes text_free_rates.csv (sensitivity and specificity at the best Youden's J). Default --model:",
            "conf/classifier/text_free_model of the repository; copy its text_free_rates.csv to conf/classifier/"})
    boolean textFree;

    @Override
    public Integer call() {
      String home = System.getProperty("ici.home");
      Path labelFile = labels != null ? labels : home == null ? null : Path.of(home, "data", "evaluation", "ici_labels_v2.csv");
      if (textFree && noTextFeatures) {
        throw new InputException("--text-free and --no-text-features: choose one (--text-free already leaves every text out)");
      }
      String modelDir = model != null ? model : home == null ? null
          : Path.of(home, "conf", "classifier", textFree ? "text_free_model" : "model").toString();
      if (labelFile == null || modelDir == null) {
        throw new InputException("--labels and --model are required outside bin/ici-atlas");
      }
      if (!Files.isRegularFile(labelFile)) {
        throw new InputException("--labels " + labelFile + ": no such file");
      }
      if (folds < 2 || regParams.isEmpty() || regParams.stream().anyMatch(r -> !(r > 0))) {
        throw new InputException(folds < 2 ? "--folds must be at least 2" : "--reg-params: positive numbers, e.g. 0.01,0.1");
      }
      Configuration hadoop = Preflight.hadoopConf();
      String qualified = Preflight.output("--output", output, hadoop, true);
      Preflight.requireTables("--output", qualified, hadoop, "ingest", eu.iciatlas.common.Tables.SILVER_PROJECTS,
          eu.iciatlas.common.Tables.SILVER_PARTICIPATIONS, eu.iciatlas.common.Tables.SILVER_PROGRAMMES);
      String modelOut = Preflight.output("--model", modelDir, hadoop, false);
      // the rules of the configuration decide the labelled projects here and name the rules' error rates
      eu.iciatlas.common.config.ConfFiles conf = new eu.iciatlas.common.config.ConfFiles(confDirOrRepository(null));
      eu.iciatlas.common.analysis.IciClassifier rules = new eu.iciatlas.common.analysis.IciClassifier(conf,
          eu.iciatlas.common.config.PipelineSettings.load(conf));
      SparkSession spark = cli.session("ici-atlas train-classifier");
      Map<String, Object> card = new TrainClassifierJob(new TrainClassifierJob.Config(qualified, labelFile, modelOut, regParams,
          folds, seed, textFree ? IciModel.Features.TEXT_FREE : noTextFeatures ? IciModel.Features.NO_TEXT : IciModel.Features.TEXT,
          rules), spark, cli.progress()).run();
      cli.out.println("model: " + eu.iciatlas.common.io.InputSniffer.display(modelOut) + " (regParam " + card.get("reg_param")
          + ", threshold " + card.get("threshold") + ")");
      cli.out.println("cross-validated, weighted to the export: " + card.get("cross_validated_weighted"));
      cli.out.println("rules on the same projects:              " + card.get("rules_weighted"));
      cli.out.println("theme-only baseline:                     " + card.get("theme_baseline_weighted"));
      if (textFree) {
        cli.out.printf(java.util.Locale.ROOT, "text-free, at the best Youden's J (threshold %.2f): sensitivity %.3f, specificity %.3f%n",
            card.get("text_free_threshold"), card.get("text_free_sensitivity"), card.get("text_free_specificity"));
      }
      return 0;
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Run a verb on a cluster through spark-submit (handled by bin/ici-atlas, which adds the application jar,",
          "the main class, the Delta settings and the Java 17 flags):",
          "  bin/ici-atlas submit --master URL [spark-submit options] -- [run|ingest|analyse|report] <options>",
          "e.g. bin/ici-atlas submit --master spark://host:7077 --executor-memory 4g -- run --output /shared/ici --regions baltic",
          "With SPARK_HOME set its bin/spark-submit is used; without, Spark's SparkSubmit from the Maven artifacts",
          "(local and standalone masters, client mode). ICI_SUBMIT_PACKAGES (default io.delta:delta-spark_2.13:4.2.0)",
          "names what the cluster must download; set it empty where Delta is installed."})
  static final class Submit implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new InputException("submit is handled by bin/ici-atlas (it calls spark-submit); under spark-submit, name the verb itself");
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = "Write a Keep.eu-shaped export (';' CSV, the real layout and dirty-cell rates) at a scale factor, "
          + "with distributions taken from real exports; or the real projects k times (--replicate).")
  static final class Generate implements Callable<Integer> {
    @ParentCommand
    IciAtlasCli cli;

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
      // first: through the application jar alone the other checks could fail first (no bundled sample without bin/ici-atlas)
      ExportGenerator generator = ExportGenerator.onClassPath().orElseThrow(() -> new InputException("generate: the generator"
          + " is a tool outside the application jar (module tools/, tools/target/ici-atlas-tools-<version>.jar). Run"
          + " 'bin/ici-atlas generate' from a checkout, which puts that jar on the class path; with spark-submit add it"
          + " with --jars."));
      if (replicate == 0 && scale == null) {
        throw new InputException("--scale SF is required (or --replicate K for copies of the real export)");
      }
      if (scale != null && !(scale > 0)) {
        throw new InputException("--scale " + scale + ": must be above 0 (1 = all of Keep.eu)");
      }
      if (replicate < 0 || projectsPerFile < 1) {
        throw new InputException(replicate < 0 ? "--replicate must be 0 or more" : "--projects-per-file must be at least 1");
      }
      Configuration hadoop = Preflight.hadoopConf();
      String qualified = Preflight.output("--output", output, hadoop, false);
      List<String> from = sources.isEmpty() ? sampleFolder("keep") : sources;
      for (String file : eu.iciatlas.common.io.InputFiles.expand("--source", from, List.of("csv", "xlsx"), hadoop)) {
        eu.iciatlas.common.io.InputSniffer.checkKeepFile("--source", file, hadoop);
      }
      Path confDir = confDirOrRepository(conf);
      new eu.iciatlas.common.config.ConfFiles(confDir);
      GeneratorOptions options = new GeneratorOptions(scale == null ? 0 : scale, seed, qualified, replicate, from, confDir, gzip,
          projectsPerFile);
      SparkSession spark = cli.session("ici-atlas generate");
      cli.out.println(generator.generate(spark, options, cli.progress()));
      return 0;
    }
  }

  /** Runs a command line with the real SparkSession; the exit code is 0 on success, 2 for bad options or inputs, 1 for a failed run. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, SparkSessions::getOrCreate);
  }

  /** As {@link #execute(String[], PrintWriter, PrintWriter)}, with the sessions made by {@code sessions} (tests count them). */
  static int execute(String[] args, PrintWriter out, PrintWriter err, Function<String, SparkSession> sessions) {
    IciAtlasCli root = new IciAtlasCli(sessions, "ici-atlas " + String.join(" ", args));
    root.out = out;
    System.setProperty("ici.regions.available", Preflight.regionDefinitions(confDirOrRepository(null)));
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean debug = root.debug || "1".equals(System.getenv("ICI_DEBUG"));
      if (debug) {
        e.printStackTrace(commandLine.getErr());
      }
      if (eu.iciatlas.common.StopRequest.requested() != null) {
        commandLine.getErr().println("ici-atlas: " + commandLine.getCommandName() + " stopped by SIG"
            + eu.iciatlas.common.StopRequest.requested() + "; the output folder is as the last successful run left it");
        commandLine.getErr().flush();
        return eu.iciatlas.common.StopRequest.exitCode();
      }
      InputException input = inputCause(e);
      if (input != null) {
        commandLine.getErr().println("ici-atlas: " + input.getMessage());
        commandLine.getErr().flush();
        return 2;
      }
      commandLine.getErr().println("ici-atlas: " + commandLine.getCommandName() + " failed: " + headline(e)
          + (debug ? "" : "\n  (the stack trace: rerun with --debug, or set ICI_DEBUG=1)"));
      commandLine.getErr().flush();
      return 1;
    });
    return cli.execute(args);
  }

  /** The InputException behind a failure, if any (Spark wraps what a task or a background thread threw). */
  private static InputException inputCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InputException input) {
        return input;
      }
    }
    return null;
  }

  /** The deepest message of a failure, first line only: what went wrong, without Spark's wrapping. */
  static String headline(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof eu.iciatlas.common.output.OutOfSpace.Failure complete) {
        return complete.getMessage();
      }
    }
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
      if (t.getCause() == t) {
        break;
      }
    }
    String first = message == null ? e.getClass().getName() : message.lines().findFirst().orElse(message);
    if (anyMessageContains(e, BROADCAST_OUT_OF_MEMORY)) {
      // Spark's own advice names spark.driver.memory, which bin/ici-atlas sets from ICI_DRIVER_MEMORY
      return "a broadcast join did not fit the driver's heap (Spark: \"" + BROADCAST_OUT_OF_MEMORY + "\"): give the "
          + "driver more heap (ICI_DRIVER_MEMORY=8g; with SPARK_HOME, submit's --driver-memory 8g) or turn broadcast "
          + "joins off (JAVA_TOOL_OPTIONS=-D" + BroadcastJoins.THRESHOLD + "=-1; submit: --conf "
          + BroadcastJoins.THRESHOLD + "=-1)";
    }
    return first.length() > 400 ? first.substring(0, 400) + "..." : first;
  }

  /** Whether the failure or any of its causes says {@code text} (Spark's own message may be above a cause's). */
  private static boolean anyMessageContains(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  /** The start of the message of Spark's failure to build a broadcast table in the driver's memory. */
  static final String BROADCAST_OUT_OF_MEMORY = "Not enough memory to build and broadcast the table";

  /**
   * SIGTERM (what schedulers send) and SIGINT (Ctrl-C) stop a run cleanly: the running Spark jobs are
   * cancelled, the writer refuses its next commit, the run's guard restores the tables and the
   * process exits with 128 + the signal's number. A second signal, or a restore that takes more
   * than two minutes, ends the process at once; the next start repairs the folder from the journal.
   */
  static void stopOnSignals(PrintWriter err) {
    for (String name : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
          if (eu.iciatlas.common.StopRequest.requested() != null) {
            Runtime.getRuntime().halt(128 + signal.getNumber());
          }
          eu.iciatlas.common.StopRequest.request(signal.getName(), signal.getNumber());
          err.println("[ici-atlas] SIG" + signal.getName() + ": stopping; the tables go back to the last successful run "
              + "(a second signal ends at once, and the next start repairs the folder)");
          err.flush();
          if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().sparkContext().cancelAllJobs();
          }
          Thread watchdog = new Thread(() -> {
            try {
              Thread.sleep(120_000);
            } catch (InterruptedException e) {
              return;
            }
            Runtime.getRuntime().halt(128 + signal.getNumber());
          }, "ici-atlas-stop-watchdog");
          watchdog.setDaemon(true);
          watchdog.start();
        });
      } catch (IllegalArgumentException e) {
        // the signal is not available on this platform
      }
    }
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // the report's charts use AWT fonts, never a display
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    stopOnSignals(err);
    System.exit(execute(args, out, err));
  }
}
