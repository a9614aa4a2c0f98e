package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on the bundled real sample: ingestion twice into the same output (rerun
 * identity), then the analysis with the Baltic region definition.
 */
@Tag("pipeline")
class PipelineTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static Path output;
  private static IngestJob.Outcome first;
  private static IngestJob.Outcome second;
  private static Map<String, Long> gold;

  private static IngestConfig config(String runId) {
    return new IngestConfig(List.of(TestData.sample("keep").toString()), List.of(TestData.sample("eurostat").toString()),
        TestData.sample("nuts").toString(), List.of(), output.toString(), TestData.repoRoot().resolve("conf"), List.of(), runId);
  }

  @BeforeAll
  static void runTwice() throws Exception {
    output = Files.createTempDirectory("ici-ingest");
    Progress progress = new Progress(new PrintStream(System.err, true));
    first = new IngestJob(config("run-1"), spark, progress).run();
    second = new IngestJob(config("run-2"), spark, progress).run();
    gold = new AnalyseJob(new AnalyseJob.Config(output.toString(), TestData.repoRoot().resolve("conf"), List.of(),
        "baltic", List.of(), false), spark, progress).run();
  }

  private static Dataset<Row> table(String name, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(output.resolve("delta").resolve(name).toString());
  }

  @Test
  void everyInputRowIsAcceptedOrQuarantined() {
    assertEquals(12, first.audit().size(), "2 Keep.eu files (4 tables/sheets) + 8 Eurostat files");
    long read = 0;
    long accountedFor = 0;
    for (Row r : first.audit()) {
      assertTrue((Boolean) r.getAs("balanced"), r.toString());
      read += r.<Long>getAs("rows_read");
      accountedFor += r.<Long>getAs("rows_accepted") + r.<Long>getAs("rows_quarantined");
    }
    assertEquals(read, accountedFor);
    assertEquals(8_621 + 27_832, first.rowsPerTable().get(Tables.BRONZE_KEEP_PARTNERS));
    assertEquals(1_891, first.rowsPerTable().get(Tables.BRONZE_KEEP_PROJECTS));
    assertEquals(138, first.rowsPerTable().get(Tables.BRONZE_KEEP_CALLS));
    assertEquals(first.rowsPerTable().get(Tables.BRONZE_KEEP_PARTNERS),
        first.rowsPerTable().get(Tables.SILVER_PARTICIPATIONS) + first.rowsPerTable().get(Tables.QUARANTINE_KEEP_PARTNERS));
  }

  @Test
  void projectsAndProgrammesMatchTheRealExports() {
    Dataset<Row> projects = table(Tables.SILVER_PROJECTS, 0);
    assertEquals(1_852, projects.filter(col("has_project_record")).count(), "1,852 projects in the 2014-2020 export");
    Dataset<Row> programmes = table(Tables.SILVER_PROGRAMMES, 0);
    Row jutland = programmes.filter(col("programme").equalTo("2007 - 2013 Syddanmark-Schleswig-K.E.R.N.")).first();
    assertEquals(72L, jutland.<Long>getAs("project_count"), "METHOD.md: Keep.eu lists exactly 72 projects");
    assertEquals("cross_border", jutland.getAs("strand"));
    assertEquals(List.of("DE", "DK"), jutland.getList(jutland.fieldIndex("countries")));
    assertTrue(jutland.<Boolean>getAs("partners_only_lead"), "older cross-border exports carry only lead partners");
    Row bsr = programmes.filter(col("programme").equalTo("2007 - 2013 Baltic Sea Region")).first();
    assertEquals("transnational", bsr.getAs("strand"));
    assertEquals(92L, bsr.<Long>getAs("project_count"));
    assertEquals(1_414L, bsr.<Long>getAs("participation_count"));
    Row kolarctic = programmes.filter(col("programme").equalTo("2007 - 2013 Kolarctic ENPI CBC")).first();
    assertEquals("eni_enpi", kolarctic.getAs("strand"));
    assertEquals(0, table(Tables.SILVER_PROJECTS, 0).filter(col("period").isNull()).count());
  }

  @Test
  void indicatorsAreRecodedToNuts2013WithJrcWeights() {
    Dataset<Row> ind = table(Tables.SILVER_REGION_INDICATORS, 0);
    // Independent computation (Python over the raw files): FI18 (NUTS 2006) had 2,643,000 inhabitants in
    // 2008; the JRC n2 2006->2013 matrix gives 1,487,456 of FI18's inhabitants (pop11 of all its intersections) to FI1B.
    assertEquals(1_496_650.687, value(ind, "population", "FI1B", 2008), 0.01);
    assertEquals(1_145_578.446, value(ind, "population", "FI1C", 2008), 0.01);
    assertEquals(1_341_000.0, value(ind, "population", "EE00", 2008), 1e-6);
    // URBN_TYPE 2016 of DK011..DK014 weighted with GEOSTAT 2011 population (Python over the raw files)
    assertEquals(71.0109466506, value(ind, "urban_population_share", "DK01", 2011), 1e-6);
    assertEquals(42.5428955571, value(ind, "urban_population_share", "EE00", 2011), 1e-6);
    // NUTS 2013 data stays as delivered: nama_10r_2gdp PPS_HAB_EU, EE00, 2013
    assertEquals(75.0, value(ind, "gdp_pps_per_inhabitant_eu100", "EE00", 2013), 1e-9);
    Row industry = ind.filter("indicator = 'employment_industry_share' and nuts2 = 'EE00' and year = 2013").first();
    assertTrue(industry.<Double>getAs("value") > 20 && industry.<Double>getAs("value") < 40, industry.toString());
    Dataset<Row> report = table(Tables.NUTS_RECODE_REPORT, 0);
    assertTrue(report.filter("status = 'source_code_not_in_conversion_matrix' and code = 'TR10'").count() > 0,
        "candidate countries missing from the JRC matrices are reported");
  }

  private static double value(Dataset<Row> ind, String indicator, String nuts2, int year) {
    List<Row> rows = ind.filter(col("indicator").equalTo(indicator).and(col("nuts2").equalTo(nuts2))
        .and(col("year").equalTo(year))).collectAsList();
    assertEquals(1, rows.size(), indicator + " " + nuts2 + " " + year);
    return rows.get(0).getAs("value");
  }

  @Test
  void aRerunOnTheSameInputsGivesTheSameTablesInOneCommitEach() {
    for (String name : List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PARTICIPATIONS, Tables.SILVER_PROGRAMMES,
        Tables.SILVER_CALLS, Tables.SILVER_REGION_INDICATORS, Tables.QUARANTINE_KEEP_PARTNERS, Tables.NUTS_RECODE_REPORT)) {
      Dataset<Row> v0 = table(name, 0).drop("_ingested_at", "_run_id");
      Dataset<Row> v1 = table(name, 1).drop("_ingested_at", "_run_id");
      assertEquals(0, v0.exceptAll(v1).count(), name);
      assertEquals(0, v1.exceptAll(v0).count(), name);
      assertEquals(2, spark.read().format("delta").load(output.resolve("delta").resolve(name).toString())
          .sparkSession().sql("DESCRIBE HISTORY delta.`" + output.resolve("delta").resolve(name) + "`").count(),
          name + ": one commit per run");
    }
    assertEquals(first.rowsPerTable(), second.rowsPerTable());
  }

  @Test
  void biCsvFilesExistForSilverTables() throws Exception {
    for (String name : List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PARTICIPATIONS, Tables.INGEST_AUDIT)) {
      Path csv = output.resolve("bi").resolve(name + ".csv");
      assertTrue(Files.size(csv) > 0, csv.toString());
    }
    String header = Files.readAllLines(output.resolve("bi").resolve(Tables.SILVER_PROGRAMMES + ".csv")).get(0);
    assertTrue(header.startsWith("programme_key,programme,period,project_count"), header);
  }

  /**
   * The classifier against the 180 hand-labelled 2014-2020 projects of data/evaluation/: it must
   * not fall below the figures reported in README.md, and must beat the theme-only baseline.
   */
  @Test
  void classifierKeepsItsReportedQualityOnTheEvaluationSet() {
    Dataset<Row> labels = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .csv(TestData.repoRoot().resolve("data/evaluation/ici_labels_2014_2020.csv").toString());
    assertEquals(180, labels.count());
    List<Row> joined = labels.withColumnRenamed("is_ici", "label")
        .join(table(Tables.SILVER_PROJECTS, 0).select("project_id", "is_ici"), "project_id")
        .select(col("is_ici").as("predicted"), col("sample_stratum").equalTo("theme_clustering").as("baseline"),
            col("label").equalTo("1").as("truth"))
        .collectAsList();
    assertEquals(180, joined.size(), "every labelled project is in silver_projects");
    double[] classifier = scores(joined, 0);
    double[] baseline = scores(joined, 1);
    System.err.printf("evaluation: classifier P=%.3f R=%.3f F1=%.3f; theme baseline P=%.3f R=%.3f F1=%.3f%n",
        classifier[0], classifier[1], classifier[2], baseline[0], baseline[1], baseline[2]);
    assertTrue(classifier[0] >= 0.85, "precision " + classifier[0]);
    assertTrue(classifier[1] >= 0.85, "recall " + classifier[1]);
    assertTrue(classifier[2] >= 0.85, "F1 " + classifier[2]);
    assertTrue(classifier[2] > baseline[2] + 0.05, "the classifier must beat the theme-only baseline: " + baseline[2]);
  }

  private static double[] scores(List<Row> rows, int predictedColumn) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (Row r : rows) {
      boolean predicted = r.getBoolean(predictedColumn);
      boolean truth = r.getBoolean(2);
      tp += predicted && truth ? 1 : 0;
      fp += predicted && !truth ? 1 : 0;
      fn += !predicted && truth ? 1 : 0;
    }
    double p = tp / (double) (tp + fp);
    double r = tp / (double) (tp + fn);
    return new double[] {p, r, 2 * p * r / (p + r)};
  }

  @Test
  void theBalticAnalysisProducesEveryGoldTable() {
    for (String t : List.of(Tables.SILVER_PROJECT_REGIONS, Tables.GOLD_ICI_SHARE, Tables.GOLD_ICI_SHARE_SUMMARY,
        Tables.GOLD_SPECIALIZATION_SHARE, Tables.GOLD_COUNTRY_SPECIALIZATION, Tables.GOLD_CLUSTER_COMPARISON,
        Tables.GOLD_REGION_PROFILE, Tables.GOLD_CORRELATIONS, Tables.GOLD_HYPOTHESIS_TESTS, Tables.GOLD_REGION_LINKS,
        Tables.GOLD_ORGANISATIONS)) {
      assertTrue(gold.get(t) > 0, t + " has rows");
      assertTrue(Files.exists(output.resolve("bi").resolve(t + ".csv")), t + ".csv");
      if (t.startsWith("gold_")) {
        assertEquals(table(t, 0).count(), spark.read().parquet(output.resolve("bi/parquet").resolve(t).toString()).count(),
            t + " as Parquet");
      }
    }
    Dataset<Row> share = table(Tables.GOLD_ICI_SHARE, 0);
    Row jutland = share.filter("region_id = 'jutland' and period = '2007-2013'").first();
    assertEquals(72L, jutland.<Long>getAs("projects"), "METHOD.md: 72 projects of Syddanmark-Schleswig-K.E.R.N.");
    assertTrue(jutland.<String>getAs("completeness_note").contains("no text"), "2007-2013 shares say they rest on no text");
    Row finlandRussia = share.filter("region_id = 'finland_russia' and period = '2007-2013'").first();
    assertEquals(55L, finlandRussia.<Long>getAs("projects"), "Keep.eu lists 55 projects (the paper counted 36)");
    assertEquals(13, share.filter("period = '2014-2020' and region_kind = 'cross_border'").count(),
        "13 Baltic CBRs have closed 2014-2020 projects in the sample");
    Dataset<Row> assignment = table(Tables.SILVER_PROJECT_REGIONS, 0);
    assertEquals(table(Tables.SILVER_PROJECTS, 1).count(), assignment.count(), "every project is in silver_project_regions");
    Row first = table(Tables.GOLD_CORRELATIONS, 0).orderBy("level", "indicator_order").first();
    assertEquals("urban_population_share", first.getAs("indicator"), "urbanization first");
  }
}
