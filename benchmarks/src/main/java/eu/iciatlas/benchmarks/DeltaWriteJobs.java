package eu.iciatlas.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What one small Delta write costs and which Spark jobs it runs, for the three writes the pipeline
 * makes: a new table (CREATE TABLE AS SELECT), a whole-table overwrite and a replaceWhere of one
 * period, each of a 500-row, three-period table, then a filtered count. Prints the mean time of each
 * over the last rounds (the first ones warm the JVM up) and the jobs of the last round with their
 * descriptions. A diagnostic beside the JMH {@link SmallTableWriteBenchmark}, for comparing Spark and
 * Delta settings: each argument {@code key=value} is set on the session.
 *
 * <pre>
 * java $(cat jobs/target/classes/ici-atlas/jvm.options) -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *   eu.iciatlas.benchmarks.DeltaWriteJobs [spark.key=value ...]
 * </pre>
 */
public final class DeltaWriteJobs {
  private static final int ROUNDS = 16;
  private static final int MEASURED = 10;

  private DeltaWriteJobs() {}

  public static void main(String[] args) throws Exception {
    SparkSession.Builder builder = BenchmarkSessions.localDelta("delta-write-jobs");
    for (String setting : args) {
      String[] kv = setting.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("not key=value: " + setting);
      }
      builder.config(kv[0], kv[1]);
    }
    SparkSession spark = builder.getOrCreate();
    List<String> jobs = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Long> started = new ConcurrentHashMap<>();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart e) {
        started.put(e.jobId(), e.time());
        String description = e.properties() == null ? "" : e.properties().getProperty("spark.job.description", "");
        jobs.add(String.format(Locale.ROOT, "job %d, %d stage(s): %s", e.jobId(), e.stageInfos().size(),
            description.isEmpty() ? "(no description)" : description));
      }

      @Override
      public void onJobEnd(SparkListenerJobEnd e) {
        jobs.add(String.format(Locale.ROOT, "  job %d took %d ms", e.jobId(), e.time() - started.getOrDefault(e.jobId(), e.time())));
      }
    });
    Path dir = Files.createTempDirectory("delta-write-jobs");
    Dataset<Row> rows = spark.sql("SELECT element_at(array('2000-2006', '2007-2013', '2014-2020'), CAST(id % 3 AS INT) + 1) AS period, "
        + "id, id * 1.5 AS value FROM range(500)");
    String[] names = {"create", "overwrite", "replaceWhere", "filtered count"};
    long[][] millis = new long[ROUNDS][names.length];
    List<List<String>> lastJobs = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String table = dir.resolve("t" + round).toString();
      List<Runnable> steps = List.of(
          () -> rows.writeTo("delta.`" + table + "`").using("delta").createOrReplace(),
          () -> rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(table),
          () -> rows.where("period = '2014-2020'").write().format("delta").mode("overwrite")
              .option("replaceWhere", "`period` IN ('2014-2020')").option("mergeSchema", "true").save(table),
          () -> spark.read().format("delta").load(table).where("period = '2007-2013'").count());
      lastJobs.clear();
      for (int s = 0; s < steps.size(); s++) {
        jobs.clear();
        long start = System.nanoTime();
        steps.get(s).run();
        millis[round][s] = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(200); // the listener bus delivers the last job's end
        lastJobs.add(new ArrayList<>(jobs));
      }
    }
    System.out.println("settings: " + (args.length == 0 ? "(none)" : String.join(" ", args)));
    for (int s = 0; s < names.length; s++) {
      double sum = 0;
      for (int round = ROUNDS - MEASURED; round < ROUNDS; round++) {
        sum += millis[round][s];
      }
      System.out.printf(Locale.ROOT, "%-15s %6.0f ms (mean of the last %d of %d rounds)%n", names[s], sum / MEASURED, MEASURED, ROUNDS);
    }
    for (int s = 0; s < names.length; s++) {
      System.out.println("jobs of the last " + names[s] + ":");
      lastJobs.get(s).forEach(j -> System.out.println("  " + j));
    }
    spark.stop();
  }
}
