package eu.iciatlas.common.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.shiftleft;
import static org.apache.spark.sql.functions.spark_partition_id;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one place where delimited text is read. Every file is read on its own with an explicit
 * all-string schema taken from its header, PERMISSIVE mode and a corrupt-record column, so a
 * malformed record becomes a row with {@value #CORRUPT} set instead of disappearing.
 */
public final class CsvSources {
  public static final String CORRUPT = "_corrupt_record";
  public static final String SOURCE_FILE = "_source_file";
  public static final String SOURCE_ROW = "_source_row";

  /**
   * The lineage columns every bronze row ends with, in this order: the raw record where it could not
   * be parsed, the file (or file#sheet) and the record number in it. Readers of CSV and XLSX add them.
   */
  public static final List<StructField> LINEAGE = List.of(
      DataTypes.createStructField(CORRUPT, DataTypes.StringType, true),
      DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, false),
      DataTypes.createStructField(SOURCE_ROW, DataTypes.LongType, false));

  /** When the run read a bronze row, and which run: the two lineage columns every bronze table ends with. */
  public static final String INGESTED_AT = "_ingested_at";
  public static final String RUN_ID = "_run_id";

  /** {@code rows} with the run's lineage columns ({@link #INGESTED_AT}, {@link #RUN_ID}) after the file's. */
  public static Dataset<Row> withRunLineage(Dataset<Row> rows, java.sql.Timestamp ingestedAt, String runId) {
    return rows.withColumn(INGESTED_AT, lit(ingestedAt)).withColumn(RUN_ID, lit(runId));
  }

  /** Dialect of one delimited file. quote '\0' turns quoting off (Eurostat TSV has none). */
  public record Dialect(char separator, char quote) {
    public static final Dialect KEEP = new Dialect(';', '"');
    public static final Dialect COMMA = new Dialect(',', '"');
    public static final Dialect TAB_UNQUOTED = new Dialect('\t', '\0');
  }

  private CsvSources() {}

  /** Splits a header line with the file's dialect; names are trimmed, a BOM is dropped. */
  public static List<String> parseHeader(String headerLine, Dialect dialect) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(dialect.separator());
    settings.getFormat().setQuote(dialect.quote() == '\0' ? '\u0001' : dialect.quote());
    settings.getFormat().setQuoteEscape(dialect.quote() == '\0' ? '\u0001' : dialect.quote());
    settings.setMaxColumns(10_000);
    settings.setIgnoreLeadingWhitespaces(false);
    settings.setIgnoreTrailingWhitespaces(false);
    String[] cells = new CsvParser(settings).parseLine(headerLine.replace("\uFEFF", ""));
    List<String> names = new ArrayList<>();
    for (String cell : cells) {
      names.add(cell == null ? "" : cell.trim());
    }
    return names;
  }

  /**
   * Reads one delimited file (plain or .gz) whose header has {@code columnCount} columns. The
   * columns are named c0..cN-1 so that any header text is safe; the caller renames them. Adds
   * {@value #SOURCE_FILE} and {@value #SOURCE_ROW} (1 = first record after the header).
   */
  public static Dataset<Row> read(SparkSession spark, String file, int columnCount, Dialect dialect) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < columnCount; i++) {
      fields.add(DataTypes.createStructField("c" + i, DataTypes.StringType, true));
    }
    fields.add(DataTypes.createStructField(CORRUPT, DataTypes.StringType, true));
    Dataset<Row> raw = spark.read()
        .schema(new StructType(fields.toArray(new StructField[0])))
        .option("header", "true")
        .option("sep", String.valueOf(dialect.separator()))
        .option("quote", String.valueOf(dialect.quote()))
        .option("escape", String.valueOf(dialect.quote()))
        .option("multiLine", "true")
        .option("encoding", "UTF-8")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("ignoreLeadingWhiteSpace", "false")
        .option("ignoreTrailingWhiteSpace", "false")
        .option("nullValue", "")
        .option("maxCharsPerColumn", "-1")
        .option("unescapedQuoteHandling", "STOP_AT_DELIMITER")
        .csv(file);
    return raw.withColumn(SOURCE_FILE, lit(file)).withColumn(SOURCE_ROW, recordNumber());
  }

  /**
   * Record number inside the file. multiLine CSV files are never split, so each file is exactly
   * one partition and the partition-local part of monotonically_increasing_id counts its records
   * in order.
   */
  static Column recordNumber() {
    return monotonically_increasing_id()
        .minus(shiftleft(spark_partition_id().cast("long"), 33))
        .plus(1);
  }

  /** Renames c0..cN-1 to the given (already unique, Delta-safe) names. */
  public static Dataset<Row> named(Dataset<Row> read, List<String> names) {
    List<Column> cols = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      cols.add(col("c" + i).as(names.get(i)));
    }
    LINEAGE.forEach(f -> cols.add(col(f.name())));
    return read.select(cols.toArray(new Column[0]));
  }
}
