package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.schema.TableSchemas;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Star keys: below 2^53, and the periods an older output wrote with 64-bit keys found. */
class StarSchemaTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void periodsWrittenWithTheEarlier64BitKeysAreFoundOutsideTheAnalysedPeriods() {
    Dataset<Row> ids = spark.createDataset(List.of("p1", "p2", "p3"), Encoders.STRING()).toDF("project_id");
    Dataset<Row> current = ids.select(StarSchema.projectKey(col("project_id")).as("project_key"));
    for (Row r : current.collectAsList()) {
      long key = r.getLong(0);
      assertTrue(key >= 0 && key < (1L << 53), "a key every client keeps exact: " + key);
    }
    StructType schema = new StructType().add("period", DataTypes.StringType).add("project_key", DataTypes.LongType);
    Dataset<Row> bridge = spark.createDataFrame(List.of(
        RowFactory.create("2000-2006", current.first().getLong(0)),
        RowFactory.create("2007-2013", -4_611_686_018_427_387_904L),     // xxhash64 as written before the cut
        RowFactory.create("2014-2020", 9_007_199_254_740_993L)), schema);  // 2^53 + 1
    assertEquals(List.of("2007-2013", "2014-2020"), StarSchema.periodsWithOldKeys(bridge, "project_key", List.of("2000-2006")).collectAsList());
    assertEquals(List.of("2007-2013"), StarSchema.periodsWithOldKeys(bridge, "project_key", List.of("2014-2020")).collectAsList(),
        "the analysed period is rewritten anyway");
  }

  @Test
  void everySpecializationHasItsKeyAndALabelInWords() {
    List<Row> dim = StarSchema.dimSpecialization(spark).orderBy("specialization").collectAsList();
    assertEquals(IciClassifier.SPECIALIZATIONS.size(), dim.size());
    // the keys the bridge tables compute from the codes
    java.util.Map<String, Long> keys = new java.util.HashMap<>();
    for (Row r : spark.createDataset(IciClassifier.SPECIALIZATIONS, Encoders.STRING()).toDF("code")
        .select(col("code"), StarSchema.specializationKey(col("code"))).collectAsList()) {
      keys.put(r.getString(0), r.getLong(1));
    }
    java.util.Map<String, String> labels = new java.util.HashMap<>();
    for (Row r : dim) {
      labels.put(r.getAs("specialization"), r.getAs("label"));
      assertEquals(keys.get(r.<String>getAs("specialization")), r.getAs("specialization_key"), r.toString());
    }
    assertEquals("ICT", labels.get("ict"));
    assertEquals("Life science", labels.get("life_science"));
    assertEquals("Cross-sector R&D", labels.get("research"));
    assertTrue(labels.values().stream().noneMatch(l -> l.contains("_")), "words, not codes: " + labels.values());
  }

  /** P1: ICI (energy first, then ict), two reasons; P2: ICI without a specialization; P3: no ICI. */
  private Dataset<Row> projects() {
    StructType schema = TableSchemas.columns(List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PROJECT_CLASSIFICATION), "project_id",
        "period", "is_ici", "specializations", "primary_specialization", "ici_reasons");
    return spark.createDataFrame(List.of(
        RowFactory.create("P1", "2014-2020", true, List.of(RowFactory.create("energy", 3, List.of("wind"), ""),
            RowFactory.create("ict", 2, List.of("digital"), "")), "energy", List.of("theme_cluster(+2.0)", "text_network(+1.5)")),
        RowFactory.create("P2", "2014-2020", true, List.of(), null, List.of("text_cluster(+4.0)")),
        RowFactory.create("P3", "2014-2020", false, null, null, List.of("negative_heritage(-2.0)"))), schema);
  }

  /** P1 has a lead partner in EE00 and a partner without a region; P2 one partner in FI1B; P9 is no known project. */
  private Dataset<Row> participations() {
    StructType schema = TableSchemas.columns(Tables.SILVER_PARTICIPATIONS, "participation_id", "project_id", "period",
        "programme_key", "nuts2", "country_code", "organisation", "town", "legal_status", "is_lead");
    return spark.createDataFrame(List.of(
        RowFactory.create("a", "P1", "2014-2020", "central baltic", "EE00", "EE", "Tartu Ülikool", "Tartu", "public", true),
        RowFactory.create("b", "P1", "2014-2020", "central baltic", null, "FI", "Some Oy", "Turku", "private", false),
        RowFactory.create("c", "P2", "2014-2020", "central baltic", "FI1B", "FI", "Aalto", "Espoo", "public", true),
        RowFactory.create("d", "P9", "2014-2020", "central baltic", "FI1B", "FI", "Aalto", "Espoo", "public", false)), schema);
  }

  @Test
  void theFactJoinsItsDimensionsThroughTheSameKeysAndFlagsIciProjects() {
    List<Row> fact = StarSchema.factParticipation(participations(), projects()).orderBy("participation_id").collectAsList();
    assertEquals(4, fact.size(), "one row per participation, also of a project missing from the projects");
    assertEquals(List.of(1, 1, 1, 0), fact.stream().map(r -> r.<Integer>getAs("is_ici_project")).toList(),
        "P1 and P2 are ICIs; P9 is not known, so not an ICI");
    assertEquals(List.of(1, 0, 1, 0), fact.stream().map(r -> r.<Integer>getAs("is_lead")).toList());
    Row p1 = spark.createDataset(List.of("P1"), Encoders.STRING()).toDF("project_id")
        .select(StarSchema.projectKey(col("project_id"))).first();
    assertEquals(p1.getLong(0), fact.get(0).<Long>getAs("project_key"), "the key star_dim_project gives P1");

    // the participation without a region points at the period's unknown member of star_dim_region
    StructType profile = new StructType().add("nuts2", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("population", DataTypes.DoubleType);
    StructType nuts = TableSchemas.columns(Tables.SILVER_NUTS_REGIONS, "nuts_id", "name", "country_code", "urbn_type",
        "nuts_version", "level");
    Dataset<Row> regions = StarSchema.dimRegion(
        spark.createDataFrame(List.of(RowFactory.create("EE00", "2014-2020", 1_300_000.0), RowFactory.create("FI1B", "2014-2020", 1_700_000.0)), profile),
        participations(),
        spark.createDataFrame(List.of(RowFactory.create("EE00", "Eesti", "EE", 2, 2013, 2), RowFactory.create("EE00", "Eesti (2016)", "EE", 2, 2016, 2),
            RowFactory.create("FI1B", "Helsinki-Uusimaa", "FI", 1, 2013, 2)), nuts), 2013);
    java.util.Map<Long, Row> byKey = new java.util.HashMap<>();
    for (Row r : regions.collectAsList()) {
      assertEquals(null, byKey.put(r.getAs("region_key"), r), "region keys are unique: " + r);
    }
    assertEquals(3, byKey.size(), "two regions and one unknown member for the one period");
    for (Row f : fact) {
      Row region = byKey.get(f.<Long>getAs("region_key"));
      assertTrue(region != null, "every participation finds its region: " + f);
      assertEquals(f.<String>getAs("nuts2"), region.getAs("nuts2"));
    }
    assertEquals("unknown (no NUTS 2 region in this NUTS version)", byKey.get(fact.get(1).<Long>getAs("region_key")).getAs("nuts2_name"));
    assertEquals("Eesti", byKey.get(fact.get(0).<Long>getAs("region_key")).getAs("nuts2_name"), "the name of the version asked for");
  }

  @Test
  void bridgesHoldTheListsAsRows() {
    List<Row> specs = StarSchema.bridgeProjectSpecialization(projects()).orderBy("project_id", "specialization").collectAsList();
    assertEquals(List.of("P1 energy true", "P1 ict false", "P2 other false"), specs.stream()
        .map(r -> r.getAs("project_id") + " " + r.getAs("specialization") + " " + r.getAs("is_primary")).toList(),
        "ICIs only; an ICI without a specialization counts as other");

    List<Row> reasons = StarSchema.bridgeProjectReason(projects(),
        java.util.Map.of("theme_cluster", 2.0, "text_network", 1.5, "text_cluster", 4.0, "negative_heritage", -2.25))
        .orderBy("project_id", "reason_rank").collectAsList();
    assertEquals(List.of("P1 1 theme_cluster 2.0", "P1 2 text_network 1.5", "P2 1 text_cluster 4.0", "P3 1 negative_heritage -2.25"),
        reasons.stream().map(r -> r.getAs("project_id") + " " + r.getAs("reason_rank") + " " + r.getAs("rule_id") + " "
            + r.getAs("weight")).toList(), "in the classifier's order, with the weight as configured (not as rounded in the text)");

    StructType programmes = TableSchemas.columns(Tables.SILVER_PROGRAMMES, "programme_key", "period", "countries");
    List<Row> countries = StarSchema.bridgeProgrammeCountry(spark.createDataFrame(List.of(
        RowFactory.create("central baltic", "2014-2020", List.of("EE", "FI", "SE"))), programmes)).orderBy("country_code").collectAsList();
    assertEquals(List.of("EE", "FI", "SE"), countries.stream().map(r -> r.<String>getAs("country_code")).toList());
    Row key = spark.createDataset(List.of("central baltic"), Encoders.STRING()).toDF("k").select(StarSchema.programmeKey(col("k"))).first();
    assertTrue(countries.stream().allMatch(r -> r.<Long>getAs("programme_sk") == key.getLong(0)), "the programme's key");
  }
}
