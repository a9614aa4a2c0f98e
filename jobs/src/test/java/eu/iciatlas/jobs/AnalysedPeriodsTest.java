package eu.iciatlas.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.output.TableWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which periods an analysis reads and replaces: small Delta tables written by hand into a temporary output. */
class AnalysedPeriodsTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void everyPeriodReplacesTheStarTablesWholeAndDropsPeriodsSilverNoLongerHolds(@TempDir Path dir) {
    TestData.deltaTable(dir, Tables.SILVER_PROJECTS, "SELECT * FROM VALUES ('2014-2020', 'p1'), ('2007-2013', 'p2') AS t(period, project_id)");
    // a period an earlier run analysed and silver_projects no longer holds
    TestData.deltaTable(dir, Tables.STAR_FACT_PARTICIPATION, "SELECT * FROM VALUES ('2000-2006', 1L), ('2014-2020', 2L) AS t(period, project_key)");
    TableWriter writer = new TableWriter(spark, dir.toString(), Progress.silent());

    AnalysedPeriods all = AnalysedPeriods.of(writer, List.of());
    assertEquals(List.of("2007-2013", "2014-2020"), all.periods());
    assertTrue(all.everyPeriod());
    assertEquals(TableWriter.Scope.WHOLE_TABLE, all.dimensionScope());
    assertEquals(TableWriter.Scope.periods("period", List.of("2000-2006", "2007-2013", "2014-2020"), false), all.scope());
    assertEquals(1, all.select(spark.read().format("delta").load(dir.resolve("delta").resolve(Tables.STAR_FACT_PARTICIPATION)
        .toString())).count(), "the rows of the analysed periods");

    // 'run' names the periods it ingested: every period silver holds, given as a list, is every period too
    AnalysedPeriods named = AnalysedPeriods.of(writer, List.of("2007-2013", "2014-2020"));
    assertTrue(named.everyPeriod());
    assertEquals(all.scope(), named.scope());
    assertEquals(TableWriter.Scope.WHOLE_TABLE, named.dimensionScope());

    AnalysedPeriods one = AnalysedPeriods.of(writer, List.of("2014-2020"));
    assertFalse(one.everyPeriod());
    assertEquals(one.scope(), one.dimensionScope());
    assertEquals(TableWriter.Scope.periods("period", List.of("2014-2020"), false), one.scope());
  }
}
