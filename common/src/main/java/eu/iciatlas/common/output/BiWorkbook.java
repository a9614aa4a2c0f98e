package eu.iciatlas.common.output;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;

/**
 * DIR/bi/ici_atlas.xlsx: the paper's figures and tables as one workbook for economists, one sheet
 * each (Figure 2 and its summary, Figure 3, Tables 1 and 2, the urbanization correlations and tests,
 * the regional profile, the networks), numbers as numbers, a header row with the data dictionary's
 * descriptions as cell comments, and an About sheet that says what each sheet is and where the data
 * come from. The gold tables are small (hundreds of rows), so they are collected to the driver.
 * Staged with the other BI copies and published when the run succeeds.
 */
public final class BiWorkbook {
  public static final String FILE = "ici_atlas.xlsx";
  /** Excel's limit of a cell's text. */
  private static final int MAX_CELL_TEXT = 32_767;

  /** Sheet name (Excel: at most 31 characters), gold table. */
  static final List<String[]> SHEETS = List.of(
      new String[] {"Fig 2 ICI share", "gold_ici_share"},
      new String[] {"Fig 2 summary", "gold_ici_share_summary"},
      new String[] {"Fig 3 specializations", "gold_specialization_share"},
      new String[] {"Tab 1 country specializations", "gold_country_specialization"},
      new String[] {"Tab 2 established clusters", "gold_cluster_comparison"},
      new String[] {"Urbanization correlations", "gold_correlations"},
      new String[] {"Hypothesis tests", "gold_hypothesis_tests"},
      new String[] {"Region profile", "gold_region_profile"},
      new String[] {"Networks", "gold_network_summary"});

  private BiWorkbook() {}

