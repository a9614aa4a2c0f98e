package eu.iciatlas.common.nuts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.iciatlas.common.DatasetAssert;
import eu.iciatlas.common.SparkTestSession;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A hand-made split: in 2006 region AA11 (100 inhabitants, 10 km2) became, in 2013, AA21 (25
 * inhabitants, 8 km2) and AA22 (75 inhabitants, 2 km2); AA22 also took all of AA12 (100
 * inhabitants, 10 km2). Expected values worked out by hand in the comments.
 */
class NutsRecoderTest {
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> matrix() {
    StructType schema = new StructType()
        .add("level", DataTypes.IntegerType).add("from_version", DataTypes.IntegerType)
        .add("to_version", DataTypes.IntegerType).add("from_code", DataTypes.StringType)
        .add("to_code", DataTypes.StringType).add("area_km2", DataTypes.DoubleType)
        .add("pop11", DataTypes.DoubleType).add("pop21", DataTypes.DoubleType);
    return spark.createDataFrame(List.of(
        RowFactory.create(2, 2006, 2013, "AA11", "AA21", 8.0, 25.0, 0.0),
        RowFactory.create(2, 2006, 2013, "AA11", "AA22", 2.0, 75.0, 0.0),
        RowFactory.create(2, 2006, 2013, "AA12", "AA22", 10.0, 100.0, 0.0)), schema);
  }

