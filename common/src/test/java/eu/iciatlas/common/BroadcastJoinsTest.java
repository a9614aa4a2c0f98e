package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class BroadcastJoinsTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void anInputOfHalfTheHeapOrMoreTurnsBroadcastJoinsOffAndSaysSoASmallerOneHasSparksDefault() {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    Progress progress = new Progress(new PrintStream(lines, true, StandardCharsets.UTF_8));
    long heap = 2L << 30;
    try {
      // SF 30 on the 2 GB heap of the benchmark: 2.4 GB of silver tables
      BroadcastJoins.chooseFor(spark, 2_400L << 20, heap, "silver tables", progress);
      assertEquals("-1", spark.conf().get(BroadcastJoins.THRESHOLD));
      String said = lines.toString(StandardCharsets.UTF_8);
      assertTrue(said.contains("large input (silver tables, 2.3 GB >= 50 % of the 2.0 GB driver heap): broadcast joins off")
          && said.contains("-Dspark.sql.autoBroadcastJoinThreshold=10m"), said);
      assertEquals("SortMergeJoin", joinOfTwoSmallTables(), "even a table of three rows is no longer broadcast");

      lines.reset();
      // SF 10 on the same heap: 0.8 GB, which completes with broadcast joins
      BroadcastJoins.chooseFor(spark, 800L << 20, heap, "silver tables", progress);
      assertEquals("BroadcastHashJoin", joinOfTwoSmallTables(), "Spark's default again");
      assertEquals("", lines.toString(StandardCharsets.UTF_8));
    } finally {
      spark.conf().unset(BroadcastJoins.THRESHOLD);
    }
  }

  /** The physical join Spark plans for two tiny tables under the current setting. */
  private String joinOfTwoSmallTables() {
    String plan = spark.range(3).toDF("id").join(spark.range(5).toDF("id"), "id").queryExecution().executedPlan().toString();
    return plan.contains("BroadcastHashJoin") ? "BroadcastHashJoin" : plan.contains("SortMergeJoin") ? "SortMergeJoin" : plan;
  }
}
