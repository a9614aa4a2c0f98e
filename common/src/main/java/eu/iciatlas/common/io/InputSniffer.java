package eu.iciatlas.common.io;

import eu.iciatlas.common.keep.KeepColumns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Recognises an input file's kind from its first bytes and lines, before Spark starts, so a wrong
 * or empty file is refused in a second with a message naming it (the readers check again as they
 * parse). Reads at most the first two lines of a text file and the first four bytes of a workbook.
 */
public final class InputSniffer {
  private static final int MAX_SHOWN = 120;

  private InputSniffer() {}

  /** A Keep.eu export: an XLSX workbook, or a ';' CSV whose header is a projects, partners or calls header. */
  public static void checkKeepFile(String option, String file, Configuration conf) {
    String name = SourceFiles.baseName(file).toLowerCase(Locale.ROOT);
    if (name.endsWith(".xlsx")) {
      byte[] head = firstBytes(option, file, conf, 4);
      if (head.length == 0) {
        throw new InputException(option + " " + display(file) + ": empty file; expected a Keep.eu XLSX export.");
      }
      if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
        throw new InputException(option + " " + display(file) + ": not an XLSX workbook (an .xlsx file is a ZIP archive"
            + " starting with 'PK'). Export the search results from keep.eu again, or pass the ';' CSV export.");
      }
      return;
    }
    String[] lines = firstLines(option, file, conf);
    if (lines[0] == null) {
      throw new InputException(option + " " + display(file) + ": empty file; expected a Keep.eu ';' CSV export with a header row.");
    }
    List<String> header = CsvSources.parseHeader(lines[0], CsvSources.Dialect.KEEP);
    if (KeepColumns.kindOf(header) == null) {
      throw new InputException(option + " " + display(file) + ": the header is no Keep.eu projects, partners or calls export: '"
          + shown(lines[0]) + "'. Keep.eu CSV exports are ';' separated and start with Programme;Acronym;... "
          + "(2019 export) or Programme;Project acronym;... (current export).");
    }
    if (lines[1] == null) {
      throw new InputException(option + " " + display(file) + ": a Keep.eu header but no data rows. Export it again with results.");
    }
  }

  /** A Eurostat file: a TSV whose first cell is 'dims,geo\time', or a CSV with geo, time and value columns. */
  public static void checkEurostatFile(String option, String file, Configuration conf) {
    String[] lines = firstLines(option, file, conf);
    if (lines[0] == null) {
      throw new InputException(option + " " + display(file) + ": empty file; expected a Eurostat TSV or SDMX-CSV file with a header row.");
    }
    String name = SourceFiles.baseName(file).toLowerCase(Locale.ROOT);
    if (name.endsWith(".tsv")) {
      String first = lines[0].split("\t", -1)[0].trim();
      int slash = first.indexOf('\\');
      if (slash < 0 || !List.of(first.substring(0, slash).split(",")).contains("geo")) {
        throw new InputException(option + " " + display(file) + ": the first header cell '" + shown(first) + "' is not Eurostat's"
            + " 'dim1,...,geo\\time' (bulk TSV) or '...,geo\\TIME_PERIOD' (API TSV) of a regional series.");
      }
    } else {
      List<String> names = CsvSources.parseHeader(lines[0], CsvSources.Dialect.COMMA).stream()
          .map(s -> s.toLowerCase(Locale.ROOT)).toList();
      boolean time = names.contains("time_period") || names.contains("time");
      boolean value = names.contains("obs_value") || names.contains("values");
      if (!names.contains("geo") || !time || !value) {
        throw new InputException(option + " " + display(file) + ": the header '" + shown(lines[0]) + "' has no geo, time and value"
            + " columns; expected SDMX-CSV (DATAFLOW or STRUCTURE, ..., geo, TIME_PERIOD, OBS_VALUE) or the long CSV"
            + " unit,geo,time,values.");
      }
    }
    if (lines[1] == null) {
      throw new InputException(option + " " + display(file) + ": a header but no data rows; download the series again.");
    }
  }

  private static byte[] firstBytes(String option, String file, Configuration conf, int n) {
    try (InputStream in = SourceFiles.open(file, conf)) {
      return in.readNBytes(n);
    } catch (java.io.EOFException e) {
      return new byte[0]; // an empty .gz has no gzip header
    } catch (IOException e) {
      throw unreadable(option, file, e);
    }
  }

  /** The first two lines (null where missing), without a byte order mark. */
  private static String[] firstLines(String option, String file, Configuration conf) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(SourceFiles.open(file, conf), StandardCharsets.UTF_8))) {
      String first = reader.readLine();
      if (first != null && first.startsWith("\uFEFF")) {
        first = first.substring(1);
      }
      String second = first == null ? null : reader.readLine();
      while (second != null && second.isBlank()) {
        second = reader.readLine();
      }
      return new String[] {first, second};
    } catch (java.io.EOFException e) {
      return new String[] {null, null}; // an empty .gz has no gzip header
    } catch (IOException e) {
      throw unreadable(option, file, e);
    }
  }

  private static InputException unreadable(String option, String file, IOException e) {
    String why = e instanceof java.util.zip.ZipException ? "not a gzip file, though its name ends in .gz"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new InputException(option + " " + display(file) + ": cannot read: " + why, e);
  }

  private static String shown(String text) {
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
  }

  /** The local path of a file: URI or plain path, for messages. */
  public static String display(String path) {
    return path.startsWith("file:") ? new Path(path).toUri().getPath() : path;
  }
}
