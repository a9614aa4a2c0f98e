package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Columns;
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
 * The whole pipeline on the bundled real sample (the shared {@link SampleRun}): ingestion twice
 * into the same output (rerun identity), then the analysis with the Baltic region definition.
 */
@Tag("pipeline")
class PipelineTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static Path output;
  private static IngestJob.Outcome first;
  private static IngestJob.Outcome second;
  private static Map<String, Long> gold;

  @BeforeAll
  static void sampleRun() {
    SampleRun.Result run = SampleRun.get();
    output = run.output();
    first = run.first();
    second = run.second();
    gold = run.gold();
  }

  private static Dataset<Row> table(String name, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(output.resolve("delta").resolve(name).toString());
  }

  /** The projects as the analysis read them: the second ingestion's silver_projects with the analysis's classification. */
  private static Dataset<Row> classifiedProjects() {
    return eu.iciatlas.common.analysis.IciClassifier.withClassification(table(Tables.SILVER_PROJECTS, 1),
        table(Tables.SILVER_PROJECT_CLASSIFICATION, 0));
  }

  /**
   * The classification is a table of its own, written once, by the analysis: silver_projects (written by both
   * ingestions) has none of its columns, and every project has exactly one classification row.
   */
  @Test
  void theClassificationIsItsOwnTableWrittenOncePerRun() {
    Dataset<Row> projects = table(Tables.SILVER_PROJECTS, 1);
    for (String c : eu.iciatlas.common.analysis.IciClassifier.CLASSIFICATION_COLUMNS) {
      assertTrue(!List.of(projects.columns()).contains(c), "silver_projects has no " + c);
    }
    Dataset<Row> classification = table(Tables.SILVER_PROJECT_CLASSIFICATION, 0);
    assertEquals(1, spark.sql("DESCRIBE HISTORY delta.`" + output.resolve("delta").resolve(Tables.SILVER_PROJECT_CLASSIFICATION)
        + "`").count(), "one commit: the analysis classified once, the ingestions did not");
    assertEquals(projects.count(), classification.count());
    assertEquals(0, projects.select("period", "project_id").exceptAll(classification.select("period", "project_id")).count(),
        "every project has its classification row");
    assertEquals(0, classification.filter(col("is_ici").isNull().or(col("ici_score").isNull())).count());
    assertEquals(classification.filter(col("is_ici")).count(), classification.filter(col("primary_specialization").isNotNull()).count(),
        "a primary specialization for every ICI and for no other project");
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
        Tables.SILVER_CALLS, Tables.QUARANTINE_KEEP_PARTNERS)) {
      Dataset<Row> v0 = table(name, 0).drop("_ingested_at", "_run_id");
      Dataset<Row> v1 = table(name, 1).drop("_ingested_at", "_run_id");
      assertEquals(0, v0.exceptAll(v1).count(), name);
      assertEquals(0, v1.exceptAll(v0).count(), name);
      assertEquals(2, spark.read().format("delta").load(output.resolve("delta").resolve(name).toString())
          .sparkSession().sql("DESCRIBE HISTORY delta.`" + output.resolve("delta").resolve(name) + "`").count(),
          name + ": one commit per run");
    }
    // the NUTS and Eurostat tables come from the same files: the rerun keeps them (no commit) and says so
    assertEquals(List.of(), first.keptUnchanged());
    assertEquals(List.of(Tables.SILVER_NUTS_REGIONS, Tables.SILVER_NUTS_CONVERSION, Tables.BRONZE_EUROSTAT,
        Tables.QUARANTINE_EUROSTAT, Tables.SILVER_REGION_INDICATORS, Tables.NUTS_RECODE_REPORT), second.keptUnchanged());
    for (String name : second.keptUnchanged()) {
      assertEquals(1, spark.sql("DESCRIBE HISTORY delta.`" + output.resolve("delta").resolve(name) + "`").count(), name);
    }
    Map<String, Long> rewritten = new java.util.LinkedHashMap<>(first.rowsPerTable());
    rewritten.keySet().removeAll(second.keptUnchanged());
    assertEquals(rewritten, second.rowsPerTable());
    // the rerun's audit still accounts for every Eurostat file, with the counts of the run that wrote the kept tables
    assertEquals(auditOf(first.audit(), Tables.BRONZE_EUROSTAT), auditOf(second.audit(), Tables.BRONZE_EUROSTAT));
    assertEquals(8, auditOf(second.audit(), Tables.BRONZE_EUROSTAT).size(), "one audit row per bundled Eurostat file");
  }

  /** The audit rows of one table without the run id, in file order. */
  private static List<String> auditOf(List<Row> audit, String table) {
    return audit.stream().filter(r -> table.equals(r.getAs("table")))
        .map(r -> r.getAs("source_file") + " " + r.getAs("rows_read") + " " + r.getAs("rows_accepted") + " "
            + r.getAs("rows_quarantined") + " " + r.getAs("quarantined_by_reason") + " " + r.getAs("balanced"))
        .sorted().toList();
  }

  @Test
  void biCsvFilesExistForTheTablesABiUserOpens() throws Exception {
    for (String name : List.of(Tables.STAR_FACT_PARTICIPATION, Tables.STAR_DIM_PROJECT, Tables.INGEST_AUDIT,
        Tables.QUARANTINE_KEEP_PARTNERS, Tables.DUMP_PROVENANCE)) {
      Path csv = output.resolve("bi").resolve(name + ".csv");
      assertTrue(Files.size(csv) > 0, csv.toString());
    }
    String header = Files.readAllLines(output.resolve("bi").resolve(Tables.STAR_DIM_PROGRAMME + ".csv")).get(0);
    assertTrue(header.startsWith("programme_sk,programme_key,programme,period"), header);
    try (java.util.stream.Stream<Path> files = Files.walk(output.resolve("bi"))) {
      List<String> litter = files.map(p -> p.getFileName().toString())
          .filter(n -> n.equals("_SUCCESS") || n.endsWith(".crc")).toList();
      assertEquals(List.of(), litter, "no Hadoop checksum or _SUCCESS files among the BI copies");
    }
    assertTrue(Files.isDirectory(output.resolve("bi/parquet/gold_ici_share")), "the Parquet copies are still there");
    // values the pipeline makes never start with a formula character, so the spreadsheet guard leaves them alone
    List<String> reasons = table(Tables.GOLD_ICI_SHARE, 0).filter(col("share_null_reason").isNotNull()).select("share_null_reason")
        .distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertTrue(reasons.stream().anyMatch(v -> v.startsWith("only 0 of 72 projects have a description")), reasons.toString());
    assertTrue(reasons.stream().noneMatch(v -> "=+-@".indexOf(v.charAt(0)) >= 0), reasons.toString());
    String shareCsv = Files.readString(output.resolve("bi").resolve(Tables.GOLD_ICI_SHARE + ".csv"));
    assertTrue(reasons.stream().allMatch(shareCsv::contains) && !shareCsv.contains(",'"), "the CSV as the table");
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
        .join(table(Tables.SILVER_PROJECT_CLASSIFICATION, 0).select("project_id", "is_ici"), "project_id")
        .select(col("is_ici").as("predicted"), col("sample_stratum").equalTo("theme_clustering").as("baseline"),
            col("label").equalTo("1").as("truth"), org.apache.spark.sql.functions.lit(1.0).as("weight"))
        .collectAsList();
    assertEquals(180, joined.size(), "every labelled project is in silver_projects");
    double[] classifier = weightedScores(joined, 0);
    double[] baseline = weightedScores(joined, 1);
    System.err.printf("evaluation: classifier P=%.3f R=%.3f F1=%.3f; theme baseline P=%.3f R=%.3f F1=%.3f%n",
        classifier[0], classifier[1], classifier[2], baseline[0], baseline[1], baseline[2]);
    assertTrue(classifier[0] >= 0.85, "precision " + classifier[0]);
    assertTrue(classifier[1] >= 0.85, "recall " + classifier[1]);
    assertTrue(classifier[2] >= 0.85, "F1 " + classifier[2]);
    assertTrue(classifier[2] > baseline[2] + 0.05, "the classifier must beat the theme-only baseline: " + baseline[2]);
  }

  /**
   * The reference set (data/evaluation/ici_labels_v2.csv, 600 projects, every label read against
   * the codebook): weighted to the export, the rules must keep the figures the README reports, and beat
   * the theme-only baseline's F1.
   */
  @Test
  void classifierKeepsItsReportedQualityOnTheReferenceSetWeightedToTheExport() {
    Dataset<Row> labels = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .csv(TestData.repoRoot().resolve("data/evaluation/ici_labels_v2.csv").toString());
    List<Row> joined = labels.join(classifiedProjects().select(col("project_id"), col("is_ici").as("predicted"),
            org.apache.spark.sql.functions.array_contains(col("themes"), "Clustering and economic cooperation").as("baseline")),
            "project_id")
        .select(col("predicted"), col("baseline"), col("is_ici").equalTo("1").as("truth"), col("weight").cast("double"))
        .collectAsList();
    assertEquals(600, joined.size(), "every labelled project is in silver_projects");
    double[] rules = weightedScores(joined, 0);
    double[] baseline = weightedScores(joined, 1);
    System.err.printf("evaluation v2 (weighted): rules P=%.3f R=%.3f F1=%.3f; theme baseline P=%.3f R=%.3f F1=%.3f%n",
        rules[0], rules[1], rules[2], baseline[0], baseline[1], baseline[2]);
    assertTrue(rules[0] >= 0.57 && rules[1] >= 0.67 && rules[2] >= 0.62, java.util.Arrays.toString(rules));
    assertTrue(rules[2] > baseline[2] + 0.2, "the rules must beat the theme-only baseline: " + baseline[2]);
  }

  /**
   * Every measured share has an expected share within its 95 % interval, resting on the committed
   * rule error rates (the rules' precision is below 1 and their recall too, so the expected share
   * differs from the count share); a region without a share has none, with the reason.
   */
  @Test
  void everyMeasuredShareHasAnExpectedShareWithAnIntervalThatSaysWhatItRestsOn() {
    Dataset<Row> share = table(Tables.GOLD_ICI_SHARE, 0);
    assertEquals(0, share.filter("share IS NOT NULL AND NOT (expected_share_low <= expected_share AND expected_share <= "
        + "expected_share_high AND expected_share_low >= 0 AND expected_share_high <= 1 AND expected_share_high > expected_share_low)")
        .count(), "an interval around every expected share");
    assertEquals(0, share.filter("share IS NULL AND (expected_share IS NOT NULL OR expected_share_basis NOT LIKE 'no count share%')")
        .count());
    assertTrue(share.filter("share IS NULL").count() > 0 && share.filter("share IS NOT NULL").count() > 0);
    Row largest = share.filter("period = '2014-2020' AND share IS NOT NULL").orderBy(col("projects").desc()).first();
    double p = largest.<Long>getAs("ici_projects");
    assertTrue(Math.abs(largest.<Double>getAs("expected_ici_projects") - p) > 0.01, "the correction moves the count: " + largest);
    assertTrue(largest.<String>getAs("expected_share_basis").contains("ici_labels_v2.csv (sha256 ad5252353ac7)"),
        largest.<String>getAs("expected_share_basis"));
    Row pooled = table(Tables.GOLD_ICI_SHARE_SUMMARY, 0).filter("period = '2014-2020' AND region_kind = 'cross_border'").first();
    assertTrue(pooled.<Double>getAs("pooled_expected_share_low") < pooled.<Double>getAs("pooled_expected_share")
        && pooled.<Double>getAs("pooled_expected_share") < pooled.<Double>getAs("pooled_expected_share_high"), pooled.toString());
  }

  private static double[] weightedScores(List<Row> rows, int predictedColumn) {
    double tp = 0;
    double fp = 0;
    double fn = 0;
    for (Row r : rows) {
      boolean predicted = r.getBoolean(predictedColumn);
      boolean truth = r.getBoolean(2);
      double w = r.getDouble(3);
      tp += predicted && truth ? w : 0;
      fp += predicted && !truth ? w : 0;
      fn += !predicted && truth ? w : 0;
    }
    double p = tp / (tp + fp);
    double rec = tp / (tp + fn);
    return new double[] {p, rec, 2 * p * rec / (p + rec)};
  }

  /**
   * The linkage networks against an independent computation: scripts/independent_networks.py
   * rebuilds every network of the period from the star schema's BI copies with networkx and
   * compares each measure (CI installs Debian's python3-networkx).
   */
  @Test
  void theLinkageNetworksAgreeWithNetworkxMeasureByMeasure() throws Exception {
    // one process per period, both at once (each is single-threaded Python and the JVM waits meanwhile)
    java.util.Map<String, Process> checks = new java.util.LinkedHashMap<>();
    java.util.Map<String, Path> logs = new java.util.HashMap<>();
    for (String period : List.of("2014-2020", "2007-2013")) {
      Path log = Files.createTempFile("independent-networks", ".txt");
      logs.put(period, log);
      checks.put(period, new ProcessBuilder("python3", TestData.repoRoot().resolve("scripts/independent_networks.py").toString(),
          output.resolve("bi").toString(), "--period", period, "--min-regions", "3", "--max-exact-nodes", "3000",
          // the largest network (the whole input) by rank against networkx's sample of 200 sources, asserted: 0.93 and
          // 0.97 measured (1,000 sources gave 0.98 and 0.97, but took 56 s of the 2007-2013 check's 60 s)
          "--sample-sources", "200", "--min-spearman", "0.85")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }
    try {
      for (String period : checks.keySet()) {
        int exit = checks.get(period).waitFor();
        String text = Files.readString(logs.get(period));
        assertEquals(0, exit, period + ": " + text.substring(Math.max(0, text.length() - 3000)));
        assertTrue(text.contains("every measure agrees with networkx"), text);
        // the whole input and at least three regions, both scopes and levels
        assertTrue(text.lines().filter(l -> l.contains("exact, equal")).count() >= 4, text);
      }
    } finally {
      checks.values().forEach(Process::destroy);
    }
    Row summary = table(Tables.GOLD_NETWORK_SUMMARY, 0)
        .filter("period = '2014-2020' and region_id = 'oresund' and scope = 'all' and level = 'organisation'").first();
    assertEquals(0L, summary.<Long>getAs("edges"), "the 2014-2020 export lists only lead partners for Oresund");
    assertTrue(summary.<String>getAs("completeness_note").startsWith("no project of the network has two partners"));
  }

  @Test
  void theBalticAnalysisProducesEveryGoldTable() {
    for (String t : List.of(Tables.SILVER_PROJECT_REGIONS, Tables.GOLD_ICI_SHARE, Tables.GOLD_ICI_SHARE_SUMMARY,
        Tables.GOLD_SPECIALIZATION_SHARE, Tables.GOLD_COUNTRY_SPECIALIZATION, Tables.GOLD_CLUSTER_COMPARISON,
        Tables.GOLD_REGION_PROFILE, Tables.GOLD_CORRELATIONS, Tables.GOLD_HYPOTHESIS_TESTS, Tables.GOLD_REGION_LINKS,
        Tables.GOLD_ORGANISATIONS, Tables.GOLD_NETWORK_SUMMARY, Tables.GOLD_NETWORK_ORGANISATIONS,
        Tables.GOLD_NETWORK_COMMUNITIES)) {
      assertTrue(gold.get(t) > 0, t + " has rows");
      if (t.startsWith("silver_")) {
        // the shipped bi.silver=false: silver tables get BI copies only on request
        assertFalse(Files.exists(output.resolve("bi").resolve(t + ".csv")) || Files.exists(output.resolve("bi/parquet").resolve(t)),
            t + ": no BI copy");
        continue;
      }
      assertTrue(Files.exists(output.resolve("bi").resolve(t + ".csv")), t + ".csv");
      if (t.startsWith("gold_")) {
        assertEquals(table(t, 0).count(), spark.read().parquet(output.resolve("bi/parquet").resolve(t).toString()).count(),
            t + " as Parquet");
      }
    }
    Dataset<Row> share = table(Tables.GOLD_ICI_SHARE, 0);
    Row jutland = share.filter("region_id = 'jutland' and period = '2007-2013'").first();
    assertEquals(72L, jutland.<Long>getAs("projects"), "METHOD.md: 72 projects of Syddanmark-Schleswig-K.E.R.N.");
    assertTrue(jutland.isNullAt(jutland.fieldIndex("share")), "2007-2013: no text, so no share (never 0)");
    assertTrue(jutland.<String>getAs("share_null_reason").startsWith("only 0 of 72 projects have a description"),
        jutland.<String>getAs("share_null_reason"));
    Row finlandRussia = share.filter("region_id = 'finland_russia' and period = '2007-2013'").first();
    assertEquals(55L, finlandRussia.<Long>getAs("projects"), "Keep.eu lists 55 projects (the paper counted 36)");
    assertEquals(13, share.filter("period = '2014-2020' and region_kind = 'cross_border'").count(),
        "13 Baltic CBRs have closed 2014-2020 projects in the sample");
    Dataset<Row> assignment = table(Tables.SILVER_PROJECT_REGIONS, 0);
    assertEquals(table(Tables.SILVER_PROJECTS, 1).count(), assignment.count(), "every project is in silver_project_regions");
    Row first = table(Tables.GOLD_CORRELATIONS, 0).orderBy("level", "indicator_order").first();
    assertEquals("urban_population_share", first.getAs("indicator"), "urbanization first");
  }

  /**
   * gold_correlations' least-squares line (what the report draws) is Spark's own regr_slope / regr_intercept over the
   * observations of gold_correlation_points, for every period, level, indicator and measure with at least 3 regions.
   */
  @Test
  void theLeastSquaresLineOfEveryCorrelationIsThatOfItsPoints() {
    List<Row> lines = table(Tables.GOLD_CORRELATIONS, 0).collectAsList();
    // every (indicator, measure) pair's points as rows (x, y), so that Spark fits every line in one query
    java.util.LinkedHashSet<String> pairs = new java.util.LinkedHashSet<>();
    for (Row line : lines) {
      pairs.add("'" + line.<String>getAs("indicator") + "', '" + line.<String>getAs("measure") + "', CAST(`"
          + line.<String>getAs("indicator") + "` AS DOUBLE), CAST(`" + line.<String>getAs("measure") + "` AS DOUBLE)");
    }
    java.util.Map<String, Row> fitted = new java.util.HashMap<>();
    table(Tables.GOLD_CORRELATION_POINTS, 0)
        .selectExpr("period", "level", "stack(" + pairs.size() + ", " + String.join(", ", pairs) + ") AS (indicator, measure, x, y)")
        .where("x IS NOT NULL AND y IS NOT NULL")
        .groupBy("period", "level", "indicator", "measure")
        .agg(expr("count(*) AS n"), expr("regr_slope(y, x) AS slope"), expr("regr_intercept(y, x) AS intercept"),
            expr("min(x) = max(x) AS constant"))
        .collectAsList()
        .forEach(r -> fitted.put(String.join("|", r.getString(0), r.getString(1), r.getString(2), r.getString(3)), r));
    int compared = 0;
    for (Row line : lines) {
      Row expected = fitted.get(String.join("|", line.<String>getAs("period"), line.<String>getAs("level"),
          line.<String>getAs("indicator"), line.<String>getAs("measure")));
      long n = expected == null ? 0 : expected.getLong(expected.fieldIndex("n"));
      assertEquals(((Number) line.getAs("n")).longValue(), n, "n of " + line);
      if (n < 3 || expected.<Boolean>getAs("constant")) {
        assertTrue(line.isNullAt(line.fieldIndex("ols_slope")) && line.isNullAt(line.fieldIndex("ols_intercept")), "no line: " + line);
      } else {
        double slope = expected.getAs("slope");
        double intercept = expected.getAs("intercept");
        assertEquals(slope, line.<Double>getAs("ols_slope"), 1e-9 * (1 + Math.abs(slope)), "slope of " + line);
        assertEquals(intercept, line.<Double>getAs("ols_intercept"), 1e-9 * (1 + Math.abs(intercept)), "intercept of " + line);
        compared++;
      }
    }
    assertTrue(compared >= 8, compared + " lines compared of " + lines.size());
  }

  @Test
  void starSchemaKeysJoinWithoutLoss() {
    Dataset<Row> fact = table(Tables.STAR_FACT_PARTICIPATION, 0);
    Dataset<Row> projects = table(Tables.STAR_DIM_PROJECT, 0);
    Dataset<Row> programmes = table(Tables.STAR_DIM_PROGRAMME, 0);
    Dataset<Row> regions = table(Tables.STAR_DIM_REGION, 0);
    Dataset<Row> bridge = table(Tables.STAR_BRIDGE_PROJECT_SPECIALIZATION, 0);
    assertEquals(table(Tables.SILVER_PARTICIPATIONS, 1).count(), fact.count(), "one fact row per participation");
    assertEquals(table(Tables.SILVER_PROJECTS, 1).count(), projects.count(), "one dimension row per project");
    assertEquals(fact.count(), fact.select("participation_key").distinct().count(), "participation_key is unique");
    assertEquals(projects.count(), projects.select("project_key").distinct().count(), "project_key is unique");
    assertEquals(regions.count(), regions.select("region_key").distinct().count(), "region_key is unique");
    assertEquals(0, fact.join(projects, Columns.names("project_key"), "left_anti").count(), "every fact row has its project");
    assertEquals(0, fact.join(programmes, Columns.names("programme_sk"),
        "left_anti").count(), "every fact row has its programme");
    assertEquals(0, fact.join(regions, Columns.names("region_key"), "left_anti").count(),
        "every fact row has its region, the period's unknown region when it has no NUTS 2 code");
    assertEquals(fact.filter(col("nuts2").isNull()).count(), fact.join(regions.filter(col("nuts2").isNull()),
        Columns.names("region_key")).count(), "the partners without a NUTS 2 code, and only they, are in the unknown region");
    // keys a JavaScript, Excel or pandas float keeps exact
    long safe = (1L << 53) - 1;
    for (String[] k : new String[][] {{Tables.STAR_FACT_PARTICIPATION, "participation_key"},
        {Tables.STAR_FACT_PARTICIPATION, "region_key"}, {Tables.STAR_DIM_PROJECT, "project_key"},
        {Tables.STAR_DIM_PROGRAMME, "programme_sk"}, {Tables.STAR_DIM_SPECIALIZATION, "specialization_key"}}) {
      assertEquals(0, table(k[0], 0).filter(col(k[1]).isNull().or(col(k[1]).lt(0)).or(col(k[1]).gt(safe))).count(),
          k[0] + "." + k[1] + " in [0, 2^53)");
    }
    assertEquals(0, bridge.join(table(Tables.STAR_DIM_SPECIALIZATION, 0),
        Columns.names("specialization_key"), "left_anti").count());
    // lists as bridge rows, none lost: the dimensions carry them only as text
    Dataset<Row> countries = table(Tables.STAR_BRIDGE_PROGRAMME_COUNTRY, 0);
    Dataset<Row> reasons = table(Tables.STAR_BRIDGE_PROJECT_REASON, 0);
    assertEquals(0, countries.join(programmes, Columns.names("programme_sk"), "left_anti").count());
    assertEquals(0, reasons.join(projects, Columns.names("project_key"), "left_anti").count());
    assertEquals(programmes.filter("country_list <> ''").selectExpr("sum(size(split(country_list, '[|]')))").first().getLong(0), countries.count(),
        "one bridge row per country of star_dim_programme.country_list");
    assertEquals(projects.filter("ici_reason_list <> ''").selectExpr("sum(size(split(ici_reason_list, '[|]')))").first().getLong(0),
        reasons.count(), "one bridge row per reason of star_dim_project.ici_reason_list");
    assertEquals(0, reasons.filter(col("weight").isNull().or(col("rule_id").equalTo(""))).count(), "every reason has its rule and weight");
    for (String t : List.of(Tables.STAR_DIM_PROJECT, Tables.STAR_DIM_PROGRAMME, Tables.STAR_DIM_REGION, Tables.STAR_FACT_PARTICIPATION)) {
      assertTrue(java.util.Arrays.stream(table(t, 0).schema().fields())
          .noneMatch(f -> f.dataType() instanceof org.apache.spark.sql.types.ArrayType), t + " has no list columns");
    }
    assertEquals(projects.filter(col("is_ici")).count(), bridge.filter(col("is_primary")).count(),
        "every ICI has exactly one primary specialization in the bridge");
    assertEquals(table(Tables.SILVER_PROJECT_CLASSIFICATION, 0).filter(col("is_ici")).count(),
        fact.groupBy("project_key").agg(org.apache.spark.sql.functions.max("is_ici_project").as("ici"))
            .filter(col("ici").equalTo(1)).count(), "ICI projects with participations, counted from the fact table");
  }

  /**
   * What an analyst's tools get from DIR/bi: pandas joins the star CSVs as read_csv types them, a Parquet reader
   * without Delta joins the Parquet copies, and the DuckDB file holds every gold and star table with its comments
   * and measure views that equal the gold tables. CI installs Debian's python3-pandas.
   */
  @Test
  void theStarSchemaJoinsInPandasFromCsvFromParquetAndInTheDuckDbFile() throws Exception {
    Path bi = output.resolve("bi");
    // Debian's python3 (CI installs python3-pandas there), whatever else PATH puts first
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    Process check = new ProcessBuilder(python, TestData.repoRoot().resolve("scripts/check_bi_joins.py").toString(), bi.toString())
        .redirectErrorStream(true).start();
    String text = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, check.waitFor(), text);
    assertEquals(8, text.lines().filter(l -> l.contains(" rows matched")).count(), "the 8 foreign keys of datapackage.json: " + text);
    long facts = table(Tables.STAR_FACT_PARTICIPATION, 0).count();
    assertTrue(text.contains("star_fact_participation.region_key -> star_dim_region: " + facts + " of " + facts
        + " rows matched (key dtype int64)"), text);

    java.util.function.Function<String, Dataset<Row>> parquet = t -> spark.read().parquet(bi.resolve("parquet").resolve(t).toString());
    Dataset<Row> fact = parquet.apply(Tables.STAR_FACT_PARTICIPATION);
    assertEquals(facts, fact.join(parquet.apply(Tables.STAR_DIM_PROJECT), Columns.names("project_key"))
        .join(parquet.apply(Tables.STAR_DIM_PROGRAMME).drop("period", "programme", "programme_key"), Columns.names("programme_sk"))
        .join(parquet.apply(Tables.STAR_DIM_REGION).select("region_key"), Columns.names("region_key")).count(),
        "every fact row joins its three dimensions in the Parquet copies");

    Path database = bi.resolve(eu.iciatlas.common.output.BiDatabase.FILE);
    assertTrue(Files.size(database) > 0, database.toString());
    java.util.Properties readOnly = new java.util.Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:" + database, readOnly);
        java.sql.Statement sql = db.createStatement()) {
      List<String> tables = new java.util.ArrayList<>();
      try (java.util.stream.Stream<Path> copies = Files.list(bi.resolve("parquet"))) {
        copies.map(p -> p.getFileName().toString()).filter(eu.iciatlas.common.output.BiDatabase.IN_FILE).sorted().forEach(tables::add);
      }
      try (java.util.stream.Stream<Path> copies = Files.list(bi.resolve("parquet"))) {
        assertTrue(copies.noneMatch(p -> p.getFileName().toString().startsWith("silver_")), "silver tables only on request (bi.silver)");
      }
      assertTrue(tables.containsAll(List.of(Tables.GOLD_ICI_SHARE, Tables.STAR_FACT_PARTICIPATION, Tables.STAR_DIM_REGION)), tables.toString());
      for (String t : tables) {
        assertEquals(table(t, 0).count(), longOf(sql, "SELECT count(*) FROM " + t), t + " in the DuckDB file");
      }
      assertEquals(facts, longOf(sql, "SELECT count(*) FROM star_fact_participation f JOIN star_dim_project USING (project_key)"
          + " JOIN star_dim_programme p ON f.programme_sk = p.programme_sk JOIN star_dim_region r ON f.region_key = r.region_key"),
          "every fact row joins its three dimensions in DuckDB");
      // which run and which Delta version of every table the file holds
      assertEquals(tables.size(), longOf(sql, "SELECT count(*) FROM ici_atlas_about WHERE run_id = '" + SampleRun.RUN_ID + "'"));
      assertEquals(1, longOf(sql, "SELECT count(DISTINCT written_at) FROM ici_atlas_about"), "one time for the file");
      for (String t : tables) {
        long version = spark.sql("DESCRIBE HISTORY delta.`" + output.resolve("delta").resolve(t) + "`")
            .agg(org.apache.spark.sql.functions.max("version")).first().getLong(0);
        assertEquals(version, longOf(sql, "SELECT delta_version FROM ici_atlas_about WHERE table_name = '" + t + "'"), t);
        assertEquals(SampleRun.get().table(t).count(), longOf(sql, "SELECT row_count FROM ici_atlas_about WHERE table_name = '" + t + "'"), t);
      }
      assertTrue(stringOf(sql, "SELECT comment FROM duckdb_columns() WHERE table_name = 'gold_ici_share' AND column_name = 'share'")
          .startsWith("ici_projects / projects"), "column comments from the data dictionary");
      // the measure views give the gold tables' numbers
      List<Row> summary = table(Tables.GOLD_ICI_SHARE_SUMMARY, 0).collectAsList();
      assertEquals(summary.size(), longOf(sql, "SELECT count(*) FROM measure_ici_share_by_period"));
      for (Row r : summary) {
        String where = " FROM measure_ici_share_by_period WHERE period = '" + r.getAs("period") + "' AND region_kind = '"
            + r.getAs("region_kind") + "'";
        for (String measure : List.of("pooled_share", "mean_regional_share", "pooled_expected_share", "regions", "regions_with_ici",
            "regions_with_share", "projects", "ici_projects")) {
          Object value = r.getAs(measure);
          Double expected = value == null ? null : ((Number) value).doubleValue();
          Double actual = doubleOf(sql, "SELECT " + measure + where);
          assertTrue(expected == null ? actual == null : actual != null && Math.abs(expected - actual) < 1e-12,
              measure + where + ": " + expected + " vs " + actual);
        }
        assertEquals(r.getAs("share_null_reason") == null, stringOf(sql, "SELECT share_null_reason" + where).equals("null"), where);
      }
      // no share where the gold tables have none: 2007-2013 has no project text
      assertEquals(0L, longOf(sql, "SELECT count(*) FROM measure_ici_share_by_country WHERE period = '2007-2013'"
          + " AND (ici_share IS NOT NULL OR share_null_reason NOT LIKE 'only 0 of %')"));
      assertEquals(longOf(sql, "SELECT count(DISTINCT project_key) FROM star_fact_participation WHERE country_code = 'DK'"
          + " AND period = '2014-2020'"), longOf(sql, "SELECT projects FROM measure_ici_share_by_country WHERE country_code = 'DK'"
          + " AND period = '2014-2020'"), "a country's projects counted once");
      Dataset<Row> regions = table(Tables.STAR_DIM_REGION, 0).filter(col("nuts2").isNotNull().and(col("projects").gt(0)));
      assertEquals(regions.count(), longOf(sql, "SELECT count(*) FROM measure_ici_share_by_nuts2"));
      assertEquals(0L, longOf(sql, "SELECT count(*) FROM measure_ici_share_by_nuts2 m JOIN star_dim_region r"
          + " ON m.period = r.period AND m.nuts2 = r.nuts2 WHERE m.projects <> r.projects OR m.ici_projects <> r.ici_projects"
          + " OR (m.ici_share IS NOT NULL AND abs(m.ici_share - r.ici_share) > 1e-12)"),
          "measure_ici_share_by_nuts2 counts what star_dim_region says");
    }
  }

  @Test
  void theWorkbookHoldsThePapersFiguresAndTablesWithNumbersAsNumbers() throws Exception {
    try (org.apache.poi.xssf.usermodel.XSSFWorkbook book = new org.apache.poi.xssf.usermodel.XSSFWorkbook(
        Files.newInputStream(output.resolve("bi").resolve(eu.iciatlas.common.output.BiWorkbook.FILE)))) {
      assertEquals("About", book.getSheetName(0));
      org.apache.poi.ss.usermodel.Sheet figure2 = book.getSheet("Fig 2 ICI share");
      assertEquals(table(Tables.GOLD_ICI_SHARE, 0).count(), figure2.getLastRowNum(), "one row per gold_ici_share row");
      List<String> header = new java.util.ArrayList<>();
      figure2.getRow(0).forEach(c -> header.add(c.getStringCellValue()));
      assertEquals(List.of(table(Tables.GOLD_ICI_SHARE, 0).columns()), header);
      assertTrue(figure2.getRow(0).getCell(header.indexOf("share")).getCellComment().getString().getString()
          .startsWith("ici_projects / projects"), "the dictionary's description as the header's comment");
      boolean jutlandSeen = false;
      for (int r = 1; r <= figure2.getLastRowNum(); r++) {
        org.apache.poi.ss.usermodel.Row row = figure2.getRow(r);
        if (row.getCell(header.indexOf("region_id")).getStringCellValue().equals("jutland")
            && row.getCell(header.indexOf("period")).getStringCellValue().equals("2007-2013")) {
          jutlandSeen = true;
          assertEquals(72.0, row.getCell(header.indexOf("projects")).getNumericCellValue(), "a number, not text");
          assertTrue(row.getCell(header.indexOf("share")) == null, "no share: an empty cell, never 0");
        }
      }
      assertTrue(jutlandSeen);
      for (String sheet : List.of("Fig 2 summary", "Fig 3 specializations", "Tab 1 country specializations",
          "Tab 2 established clusters", "Urbanization correlations", "Hypothesis tests", "Region profile", "Networks")) {
        assertTrue(book.getSheet(sheet) != null && book.getSheet(sheet).getLastRowNum() > 0, sheet);
      }
    }
  }

  private static long longOf(java.sql.Statement sql, String query) throws java.sql.SQLException {
    try (java.sql.ResultSet r = sql.executeQuery(query)) {
      assertTrue(r.next(), query);
      return r.getLong(1);
    }
  }

  private static Double doubleOf(java.sql.Statement sql, String query) throws java.sql.SQLException {
    try (java.sql.ResultSet r = sql.executeQuery(query)) {
      assertTrue(r.next(), query);
      double v = r.getDouble(1);
      return r.wasNull() ? null : v;
    }
  }

  private static String stringOf(java.sql.Statement sql, String query) throws java.sql.SQLException {
    try (java.sql.ResultSet r = sql.executeQuery(query)) {
      assertTrue(r.next(), query);
      return String.valueOf(r.getString(1));
    }
  }

  @Test
  void provenanceNamesTheDumpOfEveryPeriod() {
    List<Row> rows = table(Tables.DUMP_PROVENANCE, 1).orderBy("period", "kind", "source_file").collectAsList();
    assertEquals(List.of("2000-2006", "2007-2013", "2014-2020"), rows.stream().map(r -> r.<String>getAs("period")).distinct().toList());
    for (Row r : rows) {
      String file = r.getAs("source_file");
      // data/sample/README.md lists the checksums of the bundled files
      String expected = file.contains("keep_closed_1420.xlsx") ? "22421334aefed408" : "17e2461549354fa8";
      assertTrue(r.<String>getAs("sha256").startsWith(expected), file);
      if (file.contains(".xlsx")) {
        assertEquals("2019-11-23", r.getAs("export_date").toString(), "the XLSX says when Keep.eu exported it");
      }
    }
    long partners2007 = rows.stream().filter(r -> r.getAs("period").equals("2007-2013") && r.getAs("kind").equals("partners"))
        .mapToLong(r -> r.<Long>getAs("rows")).sum();
    assertEquals(table(Tables.BRONZE_KEEP_PARTNERS, 1).filter(col("_period").equalTo("2007-2013")).count(), partners2007);
  }

  @Test
  void everyGoldAndStarColumnIsDocumentedAndTheDictionaryIsWritten() throws Exception {
    eu.iciatlas.common.output.DataDictionary dictionary = eu.iciatlas.common.output.DataDictionary.packaged();
    List<String> missing = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> tables = Files.list(output.resolve("delta"))) {
      for (Path t : tables.sorted().toList()) {
        String name = t.getFileName().toString();
        if (!name.startsWith("gold_") && !name.startsWith("star_")) {
          continue;
        }
        if (dictionary.table(name) == null) {
          missing.add(name);
        }
        for (String c : table(name, 0).columns()) {
          if (dictionary.column(name, c) == null) {
            missing.add(name + "." + c);
          }
        }
      }
    }
    assertEquals(List.of(), missing, "add them to common/src/main/resources/ici-atlas-dictionary/");
    eu.iciatlas.common.output.BiReadme.write(spark, new eu.iciatlas.common.output.TableWriter(spark,
        output.toString(), new Progress(new PrintStream(System.err, true))), output.toString());
    Path readme = output.resolve("bi/README.md");
    String md = Files.readString(readme);
    assertTrue(md.contains("## gold_ici_share") && md.contains("| share | double | fraction 0-1 | ici_projects / projects, null when fewer than half of the projects have text"
        + " (see share_null_reason) |"), md);
    assertTrue(md.contains("## star_fact_participation"), "star schema documented");
    // the same for programs: one resource per CSV, fields in the CSV's order, the star schema's foreign keys
    com.fasterxml.jackson.databind.JsonNode pkg = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(output.resolve("bi/datapackage.json").toFile());
    List<String> csvs;
    try (java.util.stream.Stream<Path> files = Files.list(output.resolve("bi"))) {
      csvs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted().toList();
    }
    List<String> described = new java.util.ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode r : pkg.get("resources")) {
      described.add(r.get("path").asText());
      String header = Files.readAllLines(output.resolve("bi").resolve(r.get("path").asText())).get(0);
      List<String> fields = new java.util.ArrayList<>();
      r.get("schema").get("fields").forEach(f -> fields.add(f.get("name").asText()));
      assertEquals(header, String.join(",", fields), r.get("path").asText());
    }
    assertEquals(csvs, described.stream().sorted().toList(), "every CSV of bi/ is a resource of datapackage.json");
    com.fasterxml.jackson.databind.JsonNode fact = java.util.stream.StreamSupport.stream(pkg.get("resources").spliterator(), false)
        .filter(r -> r.get("name").asText().equals(Tables.STAR_FACT_PARTICIPATION)).findFirst().orElseThrow();
    assertEquals("[\"participation_key\"]", fact.get("schema").get("primaryKey").toString());
    // every declared primary key of the gold and star tables holds in the CSV: unique, never empty (one aggregation each)
    for (com.fasterxml.jackson.databind.JsonNode r : pkg.get("resources")) {
      String name = r.get("name").asText();
      if (r.get("schema").has("primaryKey") && (name.startsWith("gold_") || name.startsWith("star_"))) {
        List<org.apache.spark.sql.Column> key = new java.util.ArrayList<>();
        r.get("schema").get("primaryKey").forEach(k -> key.add(col(k.asText())));
        Row counts = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
            .csv(output.resolve("bi").resolve(r.get("path").asText()).toString())
            .agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
                org.apache.spark.sql.functions.count_distinct(key.get(0), key.subList(1, key.size()).toArray(org.apache.spark.sql.Column[]::new)),
                org.apache.spark.sql.functions.sum(org.apache.spark.sql.functions.when(
                    key.stream().map(org.apache.spark.sql.Column::isNull).reduce(org.apache.spark.sql.Column::or).orElseThrow(), 1)
                    .otherwise(0)))
            .first();
        assertEquals(counts.getLong(0), counts.getLong(1), "primary key unique and never empty: " + name + " " + key);
        assertEquals(0L, counts.isNullAt(2) ? 0L : counts.getLong(2), "primary key never empty: " + name + " " + key);
      }
    }
    assertEquals(3, fact.get("schema").get("foreignKeys").size(), fact.toString());
  }

  /**
   * The report of every period, driven in Chromium at two widths: the charts draw every bar, region, outline and point
   * of the gold tables, change with the period and the region, show tooltips, log no console error and fetch nothing;
   * the tables fit the text column. Screenshots in jobs/target/report-screenshots.
   */
  @Test
  void reportIsInteractiveInChromiumAtTwoWidthsAndTwoPeriods() throws Exception {
    new eu.iciatlas.jobs.report.ReportJob(new eu.iciatlas.jobs.report.ReportJob.Config(output.toString(), null),
        spark, new Progress(new PrintStream(System.err, true))).run();
    Path page = output.resolve("report/index.html");
    String html = Files.readString(page);
    new eu.iciatlas.jobs.report.ReportJob(new eu.iciatlas.jobs.report.ReportJob.Config(output.toString(), null),
        spark, Progress.silent()).run();
    assertTrue(html.equals(Files.readString(page)), "the same output gives the same page, byte for byte");
    assertTrue(html.contains("the line is the least-squares fit (gold_correlations.ols_slope and ols_intercept)"),
        "the urbanization line comes from gold_correlations");
    assertTrue(html.contains("; every one of its 12 files balanced."), "the balance as ingest_audit has it");
    assertTrue(html.contains("<td>cross-border</td>") && !html.contains("<td>cross_border</td>"), "region kinds in words");
    for (Row r : table(Tables.GOLD_COUNTRY_SPECIALIZATION, 0).filter("period = '2014-2020' and region_kind = 'cross_border'")
        .select("specialization").distinct().collectAsList()) {
      String label = eu.iciatlas.common.analysis.IciClassifier.specializationLabel(r.getString(0));
      assertTrue(html.contains("<th class='turned'>" + label.replace("&", "&amp;") + "</th>"), "Table 1 names " + r.getString(0) + " in words: " + label);
    }
    assertTrue(!html.contains(">life_science<") && !html.contains(">cleantech<"), "no specialization code as a label");
    Row largest = table(Tables.GOLD_ICI_SHARE, 0).filter("period = '2014-2020' AND share IS NOT NULL").orderBy(col("projects").desc()).first();
    String cell = String.format(java.util.Locale.ROOT, "%.1f %% (%.1f-%.1f)", 100 * largest.<Double>getAs("expected_share"),
        100 * largest.<Double>getAs("expected_share_low"), 100 * largest.<Double>getAs("expected_share_high"));
    assertTrue(html.contains("<th>expected share (95 % interval)</th>") && html.contains(cell), "Figure 2's table has " + cell);
    assertTrue(html.contains("Expected share (95 % interval): the count share corrected by the rules&#39; measured error"),
        "and says what it rests on");
    Row pooled = table(Tables.GOLD_ICI_SHARE_SUMMARY, 0).filter("period = '2014-2020' AND region_kind = 'cross_border'").first();
    String summaryCell = String.format(java.util.Locale.ROOT, "%.1f %% (%.1f-%.1f)", 100 * pooled.<Double>getAs("pooled_expected_share"),
        100 * pooled.<Double>getAs("pooled_expected_share_low"), 100 * pooled.<Double>getAs("pooled_expected_share_high"));
    assertTrue(html.contains("<th>pooled expected share (95 % interval)</th>") && html.contains(summaryCell), "the summary table");
    List<Row> checks = table(Tables.GOLD_ICI_SHARE_ESTIMATED, 0).filter("interval_holds_expected_share IS NOT NULL")
        .select("interval_holds_expected_share").collectAsList();
    assertTrue(html.contains("<table class='estimated-table'") && html.contains("it does in " + checks.stream()
        .filter(x -> x.getBoolean(0)).count() + " of " + checks.size() + " regions."), "the estimates without text and their check");
    assertTrue(html.contains("<b>No shares for 2007-2013</b>"), "the period without text says why it has no shares");
    assertTrue(html.contains("<details id='third-party-licences'>") && html.contains("University of Washington Interactive Data Lab"),
        "the inlined chart libraries' licences travel with them");
    assertTrue(html.contains("<table class='network-summary'") && html.contains("<table class='network-brokers'"),
        "the linkage section's two tables");

    String onlyIn2007 = table(Tables.GOLD_ICI_SHARE, 0).filter("period = '2007-2013' and region_kind = 'cross_border'").select("region_id")
        .except(table(Tables.GOLD_ICI_SHARE, 0).filter("period = '2014-2020'").select("region_id")).orderBy("region_id").first().getString(0);
    com.fasterxml.jackson.databind.JsonNode result = ReportBrowser.drive(page, "2007-2013", "bothnian_arc", onlyIn2007, 1400, 1920);
    assertEquals("[]", result.get("errors").toString(), "no console error or warning");
    assertEquals("[]", result.get("requests").toString(), "nothing fetched: the page is self-contained");
    long regions = table(Tables.GOLD_ICI_SHARE, 0).filter("period = '2014-2020' and region_kind = 'cross_border'").count();
    long regions2007 = table(Tables.GOLD_ICI_SHARE, 0).filter("period = '2007-2013' and region_kind = 'cross_border'").count();
    long specializations = table(Tables.GOLD_SPECIALIZATION_SHARE, 0).filter("period = '2014-2020' and region_kind = 'cross_border'").count();
    long points = table(Tables.GOLD_CORRELATION_POINTS, 0)
        .filter("period = '2014-2020' and level = 'nuts2' and urban_population_share IS NOT NULL and ici_share IS NOT NULL").count();
    for (int width : new int[] {1400, 1920}) {
      com.fasterxml.jackson.databind.JsonNode w = result.get("widths").get(Integer.toString(width));
      com.fasterxml.jackson.databind.JsonNode initial = w.get("initial");
      com.fasterxml.jackson.databind.JsonNode other = w.get("other");
      com.fasterxml.jackson.databind.JsonNode chosen = w.get("chosen");
      assertEquals("2014-2020|", initial.get("state").asText(), "opens on the latest period with ICIs");
      assertEquals(Long.toString(regions), initial.get("figure2Bars").asText(), width + " px: one bar per cross-border region");
      assertEquals(Long.toString(specializations), initial.get("figure3Bars").asText(), width + " px: one bar per specialization");
      assertEquals(Long.toString(regions), initial.get("figure1Outlines").asText(), width + " px: one outline per cross-border region");
      assertEquals(Long.toString(points), initial.get("urbanizationPoints").asText(), width + " px: one point per NUTS 2 region");
      assertTrue(Integer.parseInt(initial.get("figure1Regions").asText()) >= 40, "NUTS 2 regions drawn around the Baltic: " + initial);
      assertEquals(Long.toString(regions2007), other.get("figure1Outlines").asText(), width + " px: 2007-2013 has its own outlines");
      assertEquals("0", other.get("figure2Bars").asText(), width + " px: 2007-2013 has no shares, so no bars (not bars of 0 %)");
      assertTrue(other.get("svgHash").asLong() != initial.get("svgHash").asLong(), "the charts change with the period");
      int blocks = initial.get("visiblePeriodBlocks").size();
      assertTrue(blocks >= 8, "every section has a block per period: " + initial);
      other.get("visiblePeriodBlocks").forEach(b -> assertEquals("2007-2013", b.asText(), "only the chosen period's tables are shown"));
      assertEquals(blocks + 0L, other.get("visiblePeriodBlocks").size(), "and each section shows it");
      assertEquals(regions, initial.get("figure2Highlighted").asLong(), "no region chosen: every bar in the full colour");
      assertTrue(chosen.get("svgHash").asLong() != initial.get("svgHash").asLong(), "the charts change with the region");
      assertEquals(1, chosen.get("figure2Highlighted").asInt(), "one bar in the full colour: the chosen region's");
      assertEquals(1, chosen.get("table2Rows").asInt(), "Table 2 keeps the chosen region's row");
      assertEquals(1, chosen.get("chosenRowsOutsideTable2").asInt(), "Figure 2's table highlights its row");
      assertEquals("", chosen.get("regionNote").asText(), "the region is one of the period's");
      assertTrue(w.get("absent").get("regionNote").asText().endsWith(" is not a cross-border region of 2014-2020."),
          "a region of another period says so: " + w.get("absent"));
      assertEquals(0, w.get("absent").get("table2Rows").asInt(), "and Table 2 has no row of it");
      for (com.fasterxml.jackson.databind.JsonNode state : List.of(initial, other, chosen)) {
        assertEquals("[]", state.get("tablesBeyondText").toString(), width + " px: every table fits the text column (Table 1 too)");
      }
      assertTrue(w.get("barTooltip").asText().contains("expected share"), "a bar's tooltip: " + w.get("barTooltip"));
      assertTrue(w.get("mapTooltip").asText().contains("NUTS 2"), "a map region's tooltip: " + w.get("mapTooltip"));
      assertTrue(w.get("pointTooltip").asText().contains("urban population"), "a point's tooltip: " + w.get("pointTooltip"));
      for (String shot : List.of("2014-2020", "2007-2013", "2014-2020-bothnian_arc")) {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(
            ReportBrowser.SCREENSHOTS.resolve("report-" + width + "px-" + shot + ".png").toFile());
        assertEquals(width, image.getWidth());
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < Math.min(image.getHeight(), 3000); y += 7) {
          for (int x = 0; x < image.getWidth(); x += 7) {
            colours.add(image.getRGB(x, y));
          }
        }
        assertTrue(colours.size() > 20, "the screenshot shows a drawn page, not a blank one: " + colours.size() + " colours");
      }
    }
  }

  @Test
  void theClosingSummaryReportsTheSharesOfTheGoldTablesOnStdoutAndAsJson(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    RunSummary summary = RunSummary.of(spark, output.toString(), "run-2", List.of(), true, true);
    java.io.StringWriter text = new java.io.StringWriter();
    Path json = dir.resolve("summary.json");
    summary.print(new java.io.PrintWriter(text, true), json);
    Row cross = table(Tables.GOLD_ICI_SHARE_SUMMARY, 0).filter("period = '2014-2020' AND region_kind = 'cross_border'").first();
    String expected = String.format(java.util.Locale.ROOT, "%d ICI projects of %d in %d regions: pooled share %.1f %%",
        cross.<Long>getAs("ici_projects"), cross.<Long>getAs("projects"), cross.<Long>getAs("regions"),
        100 * cross.<Double>getAs("pooled_share"));
    assertTrue(text.toString().contains(expected), expected + " in\n" + text);
    String withError = String.format(java.util.Locale.ROOT, "pooled expected share given the rules' measured error %.1f %% (95 %% interval "
        + "%.1f-%.1f)", 100 * cross.<Double>getAs("pooled_expected_share"), 100 * cross.<Double>getAs("pooled_expected_share_low"),
        100 * cross.<Double>getAs("pooled_expected_share_high"));
    assertTrue(text.toString().contains(withError), withError + " in\n" + text);
    Row top = table(Tables.GOLD_ICI_SHARE, 0).filter("period = '2014-2020' AND region_kind = 'cross_border'")
        .orderBy(col("share").desc(), col("ici_projects").desc(), col("region_name")).first();
    assertTrue(text.toString().contains("highest: " + top.getAs("region_name")), text.toString());
    assertTrue(text.toString().contains("2007-2013 cross_border") && text.toString().contains("no share, none of these projects has a description"),
        "a period without text gets no share: " + text);
    assertTrue(text.toString().contains("quarantined") && text.toString().contains("/report/index.html"), text.toString());
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    assertEquals("run-2", doc.get("run_id").asText());
    var first = doc.get("shares").get(0);
    assertEquals("2014-2020", first.get("period").asText());
    assertEquals(3, first.get("top_regions").size());
    long quarantined = 0;
    for (Row r : second.audit()) {
      quarantined += r.<Long>getAs("rows_quarantined");
    }
    assertEquals(quarantined, doc.get("rows_quarantined").asLong(), "the quarantine count of run-2's audit");
  }

  private static eu.iciatlas.common.analysis.IciClassifier rules(String... overrides) {
    eu.iciatlas.common.config.ConfFiles conf = new eu.iciatlas.common.config.ConfFiles(TestData.repoRoot().resolve("conf"));
    return new eu.iciatlas.common.analysis.IciClassifier(conf, eu.iciatlas.common.config.PipelineSettings.load(conf, List.of(overrides)));
  }

  /**
   * gold_ici_share_estimated on the real sample: every region and period has its row; where text exists the text-free
   * estimate is checked against the expected share, and as that check fails on this export (the model's error differs
   * between regions), the periods without text get no estimate but the check's figures as the reason, never a number.
   */
  @Test
  void sharesWithoutTextAreEstimatedOnlyWhereTheMethodPassesItsCheck() {
    Dataset<Row> estimated = table(Tables.GOLD_ICI_SHARE_ESTIMATED, 0);
    assertEquals(table(Tables.GOLD_ICI_SHARE, 0).count(), estimated.count(), "one row per region and period of gold_ici_share");
    Row jutland = estimated.filter("region_id = 'jutland' and period = '2007-2013'").first();
    assertEquals(72L, jutland.<Long>getAs("projects"));
    assertEquals(0L, jutland.<Long>getAs("projects_with_text"));
    assertTrue(jutland.<Long>getAs("predicted_icis") > 0 && jutland.getAs("apparent_share") != null, "the model's count is kept");
    assertEquals(0.716, jutland.<Double>getAs("sensitivity"), 0.0005, "conf/classifier/text_free_model/text_free_rates.csv");
    List<Row> checks = estimated.filter(col("interval_holds_expected_share").isNotNull())
        .select("interval_holds_expected_share").collectAsList();
    long held = checks.stream().filter(r -> r.getBoolean(0)).count();
    assertTrue(checks.size() >= eu.iciatlas.common.analysis.EstimatedShares.MIN_CHECK_REGIONS, checks.size() + " regions checked");
    String reason = jutland.getAs("estimate_null_reason");
    // on the bundled export the check fails (seeded: the same figures every run), so 2007-2013 gets no number
    assertEquals(16, checks.size(), "the 2014-2020 regions with an expected share");
    assertEquals(3, held, "intervals that hold the expected share and are at most 50 points wide (README)");
    assertTrue(jutland.isNullAt(jutland.fieldIndex("estimated_share")), "a method that fails its check gives no number");
    assertTrue(reason.contains("in " + held + " of 16 regions"), reason);
    assertEquals(0, estimated.filter("projects_with_text * 2 < projects AND estimated_share IS NOT NULL").count());
    // the checked rows keep their estimate, the evidence of the check
    assertEquals(checks.size(), estimated.filter("interval_holds_expected_share IS NOT NULL AND estimated_share IS NOT NULL").count());
  }

  /**
   * train-classifier measures the rules of its configuration, not what silver_project_classification holds: with a
   * higher threshold the labelled projects are decided anew (fewer ICIs), with the configured one as the analysis did.
   */
  @Test
  void trainingClassifiesTheLabelledPeriodsWithTheRulesOfItsConfiguration() {
    eu.iciatlas.common.output.OutputTables tables = new eu.iciatlas.common.output.OutputTables(spark, output.toString());
    Dataset<Row> labels = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .csv(TestData.repoRoot().resolve("data/evaluation/ici_labels_v2.csv").toString()).select("project_id");
    Dataset<Row> asConfigured = TrainClassifierJob.classifiedProjectsOfLabelledPeriods(tables, labels, rules());
    Dataset<Row> stricter = TrainClassifierJob.classifiedProjectsOfLabelledPeriods(tables, labels, rules("ici.threshold=6.5"));
    assertEquals(List.of("2014-2020"), asConfigured.select("period").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    List<String> decision = List.of("period", "project_id", "is_ici", "ici_score", "ici_reasons", "primary_specialization");
    Dataset<Row> analysis = table(Tables.SILVER_PROJECT_CLASSIFICATION, 0).filter("period = '2014-2020'")
        .select(decision.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
    Dataset<Row> here = asConfigured.select(decision.stream().map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new));
    assertEquals(0, analysis.exceptAll(here).count() + here.exceptAll(analysis).count(),
        "the configured rules decide every project as the analysis did");
    long analysed = analysis.filter("is_ici").count();
    long strict = stricter.filter("is_ici").count();
    assertTrue(strict > 0 && strict < analysed, strict + " ICIs at threshold 6.5 against " + analysed);
  }

  /** train-classifier end to end on the reference labels (2 folds, no text features: the smallest run that shows it). */
  @Test
  void theLearnedClassifierIsTrainedAndMeasuredOutOfFold(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Map<String, Object> card = new TrainClassifierJob(new TrainClassifierJob.Config(output.toString(),
        TestData.repoRoot().resolve("data/evaluation/ici_labels_v2.csv"), dir.resolve("model").toString(), List.of(0.03), 2,
        20261201L, eu.iciatlas.common.analysis.IciModel.Features.NO_TEXT, rules()), spark, new Progress(new PrintStream(System.err, true))).run();
    assertEquals(600L, card.get("labelled_projects"));
    // the rules' error rates behind every expected share are what train-classifier measures on these labels, to the digit
    assertEquals(Files.readString(TestData.repoRoot().resolve("conf/classifier/rule_error_rates.csv")),
        Files.readString(dir.resolve("model/rule_error_rates.csv")), "conf/classifier/rule_error_rates.csv is not what the"
            + " rules measure on the labels: copy the new one there (README, 'The rules' error')");
    @SuppressWarnings("unchecked")
    Map<String, Double> cv = (Map<String, Double>) card.get("cross_validated_weighted");
    @SuppressWarnings("unchecked")
    Map<String, Double> rules = (Map<String, Double>) card.get("rules_weighted");
    assertEquals(0.620, rules.get("f1"), 0.001, "the rules' figure of the README, on the same projects");
    // specializations of the rules against the labels (README, "Specializations"): 95 labelled ICIs the rules call ICI too
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> specs = (List<Map<String, Object>>) card.get("specializations_of_the_rules");
    Map<String, Object> primary = specs.get(specs.size() - 1);
    assertEquals(95L, primary.get("labelled"));
    assertEquals(0.664, (Double) primary.get("precision"), 0.001, "weighted share whose primary code agrees");
    Map<String, Object> research = specs.stream().filter(m -> "research".equals(m.get("specialization"))).findFirst().orElseThrow();
    assertTrue((Double) research.get("precision") < 0.2 && (Long) research.get("assigned_by_rules") == 67L, research.toString());
    assertTrue(Files.readString(dir.resolve("model/evaluation.md")).contains("| research | 12 | 67 | 0.12 | 1.00 |"));
    assertTrue(cv.get("f1") > 0.55 && cv.get("f1") < 0.8, "out-of-fold F1 of the README's order: " + cv);
    assertTrue(cv.get("brier") < rules.get("brier"), "probabilities score better than yes/no: " + cv);
    assertTrue(Files.exists(dir.resolve("model/model.json")) && Files.exists(dir.resolve("model/evaluation.md"))
        && Files.isDirectory(dir.resolve("model/stages")), "model, card and evaluation written");
    org.apache.spark.ml.PipelineModel model = org.apache.spark.ml.PipelineModel.load(dir.resolve("model").toString());
    Dataset<Row> scored = eu.iciatlas.common.analysis.IciModel.probability(model, classifiedProjects()
        .filter("period = '2014-2020'").join(table(Tables.SILVER_PROGRAMMES, 0).select("programme_key", "strand"), "programme_key"));
    assertEquals(0, scored.filter("ici_probability IS NULL OR ici_probability < 0 OR ici_probability > 1").count());
  }

  /** train-classifier --text-free (2 folds): the text hidden, sensitivity and specificity written beside the model. */
  @Test
  void theTextFreeModelIsMeasuredWithTheTextHidden(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Map<String, Object> card = new TrainClassifierJob(new TrainClassifierJob.Config(output.toString(),
        TestData.repoRoot().resolve("data/evaluation/ici_labels_v2.csv"), dir.resolve("model").toString(), List.of(0.1), 2,
        20261201L, eu.iciatlas.common.analysis.IciModel.Features.TEXT_FREE, rules()), spark,
        new Progress(new PrintStream(System.err, true))).run();
    assertEquals("text_free", card.get("features_used"));
    eu.iciatlas.common.analysis.TextFreeRates rates = eu.iciatlas.common.analysis.TextFreeRates.parse(
        new eu.iciatlas.common.config.ConfFiles(dir).table("model/text_free_rates.csv"));
    assertEquals(119, rates.sensitivity().labelledProjects());
    assertEquals(481, rates.specificity().labelledProjects());
    // acronyms and lead partners carry a little: better than chance, far from the rules
    assertTrue(rates.youden() > 0.1 && rates.youden() < 0.6, "J " + rates.youden());
    assertTrue(Files.notExists(dir.resolve("model/rule_error_rates.csv")), "the rules' rates belong to the model with text");
    try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("model"))) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".crc") || n.equals("_SUCCESS")).toList(), "a folder fit for the repository");
    }
    // the model sees the acronym and lead partner's words and the strand, nothing else
    org.apache.spark.ml.PipelineModel model = org.apache.spark.ml.PipelineModel.load(dir.resolve("model").toString());
    org.apache.spark.ml.feature.VectorAssembler assembler = java.util.Arrays.stream(model.stages())
        .filter(st -> st instanceof org.apache.spark.ml.feature.VectorAssembler).map(st -> (org.apache.spark.ml.feature.VectorAssembler) st)
        .findFirst().orElseThrow();
    assertEquals(List.of("v_words", "f_strand_cross_border", "f_strand_transnational", "f_strand_interregional",
        "f_strand_eni_enpi", "f_strand_ipa"), List.of(assembler.getInputCols()));
    String statement = java.util.Arrays.stream(model.stages()).filter(st -> st instanceof org.apache.spark.ml.feature.SQLTransformer)
        .map(st -> ((org.apache.spark.ml.feature.SQLTransformer) st).getStatement()).findFirst().orElseThrow();
    assertTrue(statement.contains("lower(concat_ws(' ', acronym, array_join(coalesce(lead_partners, array()), ' '))) AS m_text")
        && !statement.contains("description"), statement);
  }
}