  private Dataset<Row> series(Object[]... rows) {
    StructType schema = new StructType().add("indicator", DataTypes.StringType)
        .add("additive", DataTypes.BooleanType).add("area_weighted", DataTypes.BooleanType)
        .add("source_version", DataTypes.IntegerType).add("geo", DataTypes.StringType).add("value", DataTypes.DoubleType);
    return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), schema);
  }

  @Test
  void countsSplitByPopulationRatesAverageByPopulationDensitiesByArea() {
    Dataset<Row> s = series(
        new Object[] {"population", true, false, 2006, "AA11", 100.0},
        new Object[] {"population", true, false, 2006, "AA12", 100.0},
        new Object[] {"gdp_index", false, false, 2006, "AA11", 80.0},
        new Object[] {"gdp_index", false, false, 2006, "AA12", 120.0},
        new Object[] {"density", false, true, 2006, "AA11", 10.0},
        new Object[] {"density", false, true, 2006, "AA12", 10.0});
    NutsRecoder.Result r = NutsRecoder.recode(s, List.of("indicator", "additive", "area_weighted"),
        NutsRecoder.oriented(matrix(), 2, 2013, Set.of("AA21", "AA22")), Set.of("AA21", "AA22"), 2013, 0.95);
    DatasetAssert.assertRows(List.of(
            // population: AA21 = 100 * 25/100; AA22 = 100 * 75/100 + 100
            Arrays.asList("population", "AA21", 25.0, 1.0), Arrays.asList("population", "AA22", 175.0, 1.0),
            // index: AA21 only overlaps AA11; AA22 = (80*75 + 120*100) / 175
            Arrays.asList("gdp_index", "AA21", 80.0, 1.0), Arrays.asList("gdp_index", "AA22", 102.857142857, 1.0),
            // density: area-weighted mean, (10*2 + 10*10) / 12 = 10 (a population-weighted sum would give 17.5)
            Arrays.asList("density", "AA21", 10.0, 1.0), Arrays.asList("density", "AA22", 10.0, 1.0)),
        r.recoded(), "indicator", "nuts2", "value", "coverage");
    assertEquals(0, r.notRecoded().count());
  }

  @Test
  void aRegionMissingMostOfItsSourcesIsReportedNotGuessed() {
    Dataset<Row> s = series(new Object[] {"population", true, false, 2006, "AA11", 100.0},
        new Object[] {"population", true, false, 2006, "ZZ99", 5.0});
    NutsRecoder.Result r = NutsRecoder.recode(s, List.of("indicator", "additive", "area_weighted"),
        NutsRecoder.oriented(matrix(), 2, 2013, Set.of("AA21", "AA22")), Set.of("AA21", "AA22"), 2013, 0.95);
    // AA22 has AA11's 75 of its 175 inhabitants: coverage 0.43 < 0.95
    DatasetAssert.assertRows(List.of(Arrays.asList("population", "AA21", 25.0)), r.recoded(), "indicator", "nuts2", "value");
    DatasetAssert.assertRows(List.of(
            Arrays.asList("AA22", "target_region_partly_covered", 75.0 / 175.0),
            Arrays.asList("ZZ99", "source_code_not_in_conversion_matrix", null)),
        r.notRecoded(), "code", "status", "coverage");
  }

  @Test
  void aMatrixTargetTheVersionDoesNotListIsReadAsTheOnlyRegionOfItsNuts1() {
    // the JRC 2013-2016 matrices call Northern Ireland UKN1; NUTS 2016 lists UKN0, with NUTS 3 UKN06..UKN16
    Set<String> level2 = Set.of("UKN0", "UKM5", "UKM6", "XX11");
    List<Row> read = spark.createDataset(List.of("UKN1", "UKN13", "UKN06", "UKM51", "UKM9", "ZZ11"),
            org.apache.spark.sql.Encoders.STRING()).toDF("code")
        .select(NutsRecoder.nuts2Of(org.apache.spark.sql.functions.col("code"), level2)).collectAsList();
    assertEquals(Arrays.asList("UKN0", "UKN0", "UKN0", "UKM5", null, null), read.stream().map(r -> r.getString(0)).toList(),
        "UKM9: UKM has two NUTS 2 regions, so no guess; ZZ: no region at all");

    StructType schema = matrix().schema();
    Dataset<Row> ni = spark.createDataFrame(List.of(RowFactory.create(2, 2013, 2016, "UKN0", "UKN1", 14_000.0, 1.8e6, 1.9e6),
        RowFactory.create(2, 2013, 2016, "ZZ00", "ZZ01", 1.0, 1.0, 1.0)), schema);
    DatasetAssert.assertRows(List.of(Arrays.asList("UKN0", "UKN0", "UKN0")),
        NutsRecoder.oriented(ni, 2, 2016, level2), "source_code", "target_code", "target_nuts2");
    assertEquals(List.of("JRC matrix region UKN1 is no NUTS 2016 NUTS 2 code: read as UKN0",
        "JRC matrix region ZZ01 is no NUTS 2016 NUTS 2 code: its rows are left out"),
        NutsCodeLists.unlistedTargets(ni, 2016, level2));
  }

  @Test
  void versionDetectionPicksTheListWithMostCodesAndPrefersTheTarget() {
    Map<Integer, Set<String>> lists = Map.of(2006, Set.of("FI18", "FI19", "DE41"), 2013, Set.of("FI1B", "FI1C", "FI19"),
        2010, Set.of("FI18", "FI19", "DE40"));
    assertEquals(2006, NutsRecoder.detectVersion(Set.of("FI18", "FI19", "DE41"), lists, 2013));
    assertEquals(2013, NutsRecoder.detectVersion(Set.of("FI19"), lists, 2013), "ties go to the target version");
  }
  @Test
  void theInputNoteChangesWithAnyNutsFileAndOnlyThen(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path sample = eu.iciatlas.common.TestData.sample("nuts");
    java.nio.file.Path copy = dir.resolve("nuts");
    try (var files = java.nio.file.Files.walk(sample)) {
      for (java.nio.file.Path f : files.toList()) {
        java.nio.file.Files.copy(f, copy.resolve(sample.relativize(f).toString()));
      }
    }
    String original = NutsData.inputNote(spark, NutsData.files(spark, sample.toString()));
    assertEquals(original, NutsData.inputNote(spark, NutsData.files(spark, copy.toString())), "another folder with the same files");
    java.nio.file.Path matrix = copy.resolve("jrc/n2_cm_v2006_v2013.csv");
    java.nio.file.Files.writeString(matrix, java.nio.file.Files.readString(matrix).replaceFirst("\n", "\n\n"));
    org.junit.jupiter.api.Assertions.assertNotEquals(original, NutsData.inputNote(spark, NutsData.files(spark, copy.toString())), "one matrix changed");
  }
}
