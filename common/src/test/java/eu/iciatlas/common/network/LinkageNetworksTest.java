package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.schema.TableSchemas;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hand-made world in region R1, 2014-2020: P1 (ICI) joins A (SE), B (DK), C (DE); P2 joins C
 * and D (DE); P3 (ICI) joins A and B again; P4 has E (PL) alone; P5 joins F (LT) and G (LV). P6,
 * in no region, has H (FI) alone. Every expected figure is counted by hand from these rows (and
 * agrees with networkx on the same graph).
 */
class LinkageNetworksTest {
  private static final SparkSession spark = SparkTestSession.get();
  private static final eu.iciatlas.common.Persisted persisted = new eu.iciatlas.common.Persisted();
  private static LinkageNetworks networks;
  private static Map<String, Row> summary;
  private static Map<String, Row> organisations;
  private static List<Row> communities;

  @BeforeAll
  static void measure() {
    StructType projectSchema = TableSchemas.columns(List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PROJECT_CLASSIFICATION),
        "project_id", "period", "is_ici", "specializations");
    Row energy = RowFactory.create("energy", 3, List.of("wind energy"), "");
    Dataset<Row> projects = spark.createDataFrame(List.of(
        RowFactory.create("P1", "2014-2020", true, List.of(energy)), RowFactory.create("P2", "2014-2020", false, null),
        RowFactory.create("P3", "2014-2020", true, List.of(energy)), RowFactory.create("P4", "2014-2020", false, null),
        RowFactory.create("P5", "2014-2020", false, null), RowFactory.create("P6", "2014-2020", false, null)), projectSchema);
    StructType regionSchema = TableSchemas.columns(Tables.SILVER_PROJECT_REGIONS, "project_id", "period", "region_id",
        "region_name", "region_kind");
    Dataset<Row> regions = spark.createDataFrame(List.of("P1", "P2", "P3", "P4", "P5").stream()
        .map(p -> RowFactory.create(p, "2014-2020", "R1", "Region 1", "cross_border")).toList(), regionSchema)
        .unionByName(spark.createDataFrame(List.of(RowFactory.create("P6", "2014-2020", null, null, null)), regionSchema));
    StructType partnerSchema = TableSchemas.columns(Tables.SILVER_PARTICIPATIONS, "project_id", "period", "organisation", "town",
        "country_code", "nuts2");
    Dataset<Row> participations = spark.createDataFrame(List.of(
        partner("P1", "A", "SE", "SE22"), partner("P1", "B", "DK", "DK01"), partner("P1", "C", "DE", "DE80"),
        partner("P2", "C", "DE", "DE80"), partner("P2", "D", "DE", "DE80"),
        partner("P3", "A", "SE", "SE22"), partner("P3", "B", "DK", "DK01"),
        partner("P4", "E", "PL", "PL42"), partner("P5", "F", "LT", "LT00"), partner("P5", "G", "LV", "LV00"),
        partner("P6", "H", "FI", "FI1B")), partnerSchema);
    networks = LinkageNetworks.build(projects, regions, participations, new LinkageNetworks.BetweennessSampling(2000, 256, 1L),
        rows -> persisted.keep(rows, org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()));
    assertEquals(0, networks.vertexIdClashes().count());
    summary = new HashMap<>();
    for (Row r : networks.summary().collectAsList()) {
      summary.put(r.<String>getAs("region_id") + "/" + r.getAs("scope") + "/" + r.getAs("level"), r);
    }
    organisations = new HashMap<>();
    for (Row r : networks.organisations().collectAsList()) {
      organisations.put(r.<String>getAs("region_id") + "/" + r.getAs("scope") + "/" + r.getAs("organisation"), r);
    }
    communities = networks.communities().filter(col("region_id").equalTo("R1").and(col("scope").equalTo("all")))
        .orderBy("community").collectAsList();
  }

  @AfterAll
  static void free() {
    persisted.close();
  }

  private static Row partner(String project, String organisation, String country, String nuts2) {
    return RowFactory.create(project, "2014-2020", organisation, "Town " + organisation, country, nuts2);
  }

  private static double number(Row r, String column) {
    return ((Number) r.getAs(column)).doubleValue();
  }

  /** A run refuses to go on when two nodes share a vertex id: the check finds such a pair (made here by hand). */
  @Test
  void nodesThatShareAVertexIdAreFound() {
    Dataset<Row> clashing = networks.nodes().limit(2).withColumn("vid", org.apache.spark.sql.functions.lit(42L));
    LinkageNetworks withClash = new LinkageNetworks(networks.memberships(), networks.edges(), clashing, networks.measures(),
        networks.measuredNodes(), null, null);
    assertEquals(List.of(42L), withClash.vertexIdClashes().select("vid").as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
    int rounds = networks.longestLabelPropagation().first().getInt(0);
    assertTrue(rounds >= 1 && rounds <= GraphMeasures.LABEL_PROPAGATION_STEPS, "label propagation rounds: " + rounds);
  }

  @Test
  void theOrganisationNetworkOfARegionHasTheFiguresCountedByHand() {
    Row r1 = summary.get("R1/all/organisation");
    assertEquals(5L, (long) r1.getAs("projects"));
    assertEquals(4L, (long) r1.getAs("projects_with_two_or_more_nodes"), "P4 has E alone");
    assertEquals("edges rest on 4 of 5 projects; the others have one node only", r1.getAs("completeness_note"));
    assertEquals(7L, (long) r1.getAs("nodes"));
    assertEquals(5L, (long) r1.getAs("edges"));
    assertEquals(2.0 * 5 / (7 * 6), number(r1, "density"), 1e-12);
    assertEquals(10.0 / 7, number(r1, "mean_degree"), 1e-12);
    assertEquals(12.0 / 7, number(r1, "mean_weighted_degree"), 1e-12, "A-B share two projects");
    assertEquals(1L, (long) r1.getAs("isolated_nodes"));
    assertEquals(3L, ((Number) r1.getAs("components")).longValue(), "{A, B, C, D}, {F, G}, {E}");
    assertEquals(4.0 / 7, number(r1, "largest_component_share"), 1e-12);
    assertEquals(3.0 / 5, number(r1, "clustering"), 1e-12, "3 x 1 triangle / 5 connected triples");
    assertEquals(4.0 / 5, number(r1, "cross_border_share"), 1e-12, "only C-D is within one country");
    assertNull(r1.getAs("null_reason"));
  }

  @Test
  void theIciScopeKeepsOnlyIciProjectsAndTheWholeInputAddsProjectsInNoRegion() {
    Row ici = summary.get("R1/ici/organisation");
    assertEquals(3L, (long) ici.getAs("nodes"));
    assertEquals(3L, (long) ici.getAs("edges"));
    assertEquals(1.0, number(ici, "density"), 1e-12);
    assertEquals(1.0, number(ici, "clustering"), 1e-12);
    assertEquals(8L, (long) summary.get("all/all/organisation").getAs("nodes"), "H of P6 is in the whole input only");
    assertEquals(6L, (long) summary.get("all/all/organisation").getAs("projects"));
  }

  @Test
  void theNuts2NetworkJoinsRegionsWithPartnersInTheSameProjects() {
    Row nuts = summary.get("R1/all/nuts2");
    assertEquals(6L, (long) nuts.getAs("nodes"), "SE22, DK01, DE80, PL42, LT00, LV00");
    assertEquals(4L, (long) nuts.getAs("edges"), "SE22-DK01, SE22-DE80, DK01-DE80, LT00-LV00; P2 stays within DE80");
    assertEquals(1.0, number(nuts, "cross_border_share"), 1e-12);
  }

  @Test
  void organisationsHaveDegreeBetweennessPageRankAndBrokerage() {
    Row c = organisations.get("R1/all/C");
    assertEquals(3L, (long) c.getAs("degree"));
    assertEquals(3L, (long) c.getAs("weighted_degree"));
    assertEquals(2.0 / 15, number(c, "betweenness"), 1e-12, "on the D-A and D-B paths, of 15 pairs of other nodes");
    assertEquals(6L, (long) c.getAs("betweenness_sources"), "exact: all 6 connected organisations");
    assertTrue(c.<Boolean>getAs("is_broker"), "ties to SE and DK");
    assertEquals(1, (int) c.getAs("triangles"));
    assertEquals(1, (int) c.getAs("component"));
    Row d = organisations.get("R1/all/D");
    assertEquals(0.0, number(d, "betweenness"), 1e-12);
    assertTrue(!d.<Boolean>getAs("is_broker"), "its only tie is in its own country");
    assertEquals(3L, (long) organisations.get("R1/all/A").getAs("weighted_degree"), "A-B twice, A-C once");
    // PageRank: the raw value (GraphX's static PageRank) sums to the size of each connected component; E keeps 0.15
    double total = 4 + 2 + 0.15;
    assertEquals(0.15 / total, number(organisations.get("R1/all/E"), "pagerank"), 1e-6);
    assertEquals(1.0 / total, number(organisations.get("R1/all/F"), "pagerank"), 1e-6, "F and G are symmetric");
    double sum = organisations.entrySet().stream().filter(e -> e.getKey().startsWith("R1/all/"))
        .mapToDouble(e -> number(e.getValue(), "pagerank")).sum();
    assertEquals(1.0, sum, 1e-9);
    assertNull(organisations.get("R1/all/E").getAs("betweenness_sources"), "no edges, no sources");
  }

  @Test
  void communitiesJoinBothPartnersOfATwoPartnerProjectAndCountEachProjectOnce() {
    Set<String> groups = new TreeSet<>();
    for (Row r : communities) {
      groups.add(r.getAs("countries") + ":" + r.getAs("organisations"));
    }
    assertEquals(Set.of("DE, DK, SE:4", "LT, LV:2", "PL:1"), groups);
    assertEquals(5L, communities.stream().mapToLong(r -> r.getAs("projects")).sum());
    Row largest = communities.get(0);
    assertEquals(3L, (long) largest.getAs("projects"), "P1, P2, P3");
    assertEquals(2.0 / 3, number(largest, "ici_share"), 1e-12);
    assertEquals("energy (2)", largest.getAs("dominant_specializations"));
  }

  /** A rerun gives the same pageranks to the last digit: doubles summed in another order would not (0.1 + 0.2 + 0.3). */
  @Test
  void aShareOfTheNetworkIsTheSameInEveryRowOrder() {
    StructType schema = new StructType().add("period", DataTypes.StringType).add("region_id", DataTypes.StringType)
        .add("scope", DataTypes.StringType).add("level", DataTypes.StringType).add("raw", DataTypes.DoubleType);
    List<Row> rows = List.of(RowFactory.create("p", "r", "all", "organisation", 0.1), RowFactory.create("p", "r", "all", "organisation", 0.2),
        RowFactory.create("p", "r", "all", "organisation", 0.3));
    assertTrue((0.1 + 0.2) + 0.3 != 0.1 + (0.2 + 0.3), "the double sum depends on the order");
    List<Double> forward = shares(spark.createDataFrame(rows, schema));
    List<Double> backward = shares(spark.createDataFrame(reversed(rows), schema));
    assertEquals(forward, backward);
    assertEquals(List.of(0.1 / 0.6, 0.2 / 0.6, 0.3 / 0.6), forward);
  }

  private static List<Row> reversed(List<Row> rows) {
    List<Row> copy = new java.util.ArrayList<>(rows);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static List<Double> shares(Dataset<Row> nodes) {
    return nodes.coalesce(1).withColumn("share", NetworkTables.shareOfNetwork(col("raw"))).orderBy("raw")
        .select("share").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
  }
}
