package eu.iciatlas.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on a real Spark standalone cluster: a Master and two Workers started from the
 * Maven artifacts (SPARK_HOME = a jars/ folder made by dependency:copy-dependencies), the run
 * submitted with bin/ici-atlas submit (Spark's SparkSubmit), executors in their own
 * CoarseGrainedExecutorBackend JVMs, one of which is killed (kill -9) during ingestion; every gold
 * and star table must still equal those of the same inputs run locally: the shared sample run of the
 * unit tests of this build ({@link SampleRun}), so the sample is not run locally a second time.
 */
@Tag("cluster")
class StandaloneClusterIT {
  private final Path repo = Path.of(System.getProperty("ici.repo.root", "..")).toAbsolutePath().normalize();
  private final Path sparkHome = Path.of(System.getProperty("ici.spark.home", "target/spark-home")).toAbsolutePath();
  private final Path work = repo.resolve("jobs/target/cluster-it");
  private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopEverythingStarted() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly); // executors are the workers' children
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void pipelineOnStandaloneClusterEqualsLocalRun() throws Exception {
    assertTrue(Files.isDirectory(sparkHome.resolve("jars")), "no " + sparkHome + "/jars: run through mvn verify");
    eu.iciatlas.common.TestData.deleteRecursively(work);
    Files.createDirectories(work);
    int masterPort = freePort();
    Process master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort())));
    waitForPort(masterPort, master, Duration.ofSeconds(90));
    String masterUrl = "spark://127.0.0.1:" + masterPort;
    for (int i = 1; i <= 2; i++) {
      Path dir = Files.createDirectories(work.resolve("worker" + i));
      start("worker" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1",
          "--memory", "2g", "--work-dir", dir.toString(), "--webui-port", String.valueOf(freePort()), masterUrl));
    }
    for (int i = 1; i <= 2; i++) {
      waitForLog(work.resolve("worker" + i + ".log"), "Successfully registered with master", Duration.ofSeconds(120));
    }

    // the README's sample command on the cluster; its reference is the unit tests' shared sample run of this build
    // (SampleRun, the same inputs through the same jobs), or, when that is missing or older than the code, a local run
    Instant localStart = Instant.now();
    List<String> input = List.of("--regions", "baltic", "--no-report");
    Path reference = sharedSampleRun();
    if (reference == null) {
      reference = work.resolve("local");
      List<String> local = new ArrayList<>(List.of("run", "--output", reference.toString()));
      local.addAll(input);
      run("local-run", local);
    }
    Duration localTook = Duration.between(localStart, Instant.now());
    Instant clusterStart = Instant.now();
    List<String> cluster = new ArrayList<>(List.of("submit", "--master", masterUrl, "--executor-memory", "1g",
        "--total-executor-cores", "2", "--conf", "spark.sql.shuffle.partitions=8", "--conf", "spark.ui.enabled=false",
        // as conf/spark/spark-defaults.*.conf advise: Delta rebuilds a table's state with as many tasks as the cluster
        // has cores, not its default 50 (the pipeline's tables have a few commits of a few files each)
        "--conf", "spark.databricks.delta.snapshotPartitions=2",
        // the cluster's own default for its executors (an administrator's choice, which runs keep): the parallel collector
        "--conf", "spark.executor.defaultJavaOptions=-XX:+UseParallelGC", "--",
        "run", "--output", work.resolve("cluster").toString()));
    cluster.addAll(input);
    // only gold and star tables are compared: the silver tables' BI copies (the largest) would only cost time
    cluster.addAll(List.of("--set", "bi.silver=false"));
    // a lost executor (its JVM killed mid-run): Spark reruns its tasks on a new executor and the run succeeds
    Thread killer = new Thread(() -> killOneExecutorWhenLogged(work.resolve("cluster-run.log"), "write bronze_keep_partners"),
        "kill-an-executor");
    killer.setDaemon(true);
    killer.start();
    run("cluster-run", cluster);
    killer.join(1_000);
    Duration clusterTook = Duration.between(clusterStart, Instant.now());
    System.err.printf("the sample: %s, standalone cluster (2 workers x 1 core) %d s%n",
        reference.startsWith(work) ? "local[2] " + localTook.toSeconds() + " s" : "the shared sample run of the unit tests",
        clusterTook.toSeconds());

    List<String> executorLogs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(work)) {
      files.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains("app-"))
          .forEach(p -> executorLogs.add(p.toString()));
    }
    assertTrue(executorLogs.size() >= 2, "executors ran in worker JVMs of both workers: " + executorLogs);
    assertTrue(killedExecutor != null, "an executor JVM was killed during the cluster run");
    assertTrue(executorLogs.size() >= 3, "the master started a new executor for the killed one (pid " + killedExecutor + "): "
        + executorLogs);
    assertTrue(Files.readString(Path.of(executorLogs.get(0))).contains("CoarseGrainedExecutorBackend"), executorLogs.get(0));
    assertTrue(Files.readString(Path.of(executorLogs.get(0))).contains("-XX:+UseParallelGC"), "the cluster's executor default");

    try (Stream<Path> files = Files.walk(work.resolve("cluster/bi"))) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("silver_")).toList(),
          "bi.silver=false: no BI copies of the silver tables");
    }
    assertFalse(Files.readString(work.resolve("cluster/bi/README.md")).contains("## silver_"), "nor in the data dictionary");
    TreeSet<String> localTables = biTables(reference.resolve("bi"));
    TreeSet<String> clusterTables = biTables(work.resolve("cluster/bi"));
    assertTrue(localTables.size() >= 18, "gold and star tables of the local run: " + localTables);
    assertEquals(localTables, clusterTables);
    for (String t : localTables) {
      List<String[]> a = csv(reference.resolve("bi").resolve(t));
      List<String[]> b = csv(work.resolve("cluster/bi").resolve(t));
      assertEquals(a.size(), b.size(), t + ": rows");
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i).length, b.get(i).length, t + " row " + i + ": columns");
        for (int c = 0; c < a.get(i).length; c++) {
          assertSameCell(a.get(i)[c], b.get(i)[c], t + " row " + i + " column " + a.get(0)[c]);
        }
      }
    }
  }

  /**
   * The output of the unit tests' shared sample run ({@link SampleRun}) when it completed after the
   * last change to the compiled code, the configuration and the sample; else null.
   */
  private Path sharedSampleRun() throws IOException {
    Path marker = repo.resolve("jobs/target/shared-sample-run.complete");
    if (!Files.exists(marker)) {
      return null;
    }
    java.nio.file.attribute.FileTime completed = Files.getLastModifiedTime(marker);
    for (String tree : List.of("common/target/classes", "jobs/target/classes", "conf", "data/sample")) {
      try (Stream<Path> files = Files.walk(repo.resolve(tree))) {
        boolean changed = files.filter(f -> Files.isRegularFile(f) && (!tree.endsWith("classes") || f.toString().endsWith(".class")))
            .anyMatch(f -> {
              try {
                return Files.getLastModifiedTime(f).compareTo(completed) > 0;
              } catch (IOException e) {
                return true;
              }
            });
        if (changed) {
          System.err.println("the shared sample run is older than " + tree + ": the sample is run locally as the reference");
          return null;
        }
      }
    }
    return repo.resolve("jobs/target/shared-sample-run");
  }

  /**
   * Text and integers exactly; floating-point values to 1e-9 relative: executors add partial sums
   * in another order than local[2], which moves the last of 16 digits (seen: 11.927784614703832
   * vs 11.927784614703834).
   */
  private static void assertSameCell(String local, String cluster, String where) {
    if (local != null && cluster != null && local.contains(".") && !local.equals(cluster)) {
      try {
        double x = Double.parseDouble(local);
        double y = Double.parseDouble(cluster);
        assertTrue(Math.abs(x - y) <= 1e-9 * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y))),
            where + ": " + local + " (local) vs " + cluster + " (cluster)");
        return;
      } catch (NumberFormatException text) {
        // not a number: compared exactly below
      }
    }
    assertEquals(local, cluster, where);
  }

  private static List<String[]> csv(Path file) {
    com.univocity.parsers.csv.CsvParserSettings settings = new com.univocity.parsers.csv.CsvParserSettings();
    settings.setMaxCharsPerColumn(-1);
    settings.setMaxColumns(1000);
    return new com.univocity.parsers.csv.CsvParser(settings).parseAll(file.toFile(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static TreeSet<String> biTables(Path bi) throws IOException {
    TreeSet<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.list(bi)) {
      files.map(p -> p.getFileName().toString()).filter(n -> (n.startsWith("gold_") || n.startsWith("star_")) && n.endsWith(".csv"))
          .forEach(out::add);
    }
    return out;
  }

  private Process start(String name, List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx512m"));
    cmd.addAll(List.of(Files.readString(repo.resolve("jobs/target/classes/ici-atlas/jvm.options")).trim().split("\\s+")));
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + File.separator + "*"));
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
    environment(pb.environment());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private void run(String name, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("bin/ici-atlas").toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile());
    environment(pb.environment());
    pb.environment().remove("SPARK_HOME"); // no spark-submit script: bin/ici-atlas uses SparkSubmit from the Maven artifacts
    pb.environment().put("ICI_SUBMIT_PACKAGES", ""); // the workers' SPARK_HOME/jars holds Delta already
    pb.environment().put("ICI_JAVA", javaBin);
    Process p = pb.start();
    started.add(p);
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      throw new AssertionError(name + " did not finish in 20 minutes; see " + work.resolve(name + ".log"));
    }
    assertEquals(0, p.exitValue(), () -> name + " failed; last lines of " + work.resolve(name + ".log") + ":\n" + tail(work.resolve(name + ".log")));
  }

  private volatile Long killedExecutor;

  /** kill -9 of one executor JVM once the driver's log shows {@code line} (so tasks are running). */
  private void killOneExecutorWhenLogged(Path log, String line) {
    try {
      waitForLog(log, line, Duration.ofMinutes(10));
      ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().map(c -> c.contains("CoarseGrainedExecutorBackend")).orElse(false))
          .findFirst().ifPresent(p -> {
            killedExecutor = p.pid();
            p.destroyForcibly();
            System.err.println("killed executor JVM pid " + p.pid() + " after '" + line + "'");
          });
    } catch (Exception | AssertionError e) {
      System.err.println("no executor killed: " + e.getMessage());
    }
  }

  private static void environment(Map<String, String> env) {
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_SCALA_VERSION", "2.13");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private void waitForPort(int port, Process owner, Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      assertTrue(owner.isAlive(), "the Master exited; see " + work.resolve("master.log") + "\n" + tail(work.resolve("master.log")));
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(500);
      }
    }
    throw new AssertionError("the Master did not listen on " + port + " within " + timeout);
  }

  private static void waitForLog(Path log, String text, Duration timeout) throws Exception {
    Instant end = Instant.now().plus(timeout);
    while (Instant.now().isBefore(end)) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("'" + text + "' not in " + log + " within " + timeout + ":\n" + tail(log));
  }
}
