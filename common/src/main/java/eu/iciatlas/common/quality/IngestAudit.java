package eu.iciatlas.common.quality;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.io.CsvSources;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * ingest_audit: per input file and table, rows read, accepted, quarantined (by reason) and skipped
 * because they belong to a period the run was not asked for. Each count comes from a table the run
 * wrote, so the balance rows_read = accepted + quarantined + skipped is a real check of the outputs.
 */
public final class IngestAudit {
  private IngestAudit() {}

  /**
   * The audit rows collected on the driver as a Dataset to write, each file's reasons in their order again: a map of
   * five or more entries comes back from a collect in hash order, and the table and its CSV copy should list the
   * reasons alphabetically, as {@link #of} made them.
   */
  public static Dataset<Row> fromCollected(org.apache.spark.sql.SparkSession spark, java.util.List<Row> rows,
      org.apache.spark.sql.types.StructType schema) {
    return spark.createDataFrame(rows, schema).withColumn("quarantined_by_reason",
        map_from_entries(org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.map_entries(col("quarantined_by_reason")))));
  }

  /**
   * @param read       one row per input row: _source_file (from bronze)
   * @param accepted   one row per accepted input row: _source_file (lineage of the silver table)
   * @param quarantine one row per quarantined input row: _source_file, reason
   * @param skipped    one row per input row of an unselected period: _source_file
   */
  public static Dataset<Row> of(String table, String unit, Dataset<Row> read, Dataset<Row> accepted,
      Dataset<Row> quarantine, Dataset<Row> skipped, String runId) {
    Dataset<Row> readCounts = read.groupBy(CsvSources.SOURCE_FILE).agg(count(lit(1)).as("rows_read"));
    Dataset<Row> acceptedCounts = accepted.groupBy(CsvSources.SOURCE_FILE).agg(count(lit(1)).as("rows_accepted"));
    Dataset<Row> skippedCounts = skipped.groupBy(CsvSources.SOURCE_FILE).agg(count(lit(1)).as("rows_skipped_other_period"));
    Dataset<Row> byReason = quarantine.groupBy(CsvSources.SOURCE_FILE, "reason").agg(count(lit(1)).as("n"))
        .groupBy(CsvSources.SOURCE_FILE)
        .agg(sum("n").as("rows_quarantined"),
            map_from_entries(org.apache.spark.sql.functions.array_sort(collect_list(struct(col("reason"), col("n")))))
                .as("quarantined_by_reason"));
    return readCounts
        .join(acceptedCounts, Columns.names(CsvSources.SOURCE_FILE), "full_outer")
        .join(byReason, Columns.names(CsvSources.SOURCE_FILE), "full_outer")
        .join(skippedCounts, Columns.names(CsvSources.SOURCE_FILE), "full_outer")
        .select(lit(runId).as("run_id"), lit(table).as("table"), col(CsvSources.SOURCE_FILE).as("source_file"),
            lit(unit).as("unit"),
            coalesce(col("rows_read"), lit(0L)).as("rows_read"),
            coalesce(col("rows_accepted"), lit(0L)).as("rows_accepted"),
            coalesce(col("rows_quarantined"), lit(0L)).as("rows_quarantined"),
            coalesce(col("rows_skipped_other_period"), lit(0L)).as("rows_skipped_other_period"),
            col("quarantined_by_reason"))
        .withColumn("balanced", col("rows_read").equalTo(col("rows_accepted").plus(col("rows_quarantined"))
            .plus(col("rows_skipped_other_period"))));
  }
}
