package eu.iciatlas.common.output;


import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.FileDigest;
import eu.iciatlas.common.schema.TableSchemas;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Makes a run all-or-nothing across tables and writes its run_manifest row. Delta makes each
 * table's commit atomic; a run writes some thirty tables, so when it fails halfway the guard
 * restores every table it changed to the version it had before the run (and removes tables the run
 * created), then records the failure. The versions before the run also go into the output's lock
 * file ({@link OutputLock#journal}), so that when the JVM dies the next start can do the same
 * ({@link RunRecovery}). run_manifest: run_id, started_at, ended_at, command_line, inputs (path,
 * bytes, sha256), configuration_sha256, code_version, rows_per_table, outcome (running, succeeded,
 * failed, stopped, interrupted), error, restored_tables, table_versions (every table's version when
 * the run ended: for a succeeded run, the versions it published).
 */
public final class RunGuard {
  private static final StructType MANIFEST = TableSchemas.of(Tables.RUN_MANIFEST);

  private final SparkSession spark;
  private final TableWriter writer;
  private final String outputDir;
  private final Instant started;
  private final Map<String, Long> versionsBefore = new TreeMap<>();

  public RunGuard(SparkSession spark, TableWriter writer, String outputDir) {
    this(spark, writer, outputDir, Instant.now());
    for (String table : existingTables()) {
      versionsBefore.put(table, writer.latestVersion(table));
    }
  }

  /** The guard of a run that started at {@code started} with the table versions {@code versionsBefore} (a recovery). */
  RunGuard(SparkSession spark, TableWriter writer, String outputDir, Instant started, Map<String, Long> versionsBefore) {
    this(spark, writer, outputDir, started);
    this.versionsBefore.putAll(versionsBefore);
  }

  private RunGuard(SparkSession spark, TableWriter writer, String outputDir, Instant started) {
    this.spark = spark;
    this.writer = writer;
    this.outputDir = outputDir;
    this.started = started;
  }

  /** Every table's version before the run (run_manifest aside). */
  public Map<String, Long> versionsBefore() {
    return java.util.Collections.unmodifiableMap(versionsBefore);
  }

  /** Every table's version now (run_manifest aside). */
  public Map<String, Long> versionsNow() {
    Map<String, Long> now = new TreeMap<>();
    for (String table : existingTables()) {
      now.put(table, writer.latestVersion(table));
    }
    return now;
  }

  private List<String> existingTables() {
    return tableFolders(true);
  }

  /** Folders under DIR/delta (run_manifest aside): the Delta tables, or also those without a commit yet. */
  private List<String> tableFolders(boolean committedOnly) {
    List<String> out = new ArrayList<>();
    try {
      Path delta = new Path(outputDir, "delta");
      FileSystem fs = delta.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(delta)) {
        for (FileStatus s : fs.listStatus(delta)) {
          if (s.isDirectory() && !s.getPath().getName().equals(Tables.RUN_MANIFEST)
              && (!committedOnly || writer.exists(s.getPath().getName()))) {
            out.add(s.getPath().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + outputDir + "/delta: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Puts every table the failed run changed back to its version before the run, and removes the
   * data files the run wrote that no commit refers to (an unfinished write's, and the empty files
   * Delta writes for a 0-row write without committing them).
   */
  public List<String> restore() {
    // four at a time: a RESTORE is mostly driver latency (log replay, a small commit), so they overlap even on 2 cores
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "ici-atlas-restore");
      t.setDaemon(true);
      return t;
    });
    try {
      List<java.util.concurrent.Future<List<String>>> done = new ArrayList<>();
      // every folder, committed or not: a table whose first write failed has data files but no commit
      for (String table : new java.util.TreeSet<>(tableFolders(false))) {
        done.add(pool.submit(() -> restore(table)));
      }
      List<String> restored = new ArrayList<>();
      for (java.util.concurrent.Future<List<String>> f : done) {
        try {
          restored.addAll(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          restored.add("(NOT restored: " + e.getCause().getMessage() + ")");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          restored.add("(NOT restored: interrupted)");
        }
      }
      return restored;
    } finally {
      pool.shutdown();
    }
  }

  private List<String> restore(String table) {
    List<String> restored = new ArrayList<>();
    Long before = versionsBefore.get(table);
    try {
      if (before == null) {
        Path p = new Path(writer.deltaPath(table));
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (writer.exists(table)) {
          fs.delete(p, true);
          restored.add(table + " (created by the failed run: removed)");
        } else if (fs.getFileStatus(p).getModificationTime() >= started.toEpochMilli()) {
          fs.delete(p, true);
          restored.add(table + " (first write of the failed run, never committed: removed)");
        }
        return restored;
      }
      int orphans = removeUncommittedFiles(table, before);
      if (orphans > 0) {
        restored.add(table + " (" + orphans + " data file(s) of the run that no commit refers to removed)");
      }
      if (writer.latestVersion(table) > before) {
        DeltaTable.forPath(spark, writer.deltaPath(table)).restoreToVersion(before);
        restored.add(table + " (restored to version " + before + ")");
      }
    } catch (IOException | RuntimeException e) {
      restored.add(table + " (NOT restored: " + e.getMessage() + ")");
    }
    return restored;
  }

  /** Files under the table written since the run started that no commit after {@code before} added (what VACUUM would remove, without its retention wait). */
  private int removeUncommittedFiles(String table, long before) throws IOException {
    Path dir = new Path(writer.deltaPath(table));
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    java.util.Set<String> committed = DeltaLogFiles.filesAddedAfter(dir.toString(), before, spark.sparkContext().hadoopConfiguration());
    String root = fs.makeQualified(dir).toUri().getPath() + "/";
    // no slack: the earlier run ended before this one took the lock, so its files are older than
    // started (a file system with second precision floors times, which can only keep an orphan)
    long since = started.toEpochMilli();
    List<Path> orphans = new ArrayList<>();
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(dir, true);
    while (files.hasNext()) {
      org.apache.hadoop.fs.LocatedFileStatus f = files.next();
      String relative = f.getPath().toUri().getPath().substring(root.length());
      String name = f.getPath().getName();
      String data = name.startsWith(".") && name.endsWith(".crc") ? relative.replace(name, name.substring(1, name.length() - 4)) : relative;
      if (!relative.startsWith("_delta_log/") && f.getModificationTime() >= since && !committed.contains(data)) {
        orphans.add(f.getPath());
      }
    }
    for (Path p : orphans) {
      fs.delete(p, false);
    }
    return (int) orphans.stream().filter(p -> !p.getName().endsWith(".crc")).count();
  }

  /**
   * The error as run_manifest keeps it: a message that starts with an option ("--keep ...") is
   * stored as the console showed it ("ici-atlas: --keep ..."), since values the pipeline makes
   * never start with a spreadsheet formula character (=, +, -, @, tab, CR).
   */
  static String storedError(String error) {
    return BiExporter.startsLikeFormula(error) ? "ici-atlas: " + error : error;
  }

  /**
   * What run_manifest says of a run whatever its outcome: its id, command line, input files (digested when recorded),
   * configuration digest (null: not known, a recovered run) and code version.
   */
  public record Run(String id, String commandLine, List<String> inputFiles, String configurationSha256, String codeVersion) {
    public Run {
      inputFiles = List.copyOf(inputFiles);
    }
  }

  /** The run's first row, before anything is written: 'running', no table versions, no BI copy. */
  public void running(Run run) {
    record(run, Map.of(), "running", null, List.of());
  }

  /** The row of a run that succeeded: the rows it wrote per table and every table's version. */
  public void succeeded(Run run, Map<String, Long> rowsPerTable) {
    record(run, rowsPerTable, "succeeded", null, List.of());
  }

  /** The row of a run that did not succeed ('failed', 'stopped', 'interrupted'): why, and what was restored. */
  public void ended(Run run, String outcome, String error, List<String> restored) {
    if (outcome.equals("running") || outcome.equals("succeeded")) {
      throw new IllegalArgumentException("not an outcome of a run that did not succeed: " + outcome);
    }
    record(run, Map.of(), outcome, error, restored);
  }

  /** Appends this run's row to run_manifest (replaceWhere on run_id, so a retried run id is replaced). */
  private void record(Run run, Map<String, Long> rowsPerTable, String outcome, String error, List<String> restored) {
    String runId = run.id();
    Map<String, Long> versions = outcome.equals("running") ? Map.of() : versionsNow();
    List<Row> inputs = new ArrayList<>();
    for (String f : run.inputFiles()) {
      inputs.add(describe(f));
    }
    Row row = RowFactory.create(runId, Timestamp.from(started), Timestamp.from(Instant.now()), run.commandLine(), inputs,
        run.configurationSha256(), run.codeVersion(), scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(rowsPerTable)),
        outcome, storedError(error), restored, scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(versions)));
    Dataset<Row> manifest = spark.createDataFrame(List.of(row), MANIFEST);
    // the 'running' row has no BI copy: bi/run_manifest.csv is rewritten with the run's outcome, straight into DIR/bi (not
    // staged), as a failed run's row belongs there too
    TableWriter.Scope thisRun = TableWriter.Scope.equalTo("run_id", runId);
    if (outcome.equals("running")) {
      writer.writeWithoutBiCopies(Tables.RUN_MANIFEST, manifest, thisRun);
    } else {
      writer.writeWithBiCopiesNow(Tables.RUN_MANIFEST, manifest, thisRun);
    }
  }

  private Row describe(String file) {
    try {
      FileDigest d = FileDigest.of(file, spark.sparkContext().hadoopConfiguration());
      return RowFactory.create(file, d.bytes(), d.sha256());
    } catch (RuntimeException e) {
      return RowFactory.create(file, null, null);
    }
  }

  /** SHA-256 of some bytes, in hex. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SHA-256 over the bytes of the given texts (the configuration files and overrides of a run). */
  public static String sha256(List<String> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String t : texts) {
        sha.update(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
