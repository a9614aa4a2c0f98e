package eu.iciatlas.common.nuts;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.DatasetAssert;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.schema.TableSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partners and footprints placed in other NUTS versions with the bundled GISCO lists and JRC
 * matrices. Expected values read off the matrix files: IE011 (2013) holds 419,461 of its 559,934
 * inhabitants of 2021 in IE04 and 140,473 in IE06 (2016 on); LT00A (Vilnius county) is LT011 in
 * 2016 on; Montenegro is outside the matrices but listed in every version; the United Kingdom is
 * not in NUTS 2024.
 */
class PartnerRegionsTest {
  private static Dataset<Row> regions;
  private static Dataset<Row> conversions;
  private final SparkSession spark = SparkTestSession.get();

  @BeforeAll
  static void readNuts(@TempDir Path dir) throws java.io.IOException {
    SparkSession spark = SparkTestSession.get();
    // the code list and the six matrices from NUTS 2013 these tests use (Spark reads all 30 four times slower)
    Path sample = TestData.sample("nuts");
    Files.copy(sample.resolve("nuts_codes_all_versions_gisco.csv"), dir.resolve("nuts_codes_all_versions_gisco.csv"));
    for (String level : List.of("n2", "n3")) {
      for (String to : List.of("2016", "2021", "2024")) {
        String matrix = level + "_cm_v2013_v" + to + ".csv";
        Files.copy(sample.resolve("jrc").resolve(matrix), dir.resolve(matrix));
      }
    }
    String folder = dir.toString();
    regions = NutsData.regions(spark, NutsData.files(spark, folder)).drop("_corrupt_record").cache();
    conversions = NutsData.conversions(spark, NutsData.files(spark, folder)).drop("_corrupt_record").cache();
  }