  /** Writes DIR/bi/_staging/ici_atlas.xlsx from the tables that exist; returns the number of data sheets. */
  public static int stage(String outputDir, org.apache.hadoop.conf.Configuration conf, Function<String, Dataset<Row>> tableOrNull) {
    DataDictionary dictionary = DataDictionary.packaged();
    Path staging = BiCopies.stagingDir(outputDir);
    Path partial = new Path(staging, "_tmp_" + FILE);
    int sheets = 0;
    try (XSSFWorkbook book = new XSSFWorkbook()) {
      CellStyle percent = book.createCellStyle();
      percent.setDataFormat(book.createDataFormat().getFormat("0.0%"));
      CellStyle bold = book.createCellStyle();
      Font font = book.createFont();
      font.setBold(true);
      bold.setFont(font);
      Sheet about = book.createSheet("About");
      row(about, 0, bold, "ICI Atlas: international cluster initiatives in Interreg cooperation");
      row(about, 1, null, "One sheet per figure or table of the analysis (Mikhaylov & Mikhaylova 2015, Figures 2-3, Tables 1-2);"
          + " the same rows as the CSV copies in this folder, written "
          + java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0) + " (UTC; the run is the last succeeded row of"
          + " run_manifest.csv). Column meanings: the header cells' comments and README.md. An empty cell is a value that"
          + " cannot be computed; the columns ending in _reason or _note say why.");
      row(about, 2, null, "Data: keep.eu (Interact, https://keep.eu), changes by ICI Atlas; Source: Eurostat; NUTS:"
          + " Eurostat GISCO, (c) EuroGeographics for the administrative boundaries; JRC NUTS converter.");
      row(about, 4, bold, "sheet", "table", "what it shows", "one row per");
      int aboutRow = 5;
      for (String[] s : SHEETS) {
        Dataset<Row> rows = tableOrNull.apply(s[1]);
        if (rows == null) {
          continue;
        }
        DataDictionary.TableEntry entry = dictionary.table(s[1]);
        row(about, aboutRow++, null, s[0], s[1], entry == null ? "" : entry.description(), entry == null ? "" : entry.grain());
        sheet(book, bold, percent, s[0], s[1], rows, dictionary);
        sheets++;
      }
      for (int c = 0; c < 4; c++) {
        about.setColumnWidth(c, c == 2 ? 100 * 256 : 30 * 256);
      }
      FileSystem fs = partial.getFileSystem(conf);
      fs.mkdirs(staging);
      try (OutputStream out = fs.create(partial, true)) {
        book.write(out);
      }
      Path target = new Path(staging, FILE);
      fs.delete(target, false);
      if (!fs.rename(partial, target)) {
        throw new IOException("cannot rename " + partial + " to " + target);
      }
      return sheets;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + new Path(staging, FILE) + ": " + e.getMessage(), e);
    }
  }

  private static void sheet(XSSFWorkbook book, CellStyle bold, CellStyle percent, String name, String table, Dataset<Row> rows,
      DataDictionary dictionary) {
    Sheet sheet = book.createSheet(name);
    StructField[] fields = rows.schema().fields();
    List<Column> order = new ArrayList<>();
    for (StructField f : fields) {
      if (!(f.dataType() instanceof ArrayType) && f.dataType().simpleString().matches("string|int|bigint|double|boolean|date|timestamp")) {
        order.add(col("`" + f.name() + "`").asc_nulls_first());
      }
    }
    List<Row> data = rows.orderBy(order.toArray(new Column[0])).collectAsList();
    org.apache.poi.ss.usermodel.Row header = sheet.createRow(0);
    var drawing = sheet.createDrawingPatriarch();
    var factory = book.getCreationHelper();
    for (int c = 0; c < fields.length; c++) {
      Cell cell = header.createCell(c);
      cell.setCellValue(fields[c].name());
      cell.setCellStyle(bold);
      DataDictionary.ColumnEntry entry = dictionary.column(table, fields[c].name());
      if (entry != null) {
        var anchor = factory.createClientAnchor();
        anchor.setCol1(c);
        anchor.setCol2(c + 4);
        anchor.setRow1(0);
        anchor.setRow2(4);
        var comment = drawing.createCellComment(anchor);
        comment.setString(factory.createRichTextString(DataDictionary.comment(entry)));
        cell.setCellComment(comment);
      }
    }
    // shares (unit "fraction 0-1" in the dictionary) shown as percentages; the cell keeps the fraction
    boolean[] fraction = new boolean[fields.length];
    for (int c = 0; c < fields.length; c++) {
      DataDictionary.ColumnEntry entry = dictionary.column(table, fields[c].name());
      fraction[c] = entry != null && entry.unit() != null && entry.unit().startsWith("fraction 0-1");
    }
    for (int r = 0; r < data.size(); r++) {
      org.apache.poi.ss.usermodel.Row out = sheet.createRow(r + 1);
      Row in = data.get(r);
      for (int c = 0; c < fields.length; c++) {
        if (in.isNullAt(c)) {
          continue;
        }
        Object v = in.get(c);
        if (v instanceof Number n && !Double.isFinite(n.doubleValue())) {
          continue; // NaN or infinite: no number to show, as null
        }
        Cell cell = out.createCell(c);
        if (v instanceof Number n) {
          cell.setCellValue(n.doubleValue());
          if (fraction[c]) {
            cell.setCellStyle(percent);
          }
        } else if (v instanceof Boolean b) {
          cell.setCellValue(b);
        } else if (v instanceof scala.collection.Seq<?> list) {
          cell.setCellValue(String.join("|", scala.jdk.javaapi.CollectionConverters.asJava(list).stream().map(String::valueOf).toList()));
        } else {
          String text = String.valueOf(v);
          cell.setCellValue(text.length() > MAX_CELL_TEXT ? text.substring(0, MAX_CELL_TEXT) : text);
        }
      }
    }
    sheet.createFreezePane(0, 1);
    sheet.setAutoFilter(new org.apache.poi.ss.util.CellRangeAddress(0, Math.max(1, data.size()), 0, fields.length - 1));
    for (int c = 0; c < fields.length; c++) {
      sheet.setColumnWidth(c, Math.min(60, Math.max(10, fields[c].name().length() + 2)) * 256);
    }
  }

  private static void row(Sheet sheet, int index, CellStyle style, String... values) {
    org.apache.poi.ss.usermodel.Row row = sheet.createRow(index);
    for (int c = 0; c < values.length; c++) {
      Cell cell = row.createCell(c);
      cell.setCellValue(values[c]);
      if (style != null) {
        cell.setCellStyle(style);
      }
    }
  }
}
