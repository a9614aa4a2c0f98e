package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.io.InputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * --nuts-version 2021 on the smallest input that shows it: the real 2007-2013 partners of three
 * programmes whose NUTS codes changed after 2013 (Latvia-Lithuania: LT00 became LT01 and LT02;
 * Sweden-Norway: Norway's regions were merged in 2021; the Irish border programme: IE011 was
 * split), with two Eurostat files (population of NUTS 2006, GDP of NUTS 2013) and the Baltic region definition.
 */
@Tag("pipeline")
class NutsVersionTest {
  private static final List<String> PROGRAMMES = List.of("2007 - 2013 Latvia-Lithuania (LV-LT);",
      "2007 - 2013 Sweden - Norway (SE-NO);", "2007 - 2013 Northern Ireland - Border Region of Ireland - Western Scotland (IE-UK);");
  private static final String VERSION_2021 = "output.nuts.version=2021";
  private static Path output;
  private static Path keep;
  private static final SparkSession spark = SparkTestSession.get();
  private static final Progress progress = new Progress(new PrintStream(System.err, true));

  private static IngestConfig ingest(List<String> settings, String runId) {
    return new IngestConfig(List.of(keep.toString()), List.of(TestData.sample("eurostat/tgs00001.tsv.gz").toString(),
        TestData.sample("eurostat/nama_10r_2gdp.tsv.gz").toString()),
        TestData.sample("nuts").toString(), List.of(), output.toString(), TestData.repoRoot().resolve("conf"), settings, runId);
  }

  private static AnalyseJob.Config analyse(List<String> settings) {
    return new AnalyseJob.Config(output.toString(), TestData.repoRoot().resolve("conf"), settings, "baltic", List.of());
  }

