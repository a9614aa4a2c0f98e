package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.generate.GeneratorOptions;
import eu.iciatlas.tools.generate.KeepGenerator;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The generator's invariance check: the real 2014-2020 export replicated k = 3 times under new
 * acronyms must give exactly the real shares (counts times 3), correlations aside.
 */
@Tag("pipeline")
class GeneratorInvarianceTest {
  private final SparkSession spark = SparkTestSession.get();
  private final Progress progress = new Progress(new PrintStream(System.err, true));

  /** The tables are compared, not their BI copies: the silver tables' (three times the sample's) would only cost time. */
  private static final String NO_SILVER_COPIES = "bi.silver=false";

  /** The replicated export through ingestion and analysis, 2014-2020 only (the period it holds). */
  private Path analysed(List<String> keep, String name) throws Exception {
    Path output = Files.createTempDirectory("ici-invariance-" + name);
    IngestConfig config = new IngestConfig(keep, List.of(TestData.sample("eurostat/tgs00001.tsv.gz").toString()),
        TestData.sample("nuts").toString(), List.of("2014-2020"), output.toString(), TestData.repoRoot().resolve("conf"),
        List.of(NO_SILVER_COPIES), "invariance-" + name);
    JobRuns.ingest(spark, config, progress);
    // a star_dim_project of an earlier version (its list column ici_reasons) is in the folder: an analysis of every
    // period the output holds, like 'run' without --period (which names the periods it ingested), rewrites it whole
    // (with a bridge table beside it, which an analysis of some periods would refuse to run on)
    spark.sql("SELECT '2014-2020' AS period, 1L AS project_key, array('text_cluster(+2.0)') AS ici_reasons").write()
        .format("delta").save(output.resolve("delta").resolve(Tables.STAR_DIM_PROJECT).toString());
    spark.sql("SELECT '2014-2020' AS period, 1L AS project_key").write()
        .format("delta").save(output.resolve("delta").resolve(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION).toString());
    // the shares are the point; the linkage networks of three copies would only cost time (as would the silver copies)
    JobRuns.analyse(spark, new AnalyseJob.Config(output.toString(), TestData.repoRoot().resolve("conf"), List.of("network.enabled=false", NO_SILVER_COPIES),
        "baltic", List.of("2014-2020")), progress);
    return output;
  }

  /** 2014-2020 rows of a table (the real side is the shared sample run, which has every period). */
  private Dataset<Row> table(Path output, String name) {
    return spark.read().format("delta").load(output.resolve("delta").resolve(name).toString())
        .filter(col("period").equalTo("2014-2020"));
  }

  /**
   * Three copies give the same expected share (up to floating-point rounding) and an interval no
   * wider: which projects are wrong averages out over three times the projects, the rates' own
   * error does not.
   */
  private static void assertExpectedShares(Row real, Row replicated, String column, String region) {
    if (real.isNullAt(real.fieldIndex(column))) {
      assertTrue(replicated.isNullAt(replicated.fieldIndex(column)), region);
      return;
    }
    assertEquals(real.<Double>getAs(column), replicated.<Double>getAs(column), 1e-12, region);
    assertTrue(replicated.<Double>getAs(column + "_low") >= real.<Double>getAs(column + "_low") - 1e-12
        && replicated.<Double>getAs(column + "_high") <= real.<Double>getAs(column + "_high") + 1e-12, region);
    assertEquals(real.<String>getAs("expected_share_basis"), replicated.getAs("expected_share_basis"), region);
  }

  @Test
  void theRealExportThreeTimesGivesExactlyTheRealShares() throws Exception {
    String real = TestData.sample("keep/keep_closed_1420.xlsx").toString();
    Path copies = Files.createTempDirectory("ici-replicated");
    KeepGenerator.Outcome generated = KeepGenerator.generate(spark,
        GeneratorOptions.replicated(3, copies.toString(), List.of(real)), progress);
    assertEquals(3 * 8_621L, generated.partnerRows(), "every real partner row three times");
    // the 2014-2020 projects of the sample all come from the real export; its gold tables do not read Eurostat
    Path realOut = SampleRun.get().output();
    Path copiesOut = analysed(List.of(copies.toString()), "k3");

    assertEquals(3 * table(realOut, Tables.SILVER_PROJECTS).count(), table(copiesOut, Tables.SILVER_PROJECTS).count());
    assertEquals(List.of(table(realOut, Tables.STAR_DIM_PROJECT).columns()), List.of(table(copiesOut, Tables.STAR_DIM_PROJECT).columns()),
        "the earlier version's star_dim_project is rewritten with the current columns");
    List<Row> a = table(realOut, Tables.GOLD_ICI_SHARE).orderBy("region_id").collectAsList();
    List<Row> b = table(copiesOut, Tables.GOLD_ICI_SHARE).orderBy("region_id").collectAsList();
    assertEquals(a.size(), b.size());
    assertTrue(a.size() >= 16, "the Baltic regions of 2014-2020");
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).<String>getAs("region_id"), b.get(i).getAs("region_id"));
      String region = a.get(i).getAs("region_id");
      assertEquals(3 * a.get(i).<Long>getAs("projects"), (long) b.get(i).<Long>getAs("projects"), region);
      assertEquals(3 * a.get(i).<Long>getAs("ici_projects"), (long) b.get(i).<Long>getAs("ici_projects"), region);
      assertEquals(a.get(i).<Double>getAs("share"), b.get(i).<Double>getAs("share"), 0.0, region);
      assertExpectedShares(a.get(i), b.get(i), "expected_share", region);
    }
    assertExpectedShares(table(realOut, Tables.GOLD_ICI_SHARE_SUMMARY).filter("region_kind = 'cross_border'").first(),
        table(copiesOut, Tables.GOLD_ICI_SHARE_SUMMARY).filter("region_kind = 'cross_border'").first(), "pooled_expected_share",
        "cross_border");
    for (String t : List.of(Tables.GOLD_ICI_SHARE_SUMMARY, Tables.GOLD_SPECIALIZATION_SHARE)) {
      // the expected shares are compared above: the same up to rounding, their intervals narrower
      String[] counted = {"ici_projects", "projects", "pooled_expected_share", "pooled_expected_share_low",
          "pooled_expected_share_high"};
      Dataset<Row> shares = table(realOut, t).drop(counted);
      Dataset<Row> replicated = table(copiesOut, t).drop(counted);
      assertEquals(0, shares.exceptAll(replicated).count(), t + ": the same shares");
      assertEquals(0, replicated.exceptAll(shares).count(), t + ": the same shares");
    }
    Dataset<Row> countries = table(realOut, Tables.GOLD_COUNTRY_SPECIALIZATION).drop("ici_projects");
    assertEquals(0, countries.exceptAll(table(copiesOut, Tables.GOLD_COUNTRY_SPECIALIZATION).drop("ici_projects")).count(),
        "Table 1 counts regions, so it is the same");
    assertEquals(table(realOut, Tables.GOLD_ICI_SHARE).filter(col("ici_projects").gt(0)).count(),
        table(copiesOut, Tables.GOLD_ICI_SHARE).filter(col("ici_projects").gt(0)).count());
  }
}
