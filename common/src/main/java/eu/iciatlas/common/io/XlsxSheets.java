package eu.iciatlas.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Reads the sheets of an XLSX workbook (plain or .gz) as text: the first row is the header, every
 * later non-blank row one record with its sheet row number. Cells keep their stored text; numbers
 * keep their stored value (float noise included, as delivered); date cells become yyyy/MM/dd like
 * Keep.eu's CSV exports.
 */
public final class XlsxSheets {
  private static final DateTimeFormatter KEEP_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

  /** One sheet: header names and records; rowNumbers[i] is the 1-based record number of records[i]. */
  public record SheetData(String sheetName, List<String> header, List<String[]> records,
      List<Long> rowNumbers) {}

  private XlsxSheets() {}

  public static List<SheetData> read(String file, Configuration hadoopConf) {
    // Long descriptions compress very well; POI's zip-bomb guard would reject real Keep.eu files.
    ZipSecureFile.setMinInflateRatio(0.001);
    List<SheetData> sheets = new ArrayList<>();
    try (InputStream in = SourceFiles.open(file, hadoopConf); Workbook workbook = new XSSFWorkbook(in)) {
      for (Sheet sheet : workbook) {
        sheets.add(readSheet(sheet));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException(file + ": not a readable XLSX workbook (" + e.getMessage()
          + "). Save it again as .xlsx or export it as ';' CSV.", e);
    }
    return sheets;
  }

  private static SheetData readSheet(Sheet sheet) {
    List<String> header = new ArrayList<>();
    List<String[]> records = new ArrayList<>();
    List<Long> rowNumbers = new ArrayList<>();
    int first = sheet.getFirstRowNum();
    Row headerRow = sheet.getRow(first);
    if (headerRow == null) {
      return new SheetData(sheet.getSheetName(), header, records, rowNumbers);
    }
    for (int c = 0; c < headerRow.getLastCellNum(); c++) {
      String name = cellText(headerRow.getCell(c));
      header.add(name == null ? "" : name.replace("\uFEFF", "").trim());
    }
    while (!header.isEmpty() && header.get(header.size() - 1).isEmpty()) {
      header.remove(header.size() - 1);
    }
    for (int r = first + 1; r <= sheet.getLastRowNum(); r++) {
      Row row = sheet.getRow(r);
      String[] values = new String[header.size()];
      boolean blank = true;
      if (row != null) {
        for (int c = 0; c < header.size(); c++) {
          values[c] = cellText(row.getCell(c));
          blank &= values[c] == null;
        }
      }
      if (!blank) {
        records.add(values);
        rowNumbers.add((long) (r - first));
      }
    }
    return new SheetData(sheet.getSheetName(), header, records, rowNumbers);
  }

  static String cellText(Cell cell) {
    if (cell == null) {
      return null;
    }
    CellType type = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
    String text = switch (type) {
      case STRING -> cell.getStringCellValue();
      case NUMERIC -> DateUtil.isCellDateFormatted(cell)
          ? cell.getLocalDateTimeCellValue().toLocalDate().format(KEEP_DATE)
          : BigDecimal.valueOf(cell.getNumericCellValue()).stripTrailingZeros().toPlainString();
      case BOOLEAN -> String.valueOf(cell.getBooleanCellValue());
      default -> null;
    };
    return text == null || text.isEmpty() ? null : text;
  }
}
