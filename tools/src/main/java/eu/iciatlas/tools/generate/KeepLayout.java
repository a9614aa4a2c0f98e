package eu.iciatlas.tools.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.keep.KeepColumns;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The layout of the Keep.eu export the generator writes: the header of each real file of the
 * November 2019 export (sheets "Projects (lead partners)", "Partners", "Calls") and Keep.eu's CSV
 * dialect: ';' separator, '"' quoting only where a cell holds ';', '"', CR or LF, '""' escapes,
 * CRLF record ends (bare LF stays inside quoted cells), UTF-8 without BOM.
 *
 * <p>A line is rendered in two steps so that the long real texts are quoted once, not once per
 * generated row: {@link #segments} renders, on the small table of real rows, every run of
 * columns the generator copies unchanged into one pre-quoted column; {@link #line} then
 * concatenates those with the cells the generator overrides (programme, acronym, ...).
 */
public final class KeepLayout {
  /** The 49 columns of the 2019 projects export (sheet "Projects (lead partners)"). */
  public static final List<String> PROJECT_HEADER = List.of("Programme", "Acronym", "Project Name",
      "Project Name language 2", "Project Name language 3", "Lead Partner", "Period", "Street", "Postal code", "Town",
      "Country", "Budget", "Project total expenditure", "EU Funding", "Project EU Funding expenditure", "ERDF budget",
      "ENI budget", "IPA budget", "ERDF eq. budget", "Co-Financing sources", "Website", "Thematic1", "Thematic2",
      "Thematic3", "Specific Obj", "Thematic Obj", "Inv. Priority", "Thematic Priorities (Interreg-IPA CBC specific)",
      "Description 1", "Description 2", "Description EN", "Expected Results 1", "Expected Results 2",
      "Expected Results EN", "Achievements 1", "Achievements 2", "Achievements EN", "Expected Outputs 1",
      "Expected Outputs 2", "Expected Outputs EN", "Delivered Outputs 1", "Delivered Outputs 2", "Delivered Outputs EN",
      "Project start", "Project end", "Priority Area", "Degree of comp.", "Strategy", "Call SN");

  /** The 15 columns of the partners export (sheet "Partners", keep_closed_1420_Partnership.csv). */
  public static final List<String> PARTNER_HEADER = List.of("Programme", "Acronym", "Project Partner", "Lead Partner",
      "Street", "Postal code", "Town", "Country", "Website", "Department", "Legal Status", "Country code",
      "NUTS1 (or equivalent)", "NUTS2 (or equivalent)", "NUTS3 (or equivalent)");

  /** The 5 columns of the calls export (sheet "Calls"). */
  public static final List<String> CALL_HEADER = List.of("Programme", "Serial Number", "Start Date", "End Date", "Budget");

  public static final String SEPARATOR = ";";
  public static final String RECORD_END = "\r\n";

  private KeepLayout() {}

  public static List<String> header(Kind kind) {
    return switch (kind) {
      case PROJECTS -> PROJECT_HEADER;
      case PARTNERS -> PARTNER_HEADER;
      case CALLS -> CALL_HEADER;
    };
  }

  /** The positions of the named header columns of {@code kind} (a name not in the header fails at class load). */
  public static Set<Integer> positions(Kind kind, String... names) {
    Set<Integer> out = new java.util.TreeSet<>();
    for (String name : names) {
      int i = header(kind).indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException(kind + ": no column '" + name + "' in the 2019 header " + header(kind));
      }
      out.add(i);
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  /** Bronze (canonical) column of each header position, as the ingestion names it. */
  public static List<String> canonical(Kind kind) {
    return KeepColumns.canonical(header(kind), kind);
  }

  /** The header line (without record end). */
  public static String headerLine(Kind kind) {
    List<String> cells = new ArrayList<>();
    for (String h : header(kind)) {
      cells.add(cellText(h));
    }
    return String.join(SEPARATOR, cells);
  }

  /** One cell as Keep.eu writes it: empty for null, quoted only when it must be. */
  public static Column cell(Column value) {
    return when(value.isNull(), lit(""))
        .when(value.rlike("[;\"\r\n]"), concat(lit("\""), regexp_replace(value, "\"", "\"\""), lit("\"")))
        .otherwise(value);
  }

  /**
   * Adds to {@code rows} (bronze rows, canonical column names) one pre-rendered column
   * {@code prefix + start} per run of header positions not in {@code overridden}.
   */
  public static Dataset<Row> segments(Dataset<Row> rows, Kind kind, Set<Integer> overridden, String prefix) {
    List<String> names = canonical(kind);
    List<String> present = List.of(rows.columns());
    Dataset<Row> out = rows;
    for (int[] run : runs(names.size(), overridden)) {
      List<Column> cells = new ArrayList<>();
      for (int i = run[0]; i < run[1]; i++) {
        cells.add(cell(present.contains(names.get(i)) ? col(names.get(i)) : lit(null).cast("string")));
      }
      out = out.withColumn(prefix + run[0], concat_ws(SEPARATOR, cells.toArray(new Column[0])));
    }
    return out;
  }

  /** The layout's cells of bronze rows (canonical columns, in header order; null where the bronze has none). */
  public static Column[] cells(Dataset<Row> rows, Kind kind) {
    List<String> present = List.of(rows.columns());
    List<Column> cells = new ArrayList<>();
    for (String name : canonical(kind)) {
      cells.add(present.contains(name) ? col(name) : lit(null).cast("string"));
    }
    return cells.toArray(new Column[0]);
  }

  /** Names of the pre-rendered segment columns, as {@link #segments} adds them. */
  public static List<String> segmentNames(Kind kind, Set<Integer> overridden, String prefix) {
    List<String> names = new ArrayList<>();
    for (int[] run : runs(header(kind).size(), overridden)) {
      names.add(prefix + run[0]);
    }
    return names;
  }

  /**
   * The segments of one collected row whose layout cells (as {@link #cells} selects them) start at
   * {@code offset}: the same text as {@link #segments}, rendered on the driver.
   */
  public static String[] renderSegments(Kind kind, Set<Integer> overridden, Row row, int offset) {
    List<int[]> runs = runs(header(kind).size(), overridden);
    String[] out = new String[runs.size()];
    for (int r = 0; r < runs.size(); r++) {
      StringBuilder text = new StringBuilder();
      for (int i = runs.get(r)[0]; i < runs.get(r)[1]; i++) {
        if (i > runs.get(r)[0]) {
          text.append(SEPARATOR);
        }
        text.append(cellText(row.isNullAt(offset + i) ? null : row.getString(offset + i)));
      }
      out[r] = text.toString();
    }
    return out;
  }

  /** {@link #cell} in Java. */
  public static String cellText(String value) {
    if (value == null) {
      return "";
    }
    boolean quote = value.indexOf(';') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0
        || value.indexOf('\n') >= 0;
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  /** The data line: the overridden cells (raw values, quoted here) between the pre-rendered segments. */
  public static Column line(Kind kind, Map<Integer, Column> overrides, String prefix) {
    int size = header(kind).size();
    List<Column> pieces = new ArrayList<>();
    int i = 0;
    while (i < size) {
      if (overrides.containsKey(i)) {
        pieces.add(cell(overrides.get(i)));
        i++;
      } else {
        pieces.add(col(prefix + i));
        while (i < size && !overrides.containsKey(i)) {
          i++;
        }
      }
    }
    return concat_ws(SEPARATOR, pieces.toArray(new Column[0]));
  }

  private static List<int[]> runs(int size, Set<Integer> overridden) {
    List<int[]> runs = new ArrayList<>();
    int i = 0;
    while (i < size) {
      if (overridden.contains(i)) {
        i++;
        continue;
      }
      int start = i;
      while (i < size && !overridden.contains(i)) {
        i++;
      }
      runs.add(new int[] {start, i});
    }
    return runs;
  }
}
