package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
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
    assertEquals(List.of("2007-2013", "2014-2020"), StarSchema.periodsWithOldKeys(bridge, "project_key", List.of("2000-2006")));
    assertEquals(List.of("2007-2013"), StarSchema.periodsWithOldKeys(bridge, "project_key", List.of("2014-2020")),
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
}
