package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BroadcastJoinsTest {
  private final SparkSession spark = SparkTestSession.get();
  private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
  private final Progress progress = new Progress(new PrintStream(lines, true, StandardCharsets.UTF_8));
  private static final long HEAP = 2L << 30;
  private static final boolean LOCAL = true;

  @AfterEach
  void sparksDefaultAgain() {
    spark.conf().unset(BroadcastJoins.THRESHOLD);
  }

  @Test
  void onLocalSparkAnInputOfHalfTheHeapOrMoreTurnsBroadcastJoinsOffAndSaysSoASmallerOneHasSparksDefault() {
    // SF 30 on the 2 GB heap of the benchmark: 2.3 GiB of silver tables
    BroadcastJoins.chooseFor(spark, new SparkConf(false), LOCAL, 2_400L << 20, HEAP, "silver tables", progress);
    assertEquals("-1", spark.conf().get(BroadcastJoins.THRESHOLD));
    String said = lines.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("large input (silver tables, 2.3 GiB >= 50 % of the 2.0 GiB heap): broadcast joins off")
        && said.contains("spark.sql.autoBroadcastJoinThreshold=10m"), said);
    assertEquals("SortMergeJoin", joinOfTwoSmallTables(), "even a table of three rows is no longer broadcast");

    lines.reset();
    // SF 10 on the same heap: 0.8 GiB, which completes with broadcast joins
    BroadcastJoins.chooseFor(spark, new SparkConf(false), LOCAL, 800L << 20, HEAP, "silver tables", progress);
    assertEquals("BroadcastHashJoin", joinOfTwoSmallTables(), "Spark's default again");
    assertEquals("", lines.toString(StandardCharsets.UTF_8));

    BroadcastJoins.chooseFor(spark, new SparkConf(false), LOCAL, HEAP / 2, HEAP, "silver tables", progress);
    assertEquals("SortMergeJoin", joinOfTwoSmallTables(), "exactly half the heap is large");
  }

  @Test
  void aSubmittedThresholdOrAClusterKeepsWhatSparkHas() {
    spark.conf().set(BroadcastJoins.THRESHOLD, "20m");
    SparkConf submitted = new SparkConf(false).set(BroadcastJoins.THRESHOLD, "20m");
    BroadcastJoins.chooseFor(spark, submitted, LOCAL, 2_400L << 20, HEAP, "silver tables", progress);
    assertEquals("20m", spark.conf().get(BroadcastJoins.THRESHOLD), "the submitter's choice");
    BroadcastJoins.chooseFor(spark, new SparkConf(false).set(BroadcastJoins.ADAPTIVE_THRESHOLD, "5m"), LOCAL,
        2_400L << 20, HEAP, "silver tables", progress);
    assertEquals("20m", spark.conf().get(BroadcastJoins.THRESHOLD), "an adaptive threshold is a choice too");

    BroadcastJoins.chooseFor(spark, new SparkConf(false), !LOCAL, 2_400L << 20, HEAP, "silver tables", progress);
    assertEquals("BroadcastHashJoin", joinOfTwoSmallTables(), "on a cluster the driver's heap holds only broadcasts");
    assertEquals("", lines.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theSizeIsOfTheCurrentSnapshotsNotOfEveryVersionOnDisk() throws Exception {
    Path table = Files.createTempDirectory("ici-broadcast").resolve("t");
    for (int i = 0; i < 3; i++) { // a rerun into the same output: three versions of the same size on disk
      spark.range(20_000).selectExpr("id", "uuid() AS text").write().format("delta").mode("overwrite").save(table.toString());
    }
    long allVersions = CodeGeneration.bytes(spark.sparkContext().hadoopConfiguration(), List.of(table.toString()));
    long current = BroadcastJoins.currentBytes(spark, List.of(table.toString()));
    assertTrue(current > 0 && current < allVersions / 2, current + " bytes now, " + allVersions + " on disk");
  }

  /** The physical join Spark plans for two tiny tables under the current setting. */
  private String joinOfTwoSmallTables() {
    String plan = spark.range(3).toDF("id").join(spark.range(5).toDF("id"), "id").queryExecution().executedPlan().toString();
    return plan.contains("BroadcastHashJoin") ? "BroadcastHashJoin" : plan.contains("SortMergeJoin") ? "SortMergeJoin" : plan;
  }
}