  @BeforeAll
  static void runIn2021() throws Exception {
    keep = Files.createTempDirectory("ici-nuts-version-keep").resolve("partners_2007_2013_three_programmes.csv");
    // whole one-line records of those programmes (a record with a line break inside is left out)
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
            Files.newInputStream(TestData.sample("keep/keep_partners_2000_2013.csv.gz"))), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(keep, StandardCharsets.UTF_8)) {
      out.write(in.readLine() + "\n");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (PROGRAMMES.stream().anyMatch(line::startsWith) && line.chars().filter(c -> c == '"').count() % 2 == 0) {
          out.write(line + "\n");
        }
      }
    }
    output = Files.createTempDirectory("ici-nuts-2021");
    JobRuns.ingest(spark, ingest(List.of(VERSION_2021), "nuts-2021"), progress);
    // the region tables are the point; without the linkage networks the report says it has none (checked below)
    JobRuns.analyse(spark, analyse(List.of("network.enabled=false")), progress);
    new eu.iciatlas.jobs.report.ReportJob(new eu.iciatlas.jobs.report.ReportJob.Config(output.toString(), "2007-2013"), spark,
        progress).run();
  }

  private static Dataset<Row> table(String name) {
    return spark.read().format("delta").load(output.resolve("delta").resolve(name).toString());
  }

  private static Set<String> nuts2021(int level) {
    return new HashSet<>(table(Tables.SILVER_NUTS_REGIONS).filter(col("nuts_version").equalTo(2021).and(col("level").equalTo(level)))
        .select("nuts_id").as(Encoders.STRING()).collectAsList());
  }

  private static List<String> strings(Dataset<Row> rows) {
    return rows.as(Encoders.STRING()).collectAsList();
  }

  @Test
  void theRegionTablesAndCorrelationsAreInNuts2021() {
    Set<String> level2 = nuts2021(2);
    for (String t : List.of(Tables.GOLD_REGION_PROFILE, Tables.STAR_DIM_REGION, Tables.SILVER_REGION_INDICATORS)) {
      Dataset<Row> rows = table(t);
      assertEquals(List.of("2021"), strings(rows.select(col("nuts_version").cast("string")).distinct()), t);
      // star_dim_region's unknown member has no code
      List<String> codes = strings(rows.select("nuts2").filter(col("nuts2").isNotNull()).distinct());
      assertTrue(level2.containsAll(codes), t + " has codes outside NUTS 2021: " + codes.stream().filter(c -> !level2.contains(c)).toList());
    }
    List<String> profile = strings(table(Tables.GOLD_REGION_PROFILE).select("nuts2").distinct().orderBy("nuts2"));
    assertTrue(profile.containsAll(List.of("LT01", "LT02", "IE04", "NO08")), profile.toString());
    assertFalse(profile.contains("LT00") || profile.contains("NO01"), "no NUTS 2013 code is left: " + profile);
    // the indicators were recoded to 2021 and reach the profile: Vilnius (LT01) has a population
    assertTrue(table(Tables.GOLD_REGION_PROFILE).filter(col("nuts2").equalTo("LT01").and(col("population").isNotNull())).count() > 0);
    Dataset<Row> correlations = table(Tables.GOLD_CORRELATIONS).filter(col("level").equalTo("nuts2"));
    assertEquals(List.of("2021"), strings(correlations.select(col("nuts_version").cast("string")).distinct()));
    Dataset<Row> points = table(Tables.GOLD_CORRELATION_POINTS).filter(col("level").equalTo("nuts2"));
    assertTrue(level2.containsAll(strings(points.select("unit_id"))));
    // the correlation of population rests on exactly the NUTS 2021 points that have one
    long withPopulation = points.filter(col("population").isNotNull()).count();
    assertTrue(withPopulation >= 10, "points with a population: " + withPopulation);
    assertEquals(withPopulation, ((Number) correlations.filter(col("indicator").equalTo("population")
        .and(col("measure").equalTo("ici_projects"))).first().getAs("n")).longValue());
    // these 2007-2013 partners have no project text: no ICI share, so the share's correlation rests on no point (n 0, r null)
    assertEquals(0, points.filter(col("ici_share").isNotNull()).count(), "no NUTS 2 share without text");
    Row share = correlations.filter(col("indicator").equalTo("population").and(col("measure").equalTo("ici_share"))).first();
    assertEquals(0L, ((Number) share.getAs("n")).longValue());
    assertTrue(share.isNullAt(share.fieldIndex("pearson_r")), "r is null, not 0");
  }

  @Test
  void everyParticipationIsPlacedOrReported() {
    Dataset<Row> report = table(Tables.GOLD_PARTNER_NUTS_RECODING);
    assertEquals(table(Tables.SILVER_PARTICIPATIONS).count(), report.agg(sum("participations")).first().getLong(0));
    Row ie = report.filter(col("keep_code").equalTo("IE011")).first();
    assertEquals("IE04", ie.getAs("nuts2"));
    assertEquals("largest_population_part", ie.getAs("nuts2_method"));
    assertEquals(2, (int) ie.getAs("output_parts"));
    assertTrue(report.filter(col("nuts2_method").equalTo("renamed")).count() > 0);
    // the Baltic footprints (NUTS 2013 prefixes) are outlined in 2021 codes
    Set<String> anyLevel = nuts2021(2);
    anyLevel.addAll(nuts2021(3));
    List<String> footprint = strings(table(Tables.GOLD_REGION_FOOTPRINT).select("nuts_code").distinct());
    assertFalse(footprint.isEmpty());
    assertTrue(anyLevel.containsAll(footprint), footprint.toString());
    // GO's footprint NO01 NO031 SE232: Oslo og Akershus (NO01) is a fifth of NUTS 2021 NO08 and still outlined, approximately
    Dataset<Row> go = table(Tables.GOLD_REGION_FOOTPRINT).filter(col("region_id").equalTo("go"));
    assertTrue(strings(go.select("nuts_code")).containsAll(List.of("NO08", "SE232")), strings(go.select("nuts_code")).toString());
    assertEquals(List.of("definition_approximate"), strings(go.select("basis").distinct()));
  }

  @Test
  void theMapIsDrawnOnTheNuts2021Geometries() throws Exception {
    String html = Files.readString(output.resolve("report/index.html"));
    assertTrue(html.contains("<p class='note'>NUTS 2021 regions of "), "the caption names the version");
    assertFalse(html.contains("drawn on the GISCO NUTS"), "the 2021 regions on their own shapes, not another version's");
    assertTrue(html.contains("\"nuts_id\":\"LT01\"") && html.contains("\"nuts_id\":\"NO08\""), "2021 shapes in the map's data");
    assertFalse(html.contains("\"nuts_id\":\"NO01\""), "no 2016 shape of a region 2021 merged");
    assertTrue(html.contains("Approximate outlines") && html.contains("GO (G"), "GO's outline is said to be approximate");
    assertTrue(html.contains("This output has no linkage network tables (analysed with network.enabled=false)"),
        "a report without network tables says so");
    assertFalse(Files.exists(output.resolve("delta").resolve(Tables.GOLD_NETWORK_SUMMARY)), "network.enabled=false writes none");
  }

  @Test
  void anotherVersionIntoTheSameFolderIsRefusedBeforeAnythingIsWritten() throws Exception {
    long before = commits();
    InputException ingest = assertThrows(InputException.class,
        () -> JobRuns.ingest(spark, ingest(List.of("output.nuts.version=2013"), "nuts-2013"), progress));
    assertTrue(ingest.getMessage().contains("holds tables in NUTS 2021"), ingest.getMessage());
    InputException analysis = assertThrows(InputException.class,
        () -> JobRuns.analyse(spark, analyse(List.of("output.nuts.version=2016")), progress));
    assertTrue(analysis.getMessage().contains("are in NUTS 2021"), analysis.getMessage());
    InputException spaced = assertThrows(InputException.class,
        () -> JobRuns.analyse(spark, analyse(List.of(" output.nuts.version = 2016")), progress));
    assertTrue(spaced.getMessage().contains("are in NUTS 2021"), spaced.getMessage());
    assertEquals(before, commits(), "no table was written");
  }

  private static long commits() throws java.io.IOException {
    long n = 0;
    try (java.util.stream.Stream<Path> logs = Files.walk(output.resolve("delta"))) {
      n = logs.filter(p -> p.getFileName().toString().endsWith(".json") && p.getParent().endsWith("_delta_log")).count();
    }
    return n;
  }
}