  private Dataset<Row> participations(Object[]... rows) {
    StructType schema = TableSchemas.columns(Tables.SILVER_PARTICIPATIONS, "period", "participation_id", "nuts3", "nuts2");
    return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), schema);
  }

  private final Object[][] partners = {
      {"2007-2013", "split", "IE011", "IE01"},
      {"2007-2013", "renamed", "LT00A", "LT00"},
      {"2007-2013", "unchanged", "DE80K", "DE80"},
      {"2007-2013", "outside", "ME000", "ME00"},
      {"2007-2013", "no nuts 3", null, "PL12"},
      {"2007-2013", "uk", "UKC21", "UKC2"},
      {"2007-2013", "none", null, null}};

  @Test
  void aPartnerGoesToTheOutputRegionHoldingMostOfItsNuts3Population() {
    Dataset<Row> placed = PartnerRegions.place(participations(partners), conversions, regions, 2013, 2021, NutsCodeLists.level2(regions, 2021));
    DatasetAssert.assertRows(List.of(
            Arrays.asList("none", null, null, "no_nuts_code", null, null),
            Arrays.asList("no nuts 3", "PL12", "PL91", "largest_population_part", 2, 2),
            Arrays.asList("outside", "ME00", "ME00", "same_code_outside_matrix", 3, 1),
            Arrays.asList("renamed", "LT00", "LT01", "renamed", 3, 1),
            Arrays.asList("split", "IE01", "IE04", "largest_population_part", 3, 2),
            Arrays.asList("uk", "UKC2", "UKC2", "same_code", 3, 1),
            Arrays.asList("unchanged", "DE80", "DE80", "same_code", 3, 1)),
        placed.orderBy("participation_id"), "participation_id", "keep_nuts2", "nuts2", "nuts2_method", "nuts2_source_level",
        "output_parts");
    double share = placed.filter(col("participation_id").equalTo("split")).first().getAs("population_share");
    assertEquals(419_461.0 / (419_461.0 + 140_473.0), share, 1e-6);

    Dataset<Row> in2024 = PartnerRegions.place(participations(partners), conversions, regions, 2013, 2024, NutsCodeLists.level2(regions, 2024));
    Row uk = in2024.filter(col("participation_id").equalTo("uk")).first();
    assertEquals("no_region_in_output_version", uk.getAs("nuts2_method"));
    assertTrue(uk.isNullAt(uk.fieldIndex("nuts2")));
    // every participation is in the report, the unplaced ones too
    Dataset<Row> report = PartnerRegions.report(in2024, 2013, 2024);
    assertEquals(partners.length, report.agg(org.apache.spark.sql.functions.sum("participations")).first().getLong(0));
    assertEquals(1L, report.filter(col("nuts2_method").equalTo("no_region_in_output_version")).count());
  }

  @Test
  void northernIrelandIsInUkn0InNuts2016ThoughTheJrcMatricesCallItUkn1() {
    Dataset<Row> placed = PartnerRegions.place(participations(
            new Object[] {"2007-2013", "belfast", "UKN01", "UKN0"},
            new Object[] {"2007-2013", "derry", "UKN05", "UKN0"}), conversions, regions, 2013, 2016, NutsCodeLists.level2(regions, 2016));
    DatasetAssert.assertRows(List.of(Arrays.asList("belfast", "UKN0"), Arrays.asList("derry", "UKN0")),
        placed.orderBy("participation_id"), "participation_id", "nuts2");
    assertEquals(0L, placed.filter(col("nuts2").equalTo("UKN1")).count());
  }

  @Test
  void theKeepVersionIsKeptAsItIs() {
    Dataset<Row> placed = PartnerRegions.place(participations(partners), conversions, regions, 2013, 2013, Set.of());
    assertEquals(List.of("IE01", "LT00", "DE80", "ME00", "PL12", "UKC2"),
        placed.filter(col("nuts2_method").equalTo("same_version")).select("nuts2").as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList());
  }

  @Test
  void aFootprintBecomesTheOutputRegionsMostOfWhoseAreaItCovers() {
    StructType schema = new StructType().add("region_id", DataTypes.StringType)
        .add("footprint", DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> footprints = spark.createDataFrame(List.of(
        RowFactory.create("lithuania", List.of("LT00")),
        RowFactory.create("vilnius", List.of("LT00A")),
        RowFactory.create("region centralny and a duplicate prefix", List.of("PL1", "PL12")),
        RowFactory.create("scotland", List.of("UKM"))), schema);
    NutsRecoder.Areas areas = NutsRecoder.areas(footprints, List.of("region_id"), conversions, 2013, 2024,
        NutsCodeLists.level2(regions, 2024));
    DatasetAssert.assertRows(List.of(
            Arrays.asList("lithuania", List.of("LT01", "LT02")),
            // NUTS 2013 PL1 (Region Centralny) = PL11 Lodzkie (PL71 in 2016 on) + PL12 Mazowieckie (PL91, PL92)
            Arrays.asList("region centralny and a duplicate prefix", List.of("PL71", "PL91", "PL92")),
            Arrays.asList("vilnius", List.of("LT011"))),
        areas.areas().orderBy("region_id"), "region_id", "footprint");
    DatasetAssert.assertRows(List.of(Arrays.asList("scotland", "UKM")), areas.unconverted(), "region_id", "code");
  }

  @Test
  void aFootprintCodeThatIsASmallPartOfAnOutputRegionKeepsThatRegionAndSaysTheOutlineIsApproximate() {
    StructType schema = new StructType().add("region_id", DataTypes.StringType)
        .add("footprint", DataTypes.createArrayType(DataTypes.StringType));
    // GO (Goteborg-Oslo) in NUTS 2013: Oslo og Akershus (NO01), Ostfold (NO031), Vastra Gotaland (SE232)
    Dataset<Row> footprints = spark.createDataFrame(List.of(RowFactory.create("go", List.of("NO01", "NO031", "SE232"))), schema);
    NutsRecoder.Areas areas = NutsRecoder.areas(footprints, List.of("region_id"), conversions, 2013, 2021,
        NutsCodeLists.level2(regions, 2021));
    Row go = areas.areas().first();
    // NO01 is about a fifth of NUTS 2021 NO08 (Oslo og Viken): kept as the region holding its largest part
    assertEquals(List.of("NO08", "NO082", "SE232"), go.getList(go.fieldIndex("footprint")));
    assertTrue(go.<Boolean>getAs("approximate"));
    // no code of the footprint is cut, but NO08 (Oslo og Viken) reaches far beyond Oslo og Akershus and Ostfold
    Row approximation = areas.approximations().first();
    assertEquals(1L, areas.approximations().count());
    assertTrue(approximation.isNullAt(approximation.fieldIndex("code")));
    assertTrue(approximation.<Double>getAs("beyond_share") > 0.4, approximation.toString());
    assertEquals(0L, areas.unconverted().count());
  }
}
