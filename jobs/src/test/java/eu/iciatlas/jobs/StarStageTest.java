package eu.iciatlas.jobs;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.output.TableWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When an analysis of some periods refuses to run on star tables of an earlier version, and what it
 * says to do: small Delta tables written by hand into a temporary output.
 */
class StarStageTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void someOfThePeriodsOverStarTablesOfAnEarlierVersionAreRefusedWithTheCommandThatRewritesThem(@TempDir Path dir) {
    TestData.deltaTable(dir, Tables.SILVER_PROJECTS, "SELECT * FROM VALUES ('2014-2020', 'p1'), ('2007-2013', 'p2') AS t(period, project_id)");
    TableWriter writer = new TableWriter(spark, dir.toString(), Progress.silent());
    AnalysedPeriods one = AnalysedPeriods.of(writer, List.of("2014-2020"));
    String output = dir.toString();
    StarStage.requireCurrentStarTables(writer, one, output, "baltic"); // no star tables yet: nothing to refuse

    // a 64-bit key of an earlier version in a period this analysis would not rewrite
    TestData.deltaTable(dir, Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION,
        "SELECT * FROM VALUES ('2007-2013', -4611686018427387904L), ('2014-2020', 5L) AS t(period, project_key)");
    InputException oldKeys = assertThrows(InputException.class, () -> StarStage.requireCurrentStarTables(writer, one, output, "baltic"));
    assertTrue(oldKeys.getMessage().contains("hold periods [2007-2013] with keys of an earlier version"), oldKeys.getMessage());
    assertTrue(oldKeys.getMessage().contains("Run 'ici-atlas analyse --output " + output + " --regions baltic' once, without"
        + " --period"), oldKeys.getMessage());
    StarStage.requireCurrentStarTables(writer, AnalysedPeriods.of(writer, List.of()), output, "baltic"); // every period: rewritten

    // current keys, but star_dim_project with the list columns of an earlier version
    TestData.deltaTable(dir, Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION, "SELECT * FROM VALUES ('2007-2013', 4L) AS t(period, project_key)");
    TestData.deltaTable(dir, Tables.STAR_DIM_PROJECT, "SELECT '2007-2013' AS period, 4L AS project_key, array('text_cluster(+2.0)') AS ici_reasons");
    InputException lists = assertThrows(InputException.class, () -> StarStage.requireCurrentStarTables(writer, one, output, "baltic"));
    assertTrue(lists.getMessage().contains("have the list columns of an earlier version"), lists.getMessage());
  }
}
