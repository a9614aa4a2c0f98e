package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.schema.TableSchemas;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The region-level profile behind gold_correlations and the tests of gold_hypothesis_tests, on inputs small enough to check by hand. */
class StatisticsTablesTest {
  private static final String P = "2014-2020";
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> iciShare(Object[]... rows) {
    StructType schema = eu.iciatlas.common.schema.TableSchemas.columns(eu.iciatlas.common.Tables.GOLD_ICI_SHARE, "region_id",
        "region_name", "region_kind", "period", "projects", "ici_projects", "share");
    return spark.createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), schema);
  }

  /**
   * Region A has partners in N1 (population 100, 10 km2, R&D 1 %), N2 (300, 50 km2, 3 %) and N3 (600, 100 km2, R&D
   * unknown): population and area add up (1,000; 160), the density is their quotient (6.25, not a mean of the three
   * densities), and R&D is weighted by the population of the regions that report it ((100 + 900) / 400 = 2.5). Region
   * B's partners are in N4 (no population, 40 km2, R&D 2 %) and N5 (500, area unknown, R&D 6 %): the density takes
   * only regions with both (null here: nothing to divide), and a rate where the population is unknown weighs 1
   * ((2 + 3000) / 501). A transnational region has no row.
   */
  @Test
  void aCrossBorderRegionGetsItsPartnersIndicatorsAddedOrWeightedByPopulation() {
    Dataset<Row> share = iciShare(new Object[] {"A", "Region A", "cross_border", P, 10L, 2L, 0.2},
        new Object[] {"B", "Region B", "ipa", P, 4L, 1L, 0.25}, new Object[] {"T", "Sea T", "transnational", P, 5L, 1L, 0.2});
    StructType pr = TableSchemas.columns(Tables.SILVER_PROJECT_REGIONS, "project_id", "period", "region_id");
    Dataset<Row> projectRegions = spark.createDataFrame(List.of(RowFactory.create("p1", P, "A"), RowFactory.create("p2", P, "A"),
        RowFactory.create("p3", P, "T"), RowFactory.create("p5", P, "B")), pr);
    StructType part = TableSchemas.columns(Tables.SILVER_PARTICIPATIONS, "project_id", "nuts2");
    Dataset<Row> participations = spark.createDataFrame(List.of(RowFactory.create("p1", "N1"), RowFactory.create("p1", "N2"),
        RowFactory.create("p2", "N2"), RowFactory.create("p2", "N3"), RowFactory.create("p2", null),
        RowFactory.create("p3", "N9"), RowFactory.create("p5", "N4"), RowFactory.create("p5", "N5")), part);
    StructType np = new StructType().add("nuts2", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("projects", DataTypes.LongType).add("gerd_pct_gdp", DataTypes.DoubleType).add("population", DataTypes.DoubleType)
        .add("area_km2", DataTypes.DoubleType).add("population_density", DataTypes.DoubleType);
    Dataset<Row> nutsProfile = spark.createDataFrame(List.of(RowFactory.create("N1", P, 1L, 1.0, 100.0, 10.0, 10.0),
        RowFactory.create("N2", P, 2L, 3.0, 300.0, 50.0, 6.0), RowFactory.create("N3", P, 1L, null, 600.0, 100.0, 6.0),
        RowFactory.create("N4", P, 1L, 2.0, null, 40.0, null), RowFactory.create("N5", P, 1L, 6.0, 500.0, null, null),
        RowFactory.create("N9", P, 2L, 9.0, 5000.0, 1.0, 5000.0)), np);

    assertEquals(List.of("population_density", "gerd_pct_gdp", "population", "area_km2"),
        StatisticsTables.indicatorColumns(nutsProfile), "the order of INDICATOR_ORDER, urbanization first");
    List<Row> rows = StatisticsTables.regionLevelProfile(share, projectRegions, participations, nutsProfile)
        .orderBy("region_id").collectAsList();
    assertEquals(2, rows.size(), "cross-border, ENI and IPA regions only: " + rows);
    Row a = rows.get(0);
    assertEquals("A", a.getAs("region_id"));
    assertEquals(1000.0, a.<Double>getAs("population"), 1e-9);
    assertEquals(160.0, a.<Double>getAs("area_km2"), 1e-9);
    assertEquals(6.25, a.<Double>getAs("population_density"), 1e-9);
    assertEquals(2.5, a.<Double>getAs("gerd_pct_gdp"), 1e-9);
    assertEquals(0.2, a.<Double>getAs("share"), 1e-12);
    Row b = rows.get(1);
    assertEquals("B", b.getAs("region_id"));
    assertEquals(500.0, b.<Double>getAs("population"), 1e-9);
    assertEquals(40.0, b.<Double>getAs("area_km2"), 1e-9);
    assertTrue(b.isNullAt(b.fieldIndex("population_density")), "no region with both population and area: " + b);
    assertEquals((2.0 + 3000.0) / 501.0, b.<Double>getAs("gerd_pct_gdp"), 1e-9);
  }

  /**
   * With an established cluster: A (2 ICIs, 20 %) and B (5, 50 %); without: C (0 ICIs, no share: no text) and D (1,
   * 10 %), and E, which has no row in the cluster table at all. Counts: with [2, 5], without [0, 1, 3]; shares: with
   * [0.2, 0.5], without [0.1] (a null share is no observation, never a 0).
   */
  @Test
  void regionsWithAnEstablishedClusterAreComparedWithTheOthersAndANullShareIsNoObservation() {
    Dataset<Row> share = iciShare(new Object[] {"A", "A", "cross_border", P, 10L, 2L, 0.2},
        new Object[] {"B", "B", "cross_border", P, 10L, 5L, 0.5}, new Object[] {"C", "C", "ipa", P, 4L, 0L, null},
        new Object[] {"D", "D", "eni_enpi", P, 10L, 1L, 0.1}, new Object[] {"E", "E", "cross_border", P, 3L, 3L, null},
        new Object[] {"T", "T", "transnational", P, 9L, 9L, 1.0});
    StructType clusters = new StructType().add("period", DataTypes.StringType).add("region_id", DataTypes.StringType)
        .add("has_established_cluster", DataTypes.BooleanType);
    Dataset<Row> withClusters = spark.createDataFrame(List.of(RowFactory.create(P, "A", true), RowFactory.create(P, "B", true),
        RowFactory.create(P, "C", false), RowFactory.create(P, "D", false), RowFactory.create(P, "T", true)), clusters);
    List<Row> tests = StatisticsTables.hypothesisTests(spark, share, withClusters).orderBy("measure").collectAsList();
    assertEquals(2, tests.size());
    Row counts = tests.get(0);
    assertEquals("ici_projects", counts.getAs("measure"));
    assertEquals(2, counts.<Integer>getAs("n_with_cluster"));
    assertEquals(3, counts.<Integer>getAs("n_without_cluster"), "E, without a row in the cluster table, counts as without");
    assertEquals(3.5, counts.<Double>getAs("median_with_cluster"), 1e-12);
    assertEquals(1.0, counts.<Double>getAs("median_without_cluster"), 1e-12);
    // ranks of [2, 5] among [0, 1, 3, 2, 5]: 3 and 5, so U(with) = 8 - 3 = 5 of 6 pairs: rank-biserial 2 * 5 / 6 - 1
    assertEquals(2.0 * 5 / 6 - 1, counts.<Double>getAs("rank_biserial"), 1e-12);
    assertEquals(5.0, counts.<Double>getAs("u"), 1e-12, "Commons Math's max(U1, U2): U(with) 5 against U(without) 1");
    Row shares = tests.get(1);
    assertEquals("ici_share", shares.getAs("measure"));
    assertEquals(2, shares.<Integer>getAs("n_with_cluster"));
    assertEquals(1, shares.<Integer>getAs("n_without_cluster"), "C and E have no share");
    assertEquals(1.0, shares.<Double>getAs("rank_biserial"), 1e-12);
    assertEquals(2.0, shares.<Double>getAs("u"), 1e-12);
    assertTrue(shares.<Double>getAs("p") > 0 && shares.<Double>getAs("p") <= 1, shares.toString());
  }
}
