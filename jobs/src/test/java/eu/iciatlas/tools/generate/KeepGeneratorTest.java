package eu.iciatlas.tools.generate;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.generate.GeneratorOptions;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.InputFiles;
import eu.iciatlas.common.io.SourceFiles;
import eu.iciatlas.common.io.XlsxSheets;
import eu.iciatlas.common.keep.KeepBronze;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.keep.KeepColumns;
import eu.iciatlas.common.keep.KeepSilver;
import eu.iciatlas.common.nuts.NutsData;
import eu.iciatlas.common.quality.RejectReason;
import eu.iciatlas.common.quality.Validation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator on the bundled real sample: a synthetic dump at SF 0.02 (700 projects, 3 part
 * files per table) written twice with seed 7, a gzipped one at SF 0.01 with seed 8, and the real
 * rows replicated 3 times; each read back with the ingestion's own reader and validation rules.
 */
class KeepGeneratorTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static final Progress progress = new Progress(new PrintStream(System.err, true));
  private static final double SF = 0.02;
  private static final Persisted persisted = new Persisted();
  private static Map<Kind, Dataset<Row>> real;
  private static KeepModel model;
  private static Path root;
  private static KeepGenerator.Outcome first;
  private static KeepGenerator.Outcome half;
  private static List<String> nuts1;
  private static List<String> nuts2;
  private static List<String> nuts3;

  private static GeneratorOptions options(double scale, long seed, Path dir) {
    return new GeneratorOptions(scale, seed, dir.toString(), 0, List.of(TestData.sample("keep").toString()),
        TestData.repoRoot().resolve("conf"), false, 300);
  }

  @BeforeAll
  static void generate() throws IOException {
    root = Files.createTempDirectory("ici-generate");
    real = KeepGenerator.readSources(spark, List.of(TestData.sample("keep").toString()), persisted, progress);
    model = KeepGenerator.fit(spark, options(SF, 7, root), real, progress);
    first = KeepGenerator.synthetic(spark, options(SF, 7, root.resolve("sf002-seed7")), model, progress);
    // another seed at half the scale, gzipped, in one file per table
    half = KeepGenerator.synthetic(spark, options(SF / 2, 8, root.resolve("sf001-seed8-gz")).withGzip(true)
        .withProjectsPerFile(10_000), model, progress);
    Dataset<Row> regions = NutsData.regions(spark, NutsData.files(spark, TestData.sample("nuts").toString())).cache();
    nuts1 = codes(regions, 1);
    nuts2 = codes(regions, 2);
    nuts3 = codes(regions, 3);
    regions.unpersist();
  }

  @AfterAll
  static void release() {
    // the real exports and every bronze(dir) the tests cached: the test JVM goes on with other classes
    persisted.close();
    spark.catalog().clearCache();
  }

  private static List<String> codes(Dataset<Row> regions, int level) {
    return regions.filter(col("nuts_version").equalTo(2013).and(col("level").equalTo(level)))
        .select("nuts_id").as(Encoders.STRING()).collectAsList();
  }

  private static Map<Kind, Dataset<Row>> bronze(Path dir) {
    List<String> files = InputFiles.expand("--keep", List.of(dir.toString()), List.of("csv", "xlsx"),
        spark.sparkContext().hadoopConfiguration());
    Map<Kind, Dataset<Row>> bronze = KeepBronze.read(spark, files, "test", Timestamp.from(Instant.EPOCH), progress::info);
    bronze.replaceAll((kind, rows) -> rows.cache()); // a raw CSV scan cannot be queried for _corrupt_record alone
    return bronze;
  }

  /** Every file under dir (relative path -> bytes), generator.properties included. */
  private static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  /**
   * The model takes a project's period as the ingestion normalises it from the programme, not the raw Period cell,
   * which the collected rows also hold under the same canonical name: a Period cell written "2014 – 2020 " changes
   * nothing.
   */
  @Test
  void theModelReadsThePeriodAsTheIngestionDoesNotTheRawCell() {
    Map<Kind, Dataset<Row>> dirty = new java.util.EnumMap<>(real);
    assertTrue(List.of(real.get(Kind.PROJECTS).columns()).contains("period"), "the raw Period cell is a column");
    dirty.put(Kind.PROJECTS, real.get(Kind.PROJECTS).withColumn("period", org.apache.spark.sql.functions.lit("2014 \u2013 2020 ")));
    KeepModel fromDirty = KeepGenerator.fit(spark, options(SF, 7, root), dirty, progress);
    assertEquals(List.of("2000-2006", "2007-2013", "2014-2020"), fromDirty.templates.select("t_period").distinct()
        .orderBy("t_period").as(Encoders.STRING()).collectAsList());
    assertEquals(model.templates.groupBy("t_period").count().orderBy("t_period").collectAsList(),
        fromDirty.templates.groupBy("t_period").count().orderBy("t_period").collectAsList());
  }

  @Test
  void theLayoutIsTheRealExportsHeader() {
    var conf = spark.sparkContext().hadoopConfiguration();
    Map<Kind, List<String>> sheets = new TreeMap<>();
    for (XlsxSheets.SheetData sheet : XlsxSheets.read(TestData.sample("keep/keep_closed_1420.xlsx").toString(), conf)) {
      Kind kind = KeepColumns.kindOf(sheet.header());
      if (kind != null) {
        sheets.put(kind, sheet.header());
      }
    }
    assertEquals(KeepLayout.PROJECT_HEADER, sheets.get(Kind.PROJECTS));
    assertEquals(KeepLayout.PARTNER_HEADER, sheets.get(Kind.PARTNERS));
    assertEquals(KeepLayout.CALL_HEADER, sheets.get(Kind.CALLS));
    String csv = TestData.sample("keep/keep_partners_2000_2013.csv.gz").toString();
    assertEquals(KeepLayout.PARTNER_HEADER, CsvSources.parseHeader(SourceFiles.firstLine(csv, conf), CsvSources.Dialect.KEEP));
  }

  @Test
  void aSeedGivesByteIdenticalFilesAnotherSeedOthers() throws IOException {
    Map<String, byte[]> a = files(root.resolve("sf002-seed7"));
    KeepGenerator.synthetic(spark, options(SF, 7, root.resolve("sf002-seed7-again")), model, progress);
    Map<String, byte[]> b = files(root.resolve("sf002-seed7-again"));
    assertEquals(Set.of("calls/keep_calls_00000.csv", "generator.properties", "partners/keep_partners_00000.csv",
        "partners/keep_partners_00001.csv", "partners/keep_partners_00002.csv", "projects/keep_projects_00000.csv",
        "projects/keep_projects_00001.csv", "projects/keep_projects_00002.csv"), a.keySet());
    assertEquals(a.keySet(), b.keySet());
    for (String f : a.keySet()) {
      assertArrayEquals(a.get(f), b.get(f), f);
    }
    // the rows of project i depend on the seed and i only: file 0 of both dumps starts with projects 0, 1, ...
    Map<String, byte[]> c = files(root.resolve("sf001-seed8-gz"));
    for (String table : List.of("projects", "partners", "calls")) {
      String seed7 = new String(a.get(table + "/keep_" + table + "_00000.csv"), StandardCharsets.UTF_8);
      String seed8 = new String(gunzip(c.get(table + "/keep_" + table + "_00000.csv.gz")), StandardCharsets.UTF_8);
      assertEquals(seed7.substring(0, seed7.indexOf("\r\n")), seed8.substring(0, seed8.indexOf("\r\n")), "same header");
      String firstRows7 = seed7.substring(0, Math.min(seed7.length(), 20_000));
      String firstRows8 = seed8.substring(0, Math.min(seed8.length(), 20_000));
      assertNotEquals(firstRows7, firstRows8, table + ": another seed, other rows");
    }
  }

  @Test
  void theIngestionAcceptsTheExportAndCountsScaleWithSf() throws IOException {
    Map<Kind, Dataset<Row>> bronze = bronze(root.resolve("sf002-seed7"));
    assertEquals(first.projectRows(), bronze.get(Kind.PROJECTS).count());
    assertEquals(first.partnerRows(), bronze.get(Kind.PARTNERS).count());
    assertEquals(first.callRows(), bronze.get(Kind.CALLS).count());
    for (Kind kind : Kind.values()) {
      assertEquals(0, bronze.get(kind).filter(col(CsvSources.CORRUPT).isNotNull()).count(), kind + " malformed records");
    }
    Dataset<Row> projects = KeepSilver.checkProjects(bronze.get(Kind.PROJECTS)).cache();
    Dataset<Row> partners = KeepSilver.checkPartners(bronze.get(Kind.PARTNERS), nuts1, nuts2, nuts3).cache();
    Dataset<Row> calls = KeepSilver.checkCalls(bronze.get(Kind.CALLS));
    assertEquals(0, projects.filter(col(Validation.REASON).isNotNull()).count(), "no project row is quarantined");
    assertEquals(0, calls.filter(col(Validation.REASON).isNotNull()).count(), "no call row is quarantined");
    List<Row> reasons = partners.filter(col(Validation.REASON).isNotNull()).groupBy(Validation.REASON).count().collectAsList();
    long quarantined = 0;
    for (Row r : reasons) {
      assertTrue(Set.of(RejectReason.DUPLICATE_ROW.name(), RejectReason.UNKNOWN_NUTS_CODE.name()).contains(r.getString(0)),
          "only the real export's dirty rows are quarantined: " + reasons);
      quarantined += r.getLong(1);
    }
    // the real export: 8 of 36,453 partner rows (6 duplicates, 2 NUTS codes outside NUTS 2013)
    assertTrue(quarantined <= 0.003 * first.partnerRows(), reasons.toString());

    Dataset<Row> silverProjects = KeepSilver.projectsFromExport(Validation.accepted(projects));
    Dataset<Row> participations = KeepSilver.participations(Validation.accepted(partners));
    long projectCount = silverProjects.count();
    assertEquals(700, projectCount, "SF 0.02 = 700 projects");
    assertEquals(first.projects(), projectCount);
    assertEquals(0, participations.select("project_id").except(silverProjects.select("project_id")).count(),
        "every participation belongs to a generated project");
    assertEquals(0, silverProjects.select("project_id").except(participations.filter("is_lead").select("project_id")).count(),
        "every project has its lead partner");
    long participationCount = participations.count();
    double expected = GeneratorOptions.PARTICIPATIONS_AT_SF1 * SF;
    assertTrue(Math.abs(participationCount - expected) <= 0.10 * expected,
        participationCount + " participations at SF 0.02, expected " + expected + " +- 10 %");
    progress.info("SF 0.02: " + projectCount + " projects, " + participationCount + " participations, "
        + first.callRows() + " calls, " + first.bytes() + " bytes");

    // half the scale (another seed, gzipped): half the projects, the same partners per project
    assertEquals(350, half.projects());
    assertTrue(half.files().stream().allMatch(f -> f.endsWith(".csv.gz")), half.files().toString());
    Map<Kind, Dataset<Row>> halfBronze = bronze(root.resolve("sf001-seed8-gz"));
    assertEquals(half.projectRows(), halfBronze.get(Kind.PROJECTS).count());
    assertEquals(half.partnerRows(), halfBronze.get(Kind.PARTNERS).count());
    assertEquals(half.callRows(), halfBronze.get(Kind.CALLS).count());
    double ratio = half.partnerRows() / (double) first.partnerRows();
    assertTrue(ratio > 0.4 && ratio < 0.6, "participations scale with SF: " + ratio);
    projects.unpersist();
    partners.unpersist();
  }

  @Test
  void theFilesHaveTheRealDialectAndDirtyCellRates() throws IOException {
    Map<String, byte[]> generated = files(root.resolve("sf002-seed7"));
    for (var e : generated.entrySet()) {
      if (!e.getKey().endsWith(".csv")) {
        continue;
      }
      byte[] bytes = e.getValue();
      assertFalse(bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB, e.getKey() + ": no BOM, as Keep.eu");
      String text = new String(bytes, StandardCharsets.UTF_8);
      assertTrue(text.endsWith("\r\n"), e.getKey());
      assertTrue(text.startsWith("Programme;"), e.getKey());
      assertEquals(0, text.replace("\r\n", "").chars().filter(ch -> ch == '\r').count(), e.getKey() + ": no bare CR");
    }
    String realCsv = new String(gunzip(TestData.sample("keep/keep_partners_2000_2013.csv.gz")), StandardCharsets.UTF_8);
    progress.info(String.format("records ending CRLF / bare LF inside cells: real partners csv %d / %d, generated partners %d / %d,"
            + " generated projects %d / %d", crlf(realCsv), bareLf(realCsv),
        sum(generated, "partners/", true), sum(generated, "partners/", false),
        sum(generated, "projects/", true), sum(generated, "projects/", false)));
    assertTrue(sum(generated, "projects/", false) > 0, "multi-line descriptions are there");

    Map<String, KeepDirtyCells.Rate> realRates = KeepDirtyCells.measure(real);
    Map<String, KeepDirtyCells.Rate> generatedRates = KeepDirtyCells.measure(bronze(root.resolve("sf002-seed7")));
    StringBuilder table = new StringBuilder("dirty cells, real sample vs generated SF 0.02 seed 7:\n");
    for (String name : realRates.keySet()) {
      table.append(String.format("  %-95s %-28s %s%n", name, realRates.get(name), generatedRates.get(name)));
    }
    progress.info(table.toString());
    List<String> far = new ArrayList<>();
    for (String name : realRates.keySet()) {
      double r = realRates.get(name).value();
      double g = generatedRates.get(name).value();
      if (name.equals("partners: lead partner rows") || name.equals("partners: rows per project (ratio)")) {
        continue; // by design: the real 2000-2013 export holds only lead partners, generated projects have partnerships
      }
      // cells that come with the real rows are within sampling noise (and programme weighting) of the real rate
      if (Math.abs(r - g) > Math.max(0.05, 0.35 * r)) {
        far.add(name + ": real " + realRates.get(name) + ", generated " + generatedRates.get(name));
      }
    }
    assertTrue(far.isEmpty(), String.join("\n", far));
  }

  @Test
  void aShuffleOfGeneratedLinesIsRefused() {
    Dataset<Row> shuffled = spark.range(10).repartition(3).selectExpr("cast(id as string) as value");
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> GeneratedFiles.requireNoShuffle(shuffled));
    assertTrue(e.getMessage().contains("shuffled"), e.getMessage());
    GeneratedFiles.requireNoShuffle(KeepGenerator.indexRange(spark, 10, 3).selectExpr("cast(_i as string) as value"));
  }

  @Test
  void replicatingGivesKTimesTheRealRowsAndUniqueProjects() {
    int k = 3;
    Path dir = root.resolve("replicate3");
    KeepGenerator.Outcome outcome = KeepGenerator.generate(spark,
        new GeneratorOptions(0, 0, dir.toString(), k, List.of(TestData.sample("keep").toString()), null, false, 1), real, progress);
    Map<Kind, Dataset<Row>> copies = bronze(dir);
    for (Kind kind : Kind.values()) {
      assertEquals(k * real.get(kind).count(), copies.get(kind).count(), kind + " rows");
    }
    assertEquals(k * real.get(Kind.PROJECTS).count(), outcome.projectRows());
    Dataset<Row> realKeys = projectKeys(real).cache();
    Dataset<Row> copyKeys = projectKeys(copies).cache();
    long realCount = realKeys.count();
    assertEquals(k * realCount, copyKeys.count(), "every copy is a new project with a unique key");
    assertEquals(k * realCount, outcome.projects());
    for (int c = 2; c <= k; c++) {
      assertEquals(realCount, copyKeys.filter(col("acronym").endsWith(" -R" + c)).count(), "copy " + c);
    }
    // copy 1 is the real export cell for cell, so the ingestion treats it exactly as the real one
    // (same project ids, the same 6 duplicate rows and 2 NUTS codes outside NUTS 2013 quarantined)
    for (Kind kind : List.of(Kind.PROJECTS, Kind.PARTNERS)) {
      org.apache.spark.sql.Column[] cells = KeepLayout.cells(real.get(kind), kind);
      Dataset<Row> realCells = real.get(kind).select(cells);
      Dataset<Row> firstCopy = copies.get(kind).filter(col("acronym").rlike(" -R[0-9]+$").equalTo(false)
          .or(col("acronym").isNull())).select(cells);
      assertEquals(0, realCells.exceptAll(firstCopy).count(), kind + ": real rows missing from copy 1");
      assertEquals(0, firstCopy.exceptAll(realCells).count(), kind + ": copy 1 rows that are not real");
    }
    realKeys.unpersist();
    copyKeys.unpersist();
    assertNotEquals(0, outcome.bytes());
  }

  /** Distinct project keys (programme + acronym, as the ingestion forms them) with one acronym cell each. */
  private static Dataset<Row> projectKeys(Map<Kind, Dataset<Row>> bronze) {
    return KeepModel.keyed(bronze.get(Kind.PROJECTS)).select("_pid", "acronym")
        .unionByName(KeepModel.keyed(bronze.get(Kind.PARTNERS)).select("_pid", "acronym"))
        .groupBy("_pid").agg(org.apache.spark.sql.functions.min("acronym").as("acronym"));
  }

  private static long sum(Map<String, byte[]> files, String prefix, boolean crlf) {
    long n = 0;
    for (var e : files.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        String text = new String(e.getValue(), StandardCharsets.UTF_8);
        n += crlf ? crlf(text) : bareLf(text);
      }
    }
    return n;
  }

  private static long crlf(String text) {
    return (text.length() - text.replace("\r\n", "").length()) / 2;
  }

  private static long bareLf(String text) {
    return text.replace("\r\n", "").chars().filter(ch -> ch == '\n').count();
  }

  private static byte[] gunzip(Path file) throws IOException {
    return gunzip(Files.readAllBytes(file));
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
