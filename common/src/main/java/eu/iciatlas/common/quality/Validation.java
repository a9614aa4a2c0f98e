package eu.iciatlas.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.io.CsvSources;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Splits rows into accepted and quarantined: every rule is a reason code, a condition that marks a
 * row as failing and a detail saying what failed; the first failing rule wins. Quarantined rows
 * keep their raw values as JSON so nothing delivered is lost.
 */
public final class Validation {
  public static final String REASON = "_reject_reason";
  public static final String DETAIL = "_reject_detail";

  /** A validation rule; {@code fails} must never be null (wrap nullable tests with coalesce). */
  public record Rule(RejectReason reason, Column fails, Column detail) {}

  private Validation() {}

  /** Adds {@value #REASON} and {@value #DETAIL} (null for rows that pass every rule). */
  public static Dataset<Row> check(Dataset<Row> rows, List<Rule> rules) {
    Column reason = null;
    Column detail = null;
    for (int i = rules.size() - 1; i >= 0; i--) {
      Rule rule = rules.get(i);
      Column code = lit(rule.reason().name());
      reason = reason == null ? when(rule.fails(), code) : when(rule.fails(), code).otherwise(reason);
      detail = detail == null ? when(rule.fails(), rule.detail()) : when(rule.fails(), rule.detail()).otherwise(detail);
    }
    return rows.withColumn(REASON, reason).withColumn(DETAIL, detail);
  }

  public static Dataset<Row> accepted(Dataset<Row> checked) {
    return checked.filter(col(REASON).isNull()).drop(REASON, DETAIL);
  }

  /**
   * The quarantine rows of a checked dataset: reason, detail, lineage and the raw record (the
   * unsplit text for malformed records, else the delivered columns as JSON).
   */
  public static Dataset<Row> quarantined(Dataset<Row> checked, List<String> rawColumns, List<String> carried) {
    List<Column> raw = new ArrayList<>();
    for (String c : rawColumns) {
      raw.add(col(c));
    }
    Column rawRecord = List.of(checked.columns()).contains(CsvSources.CORRUPT)
        ? when(col(CsvSources.CORRUPT).isNotNull(), col(CsvSources.CORRUPT)).otherwise(to_json(struct(raw.toArray(new Column[0]))))
        : to_json(struct(raw.toArray(new Column[0])));
    List<Column> out = new ArrayList<>(List.of(
        col(REASON).as("reason"), col(DETAIL).as("reason_detail"),
        col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW), rawRecord.as("raw_record")));
    for (String c : carried) {
      out.add(col(c));
    }
    return checked.filter(col(REASON).isNotNull()).select(out.toArray(new Column[0]));
  }
}
