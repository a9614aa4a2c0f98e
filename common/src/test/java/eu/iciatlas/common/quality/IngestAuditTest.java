package eu.iciatlas.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.io.CsvSources;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * One file with ten input rows: two accepted, seven quarantined for six reasons, one of another
 * period. Every count by hand.
 */
class IngestAuditTest {
  private final SparkSession spark = SparkTestSession.get();
  private static final List<String> REASONS = List.of("BAD_LEAD_FLAG", "DUPLICATE_ROW", "MISSING_ACRONYM", "MISSING_ORGANISATION",
      "UNKNOWN_NUTS_CODE", "UNKNOWN_PERIOD");

  private Dataset<Row> files(int n) {
    StructType schema = new StructType().add(CsvSources.SOURCE_FILE, DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create("partners.csv"));
    }
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void aFilesSixQuarantineReasonsBalanceAndStayInOrderWhenWrittenFromTheDriver() {
    StructType quarantineSchema = new StructType().add(CsvSources.SOURCE_FILE, DataTypes.StringType).add("reason", DataTypes.StringType);
    List<Row> quarantined = new ArrayList<>();
    for (String reason : REASONS) {
      quarantined.add(RowFactory.create("partners.csv", reason));
    }
    quarantined.add(RowFactory.create("partners.csv", "DUPLICATE_ROW"));
    Dataset<Row> audit = IngestAudit.of("bronze_keep_partners", "partners", files(10), files(2),
        spark.createDataFrame(quarantined, quarantineSchema), files(1), "run-1");
    Row r = audit.first();
    assertEquals(List.of(10L, 2L, 7L, 1L, true), List.of(r.getAs("rows_read"), r.getAs("rows_accepted"), r.getAs("rows_quarantined"),
        r.getAs("rows_skipped_other_period"), r.getAs("balanced")));
    assertEquals(2L, (long) r.<scala.collection.Map<String, Long>>getAs("quarantined_by_reason").apply("DUPLICATE_ROW"));

    List<Row> collected = audit.collectAsList();
    List<String> naive = spark.createDataFrame(collected, audit.schema()).select(map_keys(col("quarantined_by_reason"))).first().getList(0);
    assertNotEquals(REASONS, naive, "the collected map of six reasons comes back in another order (what the helper is for)");
    List<String> written = IngestAudit.fromCollected(spark, collected, audit.schema()).select(map_keys(col("quarantined_by_reason")))
        .first().getList(0);
    assertEquals(REASONS, written, "in the table and its CSV copy, the reasons in alphabetical order");
    assertTrue(REASONS.stream().sorted().toList().equals(REASONS));
  }
}
