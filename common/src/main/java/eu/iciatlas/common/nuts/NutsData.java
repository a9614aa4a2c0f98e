package eu.iciatlas.common.nuts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.InputFiles;
import eu.iciatlas.common.io.SourceFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * NUTS reference data from one folder: the GISCO code lists of all versions
 * ({@code nuts_codes*.csv}: NUTS_VERSION, NUTS_ID, LEVL_CODE, CNTR_CODE, NAME_LATN, NUTS_NAME,
 * URBN_TYPE) and the JRC conversion matrices ({@code n<level>_cm_v<from>_v<to>.csv}: one row per
 * intersection of an old and a new region, with its area and 2011/2021 population).
 */
public final class NutsData {
  private static final Pattern MATRIX = Pattern.compile("n([123])_cm_v(\\d{4})_v(\\d{4})\\.csv");

  private NutsData() {}

  /**
   * What the NUTS tables of a run are made from: the SHA-256 of every --nuts CSV file (name
   * and content) and of the code that reads them. Equal notes mean equal tables, so a rerun with
   * the same folder can keep the tables it already has.
   */
  public static String inputNote(SparkSession spark, List<String> files) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<String> texts = new ArrayList<>();
    for (String file : new java.util.TreeSet<>(files)) {
      texts.add(SourceFiles.baseName(file) + " " + eu.iciatlas.common.io.FileDigest.of(file, conf).sha256());
    }
    texts.add("code " + eu.iciatlas.common.io.CodeDigest.of());
    return "nuts-inputs " + eu.iciatlas.common.output.RunGuard.sha256(texts);
  }

  /**
   * The CSV files of a NUTS folder. A run expands --nuts once, before it starts, and passes that list
   * ({@code IngestConfig.Resolved}); this is for the generator and tests.
   */
  public static List<String> files(SparkSession spark, String folder) {
    return InputFiles.expand("--nuts", List.of(folder), List.of("csv"), spark.sparkContext().hadoopConfiguration());
  }

  /** silver_nuts_regions: nuts_version, nuts_id, level, country_code, name, urbn_type; from the code lists among {@code files}. */
  public static Dataset<Row> regions(SparkSession spark, List<String> files) {
    List<String> codeLists = files.stream()
        .filter(f -> SourceFiles.baseName(f).toLowerCase(Locale.ROOT).startsWith("nuts_codes")).toList();
    if (codeLists.isEmpty()) {
      throw new InputException("--nuts: no NUTS code list (nuts_codes*.csv with NUTS_VERSION, NUTS_ID, LEVL_CODE, CNTR_CODE,"
          + " NUTS_NAME, URBN_TYPE) among its " + files.size() + " CSV files. The bundled one is data/sample/nuts/.");
    }
    Dataset<Row> all = null;
    for (String file : codeLists) {
      Dataset<Row> rows = byName(spark, file, List.of("NUTS_VERSION", "NUTS_ID", "LEVL_CODE", "CNTR_CODE",
          "NAME_LATN", "NUTS_NAME", "URBN_TYPE"), List.of("NAME_LATN", "URBN_TYPE"));
      Dataset<Row> typed = rows.select(
          col("NUTS_VERSION").try_cast(DataTypes.IntegerType).as("nuts_version"),
          trim(col("NUTS_ID")).as("nuts_id"),
          col("LEVL_CODE").try_cast(DataTypes.IntegerType).as("level"),
          trim(col("CNTR_CODE")).as("country_code"),
          org.apache.spark.sql.functions.coalesce(
              eu.iciatlas.common.keep.KeepNormalise.blankToNull(col("NAME_LATN")), col("NUTS_NAME")).as("name"),
          col("URBN_TYPE").try_cast(DataTypes.IntegerType).as("urbn_type"),
          col(CsvSources.CORRUPT));
      all = all == null ? typed : all.unionByName(typed);
    }
    return all;
  }

  /** silver_nuts_conversion: level, from_version, to_version, from_code, to_code, area_km2, pop11, pop21; from the JRC matrices among {@code files}. */
  public static Dataset<Row> conversions(SparkSession spark, List<String> files) {
    Dataset<Row> all = null;
    for (String file : files) {
      Matcher m = MATRIX.matcher(SourceFiles.baseName(file));
      if (!m.matches()) {
        continue;
      }
      String from = m.group(2);
      String to = m.group(3);
      Dataset<Row> rows = byName(spark, file, List.of("code_v" + from, "code_v" + to, "areaKm", "pop11", "pop21"),
          List.of());
      Dataset<Row> typed = rows.select(
          lit(Integer.parseInt(m.group(1))).as("level"),
          lit(Integer.parseInt(from)).as("from_version"), lit(Integer.parseInt(to)).as("to_version"),
          trim(col("code_v" + from)).as("from_code"), trim(col("code_v" + to)).as("to_code"),
          col("areaKm").try_cast(DataTypes.DoubleType).as("area_km2"),
          col("pop11").try_cast(DataTypes.DoubleType).as("pop11"),
          col("pop21").try_cast(DataTypes.DoubleType).as("pop21"),
          col(CsvSources.CORRUPT));
      all = all == null ? typed : all.unionByName(typed);
    }
    if (all == null) {
      throw new InputException("--nuts: no JRC conversion matrix (n2_cm_v2006_v2013.csv style) among its " + files.size()
          + " CSV files. The bundled ones are in data/sample/nuts/jrc/.");
    }
    return all;
  }

  /** Reads a comma CSV selecting columns by header name; missing required columns fail. */
  static Dataset<Row> byName(SparkSession spark, String file, List<String> wanted, List<String> optional) {
    String headerLine = SourceFiles.firstLine(file, spark.sparkContext().hadoopConfiguration());
    List<String> header = CsvSources.parseHeader(headerLine, CsvSources.Dialect.COMMA);
    Dataset<Row> read = CsvSources.read(spark, file, header.size(), CsvSources.Dialect.COMMA);
    List<Column> cols = new ArrayList<>();
    for (String w : wanted) {
      int i = header.indexOf(w);
      if (i < 0 && !optional.contains(w)) {
        throw new InputException(file + ": column '" + w + "' is missing; the header is " + header);
      }
      cols.add(i < 0 ? lit(null).cast(DataTypes.StringType).as(w) : col("c" + i).as(w));
    }
    cols.add(col(CsvSources.CORRUPT));
    return read.select(cols.toArray(new Column[0]));
  }
}
