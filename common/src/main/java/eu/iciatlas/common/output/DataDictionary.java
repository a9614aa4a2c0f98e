package eu.iciatlas.common.output;

import eu.iciatlas.common.config.ConfFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/**
 * What every output table and column means: the packaged {@code ici-atlas-dictionary/tables.csv}
 * (grain, keys, description) and {@code columns.csv} (unit, description; table '*' for columns
 * shared by many tables). Feeds the Delta table and column comments, DIR/bi/README.md and which
 * BI copies a table gets.
 */
public final class DataDictionary {
  /** The copies of a table a run makes for BI tools (tables.csv's bi column). */
  public enum BiFormats {
    NONE, CSV, CSV_AND_PARQUET;

    static BiFormats of(String text, String table) {
      return switch (text == null ? "" : text.trim()) {
        case "none" -> NONE;
        case "csv" -> CSV;
        case "csv+parquet" -> CSV_AND_PARQUET;
        default -> throw new IllegalStateException("ici-atlas-dictionary/tables.csv, table " + table + ": bi is '" + text
            + "'; write none, csv or csv+parquet");
      };
    }
  }

  public record TableEntry(String table, String grain, String keys, String description, BiFormats biFormats) {}

  public record ColumnEntry(String unit, String description) {}

  private static final DataDictionary PACKAGED = load();

  private final Map<String, TableEntry> tables;
  private final Map<String, ColumnEntry> columns;

  private DataDictionary(Map<String, TableEntry> tables, Map<String, ColumnEntry> columns) {
    this.tables = tables;
    this.columns = columns;
  }

  public static DataDictionary packaged() {
    return PACKAGED;
  }

  private static DataDictionary load() {
    Map<String, TableEntry> tables = new LinkedHashMap<>();
    for (Map<String, String> r : read("tables.csv")) {
      tables.put(r.get("table"), new TableEntry(r.get("table"), r.get("grain"), r.get("keys"), r.get("description"),
          BiFormats.of(r.get("bi"), r.get("table"))));
    }
    Map<String, ColumnEntry> columns = new LinkedHashMap<>();
    for (Map<String, String> r : read("columns.csv")) {
      columns.put(r.get("table") + "." + r.get("column"), new ColumnEntry(r.get("unit"), r.get("description")));
    }
    return new DataDictionary(tables, columns);
  }

  private static List<Map<String, String>> read(String name) {
    InputStream in = DataDictionary.class.getResourceAsStream("/ici-atlas-dictionary/" + name);
    if (in == null) {
      throw new IllegalStateException("ici-atlas-dictionary/" + name + " is missing from the jar");
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return ConfFiles.semicolonCsv(reader, "ici-atlas-dictionary/" + name);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read ici-atlas-dictionary/" + name + ": " + e.getMessage(), e);
    }
  }

  public TableEntry table(String table) {
    return tables.get(table);
  }

  /** The BI copies of a table; none for a table the dictionary does not document. */
  public BiFormats biFormats(String table) {
    TableEntry entry = tables.get(table);
    return entry == null ? BiFormats.NONE : entry.biFormats();
  }

  /** The prefix of the silver tables, whose BI copies a run makes only with bi.silver=true. */
  public static final String SILVER_PREFIX = "silver_";

  /** This dictionary, or, with {@code silverCopies} false, one in which no silver table gets BI copies (bi.silver). */
  public DataDictionary withSilverBiCopies(boolean silverCopies) {
    if (silverCopies) {
      return this;
    }
    Map<String, TableEntry> without = new LinkedHashMap<>();
    tables.forEach((name, e) -> without.put(name, name.startsWith(SILVER_PREFIX)
        ? new TableEntry(e.table(), e.grain(), e.keys(), e.description(), BiFormats.NONE) : e));
    return new DataDictionary(without, columns);
  }

  /** This dictionary and one more table (for tests and benchmarks, which write tables of their own). */
  public DataDictionary with(TableEntry entry) {
    Map<String, TableEntry> more = new LinkedHashMap<>(tables);
    more.put(entry.table(), entry);
    return new DataDictionary(more, columns);
  }

  /** The table's own description of the column, else the shared ('*') one, else null; X_year is the reference year of X. */
  public ColumnEntry column(String table, String column) {
    ColumnEntry own = columns.get(table + "." + column);
    if (own != null) {
      return own;
    }
    ColumnEntry shared = columns.get("*." + column);
    if (shared == null && column.endsWith("_year") && column(table, column.substring(0, column.length() - 5)) != null) {
      return new ColumnEntry("year", "Reference year of " + column.substring(0, column.length() - 5)
          + ": the latest year not after the period's end and not more than 6 years before its start");
    }
    return shared;
  }

  /**
   * The rows with a 'comment' on every documented column of a documented table, which Delta stores in the table schema,
   * and without the column metadata Spark keeps for itself (the ids of the Dataset a column came from): stored in a
   * table's schema, those would change it on every write.
   */
  public Dataset<Row> withColumnComments(String table, Dataset<Row> rows) {
    boolean documented = tables.containsKey(table);
    Column[] out = new Column[rows.columns().length];
    StructField[] fields = rows.schema().fields();
    for (int i = 0; i < fields.length; i++) {
      ColumnEntry entry = documented ? column(table, fields[i].name()) : null;
      MetadataBuilder m = new MetadataBuilder().withMetadata(fields[i].metadata());
      SPARK_INTERNAL_METADATA.forEach(m::remove);
      if (entry != null) {
        m.putString("comment", comment(entry));
      }
      out[i] = rows.col("`" + fields[i].name() + "`").as(fields[i].name(), m.build());
    }
    return rows.select(out);
  }

  /** Column metadata keys Spark sets on a Dataset's columns for its own checks (Dataset.DATASET_ID_KEY, COL_POS_KEY). */
  private static final List<String> SPARK_INTERNAL_METADATA = List.of("__dataset_id", "__col_position");

  static String comment(ColumnEntry entry) {
    return entry.unit() == null || entry.unit().isEmpty() ? entry.description()
        : entry.description() + " [" + entry.unit() + "]";
  }
}
