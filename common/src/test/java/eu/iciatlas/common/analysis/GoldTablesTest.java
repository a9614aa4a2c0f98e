package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.DatasetAssert;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.schema.TableSchemas;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A hand-made world: region R1 has projects P1 (ICI: energy, ict), P2 (ICI: energy) and P3 (no
 * ICI); region R2 has P4 (no ICI, no text) and P5 (no ICI); P6 is in no region. Every expected
 * number below is counted by hand from these rows.
 */
class GoldTablesTest {
  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> projects() {
    StructType schema = TableSchemas.columns(List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PROJECT_CLASSIFICATION), "project_id",
        "period", "is_ici", "has_text", "specializations", "primary_specialization");
    Row energy = RowFactory.create("energy", 3, List.of("wind energy"), "");
    Row ict = RowFactory.create("ict", 2, List.of("digital"), "");
    return spark.createDataFrame(List.of(
        RowFactory.create("P1", "2014-2020", true, true, List.of(energy, ict), "energy"),
        RowFactory.create("P2", "2014-2020", true, true, List.of(energy), "energy"),
        RowFactory.create("P3", "2014-2020", false, true, null, null),
        RowFactory.create("P4", "2014-2020", false, false, null, null),
        RowFactory.create("P5", "2014-2020", false, true, null, null),
        RowFactory.create("P6", "2014-2020", true, true, List.of(ict), "ict")), schema);
  }

  private Dataset<Row> projectRegions() {
    StructType schema = TableSchemas.columns(Tables.SILVER_PROJECT_REGIONS, "project_id", "period", "region_id", "region_name",
        "region_kind");
    return spark.createDataFrame(List.of(
        RowFactory.create("P1", "2014-2020", "R1", "Region 1", "cross_border"),
        RowFactory.create("P2", "2014-2020", "R1", "Region 1", "cross_border"),
        RowFactory.create("P3", "2014-2020", "R1", "Region 1", "cross_border"),
        RowFactory.create("P4", "2014-2020", "R2", "Region 2", "cross_border"),
        RowFactory.create("P5", "2014-2020", "R2", "Region 2", "cross_border"),
        RowFactory.create("P6", "2014-2020", null, null, null)), schema);
  }

  private Dataset<Row> participations() {
    StructType schema = TableSchemas.columns(Tables.SILVER_PARTICIPATIONS, "project_id", "period", "organisation", "town",
        "country_code", "nuts2");
    return spark.createDataFrame(List.of(
        RowFactory.create("P1", "2014-2020", "Lund University", "Lund", "SE", "SE22"),
        RowFactory.create("P1", "2014-2020", "Region Hovedstaden", "Hillerød", "DK", "DK01"),
        RowFactory.create("P2", "2014-2020", "LUND UNIVERSITY.", "Lund ", "SE", "SE22"),
        RowFactory.create("P2", "2014-2020", "Copenhagen Business School", "Frederiksberg", "DK", "DK01"),
        RowFactory.create("P3", "2014-2020", "Region Hovedstaden", "Hillerød", "DK", "DK01"),
        RowFactory.create("P4", "2014-2020", "Aalborg Kommune", "Aalborg", "DK", "DK05"),
        RowFactory.create("P5", "2014-2020", "Saint Petersburg Committee", "Saint Petersburg", "RU", null)), schema);
  }

  @Test
  void aShareRestingMostlyOnProjectsWithoutTextIsNullWithItsReasonNeverZero() {
    Dataset<Row> noText = spark.createDataFrame(List.of(
        RowFactory.create("Q1", "2014-2020", false, false, null, null),
        RowFactory.create("Q2", "2014-2020", false, false, null, null),
        RowFactory.create("Q3", "2014-2020", true, true, List.of(), "other")), projects().schema());
    Dataset<Row> noTextRegions = spark.createDataFrame(List.of(
        RowFactory.create("Q1", "2014-2020", "R3", "Region 3", "cross_border"),
        RowFactory.create("Q2", "2014-2020", "R3", "Region 3", "cross_border"),
        RowFactory.create("Q3", "2014-2020", "R3", "Region 3", "cross_border")), projectRegions().schema());
    Dataset<Row> share = GoldTables.iciShare(projects().unionByName(noText), projectRegions().unionByName(noTextRegions),
        participations(), RATES);
    Row r3 = share.filter("region_id = 'R3'").first();
    assertTrue(r3.isNullAt(r3.fieldIndex("share")), "1 of 3 projects with text: no share");
    assertEquals(1L, r3.<Long>getAs("ici_projects"), "the count stays");
    assertTrue(r3.<String>getAs("share_null_reason").startsWith("only 1 of 3 projects have a description"), r3.toString());
    assertTrue(share.filter("region_id = 'R1'").first().isNullAt(share.schema().fieldIndex("share_null_reason")));
    // the summary's shares are over the two regions that have one: R3's project counts stay out of both
    DatasetAssert.assertRows(List.of(Arrays.asList(3L, 2L, 2L, 1.0 / 3, 2.0 / 5, 3L, 8L)),
        GoldTables.iciShareSummary(share, RATES), "regions", "regions_with_ici", "regions_with_share", "mean_regional_share",
        "pooled_share", "ici_projects", "projects");
    Dataset<Row> onlyNoText = GoldTables.iciShareSummary(share.filter("region_id = 'R3'"), RATES);
    Row none = onlyNoText.first();
    assertTrue(none.isNullAt(none.fieldIndex("pooled_share")) && none.isNullAt(none.fieldIndex("mean_regional_share")));
    assertTrue(none.<String>getAs("share_null_reason").contains("no region of this kind has a measurable share"));
  }

  /**
   * The NUTS 2 regions of gold_region_profile follow the same rule: DK01 (P1, P2, P3, all with text, two ICIs) 2/3;
   * SE22 (P1, P2) 1; DK05 has only P4, without text: no share, with the reason, never 0.
   */
  @Test
  void aNuts2RegionWhoseProjectsHaveNoTextHasNoIciShare() {
    StructType indicators = TableSchemas.columns(Tables.SILVER_REGION_INDICATORS, "nuts2", "indicator", "year", "value");
    Dataset<Row> profile = GoldTables.regionProfile(projects(), participations(),
        spark.createDataFrame(List.of(RowFactory.create("DK01", "population", 2016, 1.8e6)), indicators));
    DatasetAssert.assertRows(List.of(Arrays.asList("DK01", 3L, 2L, 3L, 2.0 / 3, null), Arrays.asList("DK05", 1L, 0L, 0L, null,
            "only 0 of 1 projects have a description or expected results in the input; a share from acronyms, titles and partners"
                + " alone is not comparable"), Arrays.asList("SE22", 2L, 2L, 2L, 1.0, null)),
        profile.orderBy("nuts2"), "nuts2", "projects", "ici_projects", "projects_with_text", "ici_share", "ici_share_null_reason");
  }

  /** Rules right on 8 of 10 labelled ICI calls (p = 0.8) and wrong on 2 of 20 others (q = 0.1), unweighted. */
  private static final RuleErrorRates RATES = new RuleErrorRates(new WeightedProportion(10, 10, 8, 10),
      new WeightedProportion(20, 20, 2, 20), "digest", "labels.csv", null);

  /**
   * The expected share and its interval, by hand: var(p) = 0.8 * 0.2 / 10 = 0.016, var(q) = 0.1 *
   * 0.9 / 20 = 0.0045. R1 (2 of 3 called ICI): 2 * 0.8 + 1 * 0.1 = 1.7 expected ICIs, variance 2 *
   * 0.16 + 1 * 0.09 + 4 * 0.016 + 1 * 0.0045 = 0.4785. R2 (0 of 2): 0.2, variance 2 * 0.09 + 4 *
   * 0.0045 = 0.198. Pooled (2 of 5): 1.9, variance 2 * 0.16 + 3 * 0.09 + 4 * 0.016 + 9 * 0.0045 = 0.6945.
   */
  @Test
  void theExpectedShareCorrectsTheCountShareByTheRulesMeasuredErrorWithItsInterval() {
    Dataset<Row> share = GoldTables.iciShare(projects(), projectRegions(), participations(), RATES).orderBy("region_id");
    List<Row> rows = share.collectAsList();
    double z = 1.959964;
    assertExpected(rows.get(0), 1.7 / 3, Math.max(0, (1.7 - z * Math.sqrt(0.4785)) / 3), 1.0); // (1.7 + 1.356) / 3 > 1: clipped
    assertExpected(rows.get(1), 0.2 / 2, 0.0, (0.2 + z * Math.sqrt(0.198)) / 2);
    assertEquals(1.7, rows.get(0).<Double>getAs("expected_ici_projects"), 1e-9);
    assertTrue(rows.get(0).<String>getAs("expected_share_basis").startsWith("count share corrected by the rules' measured error: "
        + "80.0 % of the projects they call ICI are ICIs (10 labelled), 10.0 % of the others are (20 labelled); labels.csv"),
        rows.get(0).<String>getAs("expected_share_basis"));
    Row pooled = GoldTables.iciShareSummary(share, RATES).first();
    assertEquals(1.9 / 5, pooled.<Double>getAs("pooled_expected_share"), 1e-9);
    assertEquals((1.9 - z * Math.sqrt(0.6945)) / 5, pooled.<Double>getAs("pooled_expected_share_low"), 1e-9);
    assertEquals((1.9 + z * Math.sqrt(0.6945)) / 5, pooled.<Double>getAs("pooled_expected_share_high"), 1e-9);
  }

  private static void assertExpected(Row r, double expected, double low, double high) {
    assertEquals(expected, r.<Double>getAs("expected_share"), 1e-9, r.toString());
    assertEquals(low, r.<Double>getAs("expected_share_low"), 1e-9, r.toString());
    assertEquals(high, r.<Double>getAs("expected_share_high"), 1e-9, r.toString());
  }

  @Test
  void withoutRatesForTheConfiguredRulesTheExpectedShareIsNullWithTheReason() {
    RuleErrorRates other = new RuleErrorRates(RATES.ici(), RATES.notIci(), "digest", "labels.csv", "the configured rules differ");
    Row r1 = GoldTables.iciShare(projects(), projectRegions(), participations(), other).filter("region_id = 'R1'").first();
    assertEquals(2.0 / 3, r1.<Double>getAs("share"), 1e-9, "the count share stays");
    assertTrue(r1.isNullAt(r1.fieldIndex("expected_share")) && r1.isNullAt(r1.fieldIndex("expected_share_low")));
    assertEquals("no expected share: the configured rules differ", r1.getAs("expected_share_basis"));
  }

  @Test
  void iciShareKeepsExactNumeratorsAndDenominators() {
    Dataset<Row> share = GoldTables.iciShare(projects(), projectRegions(), participations(), RATES);
    DatasetAssert.assertRows(List.of(
            Arrays.asList("R1", 3L, 2L, 2.0 / 3, 3L, 0L, 2L),
            Arrays.asList("R2", 2L, 0L, 0.0, 1L, 0L, 0L)),
        share, "region_id", "projects", "ici_projects", "share", "projects_with_text", "ici_projects_without_text",
        "projects_with_more_than_lead_partner");
    DatasetAssert.assertRows(List.of(Arrays.asList(2L, 1L, 1.0 / 3, 2.0 / 5, 2L, 5L)),
        GoldTables.iciShareSummary(share, RATES), "regions", "regions_with_ici", "mean_regional_share", "pooled_share",
        "ici_projects", "projects");
  }

  @Test
  void specializationAndCountryTablesCountRegions() {
    Dataset<Row> share = GoldTables.iciShare(projects(), projectRegions(), participations(), RATES);
    DatasetAssert.assertRows(List.of(
            Arrays.asList("energy", 1L, 2L, 0.5, 1.0),
            Arrays.asList("ict", 1L, 1L, 0.5, 1.0)),
        GoldTables.specializationShare(projects(), projectRegions(), share),
        "specialization", "regions_with_specialization", "ici_projects", "share_of_regions", "share_of_regions_with_ici");
    // DK takes part in R1 and R2, SE in R1, RU in R2; only R1 has ICIs (energy, ict)
    DatasetAssert.assertRows(List.of(
            Arrays.asList("DK", "energy", 1L, 2L, 2L), Arrays.asList("DK", "ict", 1L, 2L, 2L),
            Arrays.asList("SE", "energy", 1L, 2L, 1L), Arrays.asList("SE", "ict", 1L, 2L, 1L)),
        GoldTables.countrySpecialization(projects(), projectRegions(), participations()),
        "country_code", "specialization", "regions", "country_specializations", "country_regions");
  }

  @Test
  void clusterComparisonMatchesRegistryAndIcisBySpecialization() {
    StructType schema = new StructType().add("cluster", DataTypes.StringType)
        .add("cluster_regions", DataTypes.createArrayType(DataTypes.StringType)).add("cluster_type", DataTypes.StringType)
        .add("cluster_specializations", DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> clusters = spark.createDataFrame(List.of(
        RowFactory.create("Wind Alliance", List.of("R1"), "cross-border", List.of("energy", "maritime")),
        RowFactory.create("BioRegion", List.of("*"), "transnational", List.of("life_science"))), schema);
    Dataset<Row> cmp = GoldTables.clusterComparison(projects(), projectRegions(), clusters);
    DatasetAssert.assertRows(List.of(
            Arrays.asList("R1", "energy", 2L, 1, true), Arrays.asList("R1", "ict", 1L, 0, false),
            Arrays.asList("R1", "maritime", 0L, 1, false), Arrays.asList("R1", "life_science", 0L, 1, false),
            Arrays.asList("R2", "life_science", 0L, 1, false)),
        cmp, "region_id", "specialization", "ici_projects", "established_cluster_count", "overlap");
    DatasetAssert.assertRows(List.of(Arrays.asList("R1", true), Arrays.asList("R2", false)),
        GoldTables.regionsWithClusters(projectRegions(), clusters), "region_id", "has_established_cluster");
  }

  @Test
  void linksAndOrganisationsComeFromSharedProjects() {
    DatasetAssert.assertRows(List.of(Arrays.asList("DK01", "SE22", 2L, 2L)),
        GoldTables.regionLinks(projects(), participations()), "nuts2_a", "nuts2_b", "shared_projects", "shared_ici_projects");
    Dataset<Row> orgs = GoldTables.organisations(projects(), participations());
    assertEquals(5, orgs.count(), "7 participations, 5 organisations: 'Lund University' in Lund and 'LUND UNIVERSITY.' in 'Lund ' are one organisation");
    DatasetAssert.assertRows(List.of(Arrays.asList(2L, 2L, 2L, 1L)),
        orgs.filter("country_code = 'SE'"), "projects", "ici_projects", "degree", "partner_countries");
    DatasetAssert.assertRows(List.of(Arrays.asList(2L, 1L, 1L, 1L)),
        orgs.filter("organisation = 'Region Hovedstaden'"), "projects", "ici_projects", "degree", "partner_countries");
  }
}
