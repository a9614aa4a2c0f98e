package eu.iciatlas.common.config;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import eu.iciatlas.common.io.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stable settings in {@code conf/}: read from a folder the user names (--conf), else from the
 * copy packaged in the jar, so a spark-submit without --conf still has the defaults. A file missing
 * from a named folder is read from the packaged copy, with a notice on stderr that says so.
 */
public final class ConfFiles {
  private static final String PACKAGED = "/ici-atlas-conf/";
  private static final java.util.Set<String> FELL_BACK = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Path folder;

  public ConfFiles(Path folder) {
    this.folder = folder;
    if (folder != null && !Files.isDirectory(folder)) {
      throw new InputException("--conf " + folder + ": no such folder. Pass the folder that holds the"
          + " ici-atlas configuration files (the repository's conf/), or leave --conf out for the defaults.");
    }
  }

  /**
   * Names of the region definitions there are (conf/regions/NAME.csv of the folder, else of the
   * packaged copy), sorted; "default" is always there and is not a file.
   */
  public List<String> regionDefinitions() {
    java.util.TreeSet<String> names = new java.util.TreeSet<>();
    try {
      if (folder != null && Files.isDirectory(folder.resolve("regions"))) {
        try (var files = Files.list(folder.resolve("regions"))) {
          files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".csv"))
              .forEach(n -> names.add(n.substring(0, n.length() - 4)));
        }
      }
      java.net.URL packaged = ConfFiles.class.getResource(PACKAGED + "regions/");
      if (names.isEmpty() && packaged != null) {
        java.net.URI uri = packaged.toURI();
        if (uri.getScheme().equals("jar")) {
          try (java.nio.file.FileSystem jar = java.nio.file.FileSystems.newFileSystem(uri, Map.of());
              var files = Files.list(jar.getPath(PACKAGED + "regions/"))) {
            files.map(f -> f.getFileName().toString().replace("/", "")).filter(n -> n.endsWith(".csv"))
                .forEach(n -> names.add(n.substring(0, n.length() - 4)));
          }
        } else {
          try (var files = Files.list(Path.of(uri))) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".csv"))
                .forEach(n -> names.add(n.substring(0, n.length() - 4)));
          }
        }
      }
    } catch (IOException | java.net.URISyntaxException | java.nio.file.FileSystemAlreadyExistsException e) {
      // listing is for help texts and messages only; the definition itself is read by name
    }
    List<String> all = new ArrayList<>();
    all.add("default");
    all.addAll(names);
    return all;
  }

  public String describe() {
    return folder == null ? "packaged defaults" : folder.toString();
  }

  /** Whether {@code name} is in the folder or packaged in the jar. */
  public boolean exists(String name) {
    return (folder != null && Files.exists(folder.resolve(name))) || ConfFiles.class.getResource(PACKAGED + name) != null;
  }

  private Reader open(String name) throws IOException {
    if (folder != null && Files.exists(folder.resolve(name))) {
      return Files.newBufferedReader(folder.resolve(name), StandardCharsets.UTF_8);
    }
    InputStream packaged = ConfFiles.class.getResourceAsStream(PACKAGED + name);
    if (packaged == null) {
      throw new InputException("configuration file " + name + " is neither in " + describe()
          + " nor packaged in the jar. Copy it from the repository's conf/ folder.");
    }
    if (folder != null && FELL_BACK.add(folder.resolve(name).toString())) {
      // a conf folder the user named lacks the file: say which default is used instead of it (once per file)
      System.err.println("[ici-atlas] conf: " + folder.resolve(name) + " not found; using the packaged default "
          + name + " (copy it from the repository's conf/ to change it)");
    }
    return new InputStreamReader(packaged, StandardCharsets.UTF_8);
  }

  /**
   * Rows of a ';' CSV conf file with '#' comments, each with its file and line; fails when the header
   * lacks one of {@code requiredColumns} (a cell of a required column may still be blank: {@link ConfRow#required}).
   */
  public List<ConfRow> table(String name, String... requiredColumns) {
    String what = "configuration file " + name;
    try (Reader reader = open(name)) {
      List<ConfRow> rows = new ArrayList<>();
      List<String> header = parse(reader, what + " in " + describe(), (values, line) -> rows.add(new ConfRow(name, line, values)));
      List<String> missing = java.util.Arrays.stream(requiredColumns).filter(c -> !header.contains(c)).toList();
      if (!missing.isEmpty()) {
        throw new InputException(what + " in " + describe() + ": its header has no column " + String.join(", ", missing)
            + " (it has " + String.join(";", header) + "); copy the header line from the repository's conf/" + name);
      }
      return rows;
    } catch (IOException e) {
      throw new InputException(what + " in " + describe() + ": " + e.getMessage(), e);
    }
  }

  /** Rows of a ';' CSV with a header and '#' comments, as header name -> trimmed value (blank -> ""). */
  public static List<Map<String, String>> semicolonCsv(Reader reader) {
    return semicolonCsv(reader, "a ';' CSV");
  }

  /** As {@link #semicolonCsv(Reader)}; a row with more cells than the header fails, naming {@code what} and the line. */
  public static List<Map<String, String>> semicolonCsv(Reader reader, String what) {
    List<Map<String, String>> rows = new ArrayList<>();
    parse(reader, what, (values, line) -> rows.add(values));
    return rows;
  }

  /** Parses a ';' CSV with '#' comments, giving each row's line and values to {@code row}; returns the header. */
  private static List<String> parse(Reader reader, String what, java.util.function.ObjLongConsumer<Map<String, String>> row) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(';');
    settings.getFormat().setComment('#');
    settings.setHeaderExtractionEnabled(true);
    settings.setNullValue("");
    settings.setMaxCharsPerColumn(100_000);
    // the lines are counted at the file's own line breaks (\n or \r\n), whatever the platform's
    settings.setLineSeparatorDetectionEnabled(true);
    CsvParser parser = new CsvParser(settings);
    parser.beginParsing(reader);
    String[] header = null;
    String[] cells;
    while ((cells = parser.parseNext()) != null) {
      if (header == null) {
        header = parser.getContext().headers();
      }
      long line = parser.getContext().currentLine();
      if (cells.length > header.length) {
        throw new InputException(what + ", line " + line + ": " + cells.length + " cells for " + header.length
            + " columns; a ';' inside a value must be quoted (\"...;...\") or written as ','");
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        values.put(header[i].trim(), i < cells.length && cells[i] != null ? cells[i].trim() : "");
      }
      row.accept(values, line);
    }
    if (header == null) {
      String[] headers = parser.getContext() == null ? null : parser.getContext().headers();
      header = headers == null ? new String[0] : headers;
    }
    return java.util.Arrays.stream(header).map(h -> h == null ? "" : h.trim()).toList();
  }

  /** A key=value properties file of the conf folder (or the packaged default). */
  public Map<String, String> properties(String name) {
    java.util.Properties props = new java.util.Properties();
    try (Reader reader = open(name)) {
      props.load(reader);
    } catch (IOException e) {
      throw new InputException("configuration file " + name + " in " + describe() + ": " + e.getMessage(), e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : props.stringPropertyNames()) {
      out.put(key, props.getProperty(key).trim());
    }
    return out;
  }
}
