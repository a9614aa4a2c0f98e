package eu.iciatlas.common.eurostat;

import static eu.iciatlas.common.quality.RejectReason.BAD_TIME;
import static eu.iciatlas.common.quality.RejectReason.BAD_VALUE;
import static eu.iciatlas.common.quality.RejectReason.MALFORMED_RECORD;
import static eu.iciatlas.common.quality.RejectReason.MISSING_GEO;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.SourceFiles;
import eu.iciatlas.common.keep.KeepNormalise;
import eu.iciatlas.common.quality.Validation;
import eu.iciatlas.common.quality.Validation.Rule;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads Eurostat files into one long form: one row per observation (dataset, unit, other
 * dimensions, geo, year, value, flags). Formats, recognised by their header and parsed by column
 * name: legacy bulk TSV ({@code unit,geo\time}, years in any order), API TSV
 * ({@code freq,unit,geo\TIME_PERIOD}), SDMX-CSV 1.0 ({@code DATAFLOW,LAST UPDATE,...}) and 2.0
 * ({@code STRUCTURE,STRUCTURE_ID,...}), and the long CSV of the R eurostat package
 * ({@code unit,geo,time,values}). Cells such as {@code 1.42 p} carry flags; {@code :} and
 * {@code : c} are missing values, kept as null with their flags. A cell or record that cannot be
 * parsed is returned with a reject reason for quarantine.
 */
public final class EurostatBronze {

  private static final Set<String> SDMX_NON_DIMENSIONS = Set.of("dataflow", "last update", "structure",
      "structure_id", "structure_name", "action", "time_period", "obs_value", "obs_flag", "conf_status",
      "obs_status", "time", "values", "geo");
  private static final String CELL = "^\\s*(:|[-+]?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)?\\s*([a-z]*)\\s*$";

  private EurostatBronze() {}

  /** All observations of all files, each with {@code _reject_reason} (null when parsed). */
  public static Dataset<Row> read(SparkSession spark, List<String> files, String runId, Timestamp ingestedAt) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Dataset<Row> all = null;
    for (String file : files) {
      Dataset<Row> one = readFile(spark, file, hadoopConf);
      all = all == null ? one : all.unionByName(one);
    }
    return CsvSources.withRunLineage(all, ingestedAt, runId);
  }

  static Dataset<Row> readFile(SparkSession spark, String file, Configuration hadoopConf) {
    String name = SourceFiles.baseName(file);
    String lower = name.toLowerCase(Locale.ROOT);
    String header = SourceFiles.firstLine(file, hadoopConf);
    if (header == null) {
      throw new InputException(file + ": empty file; expected a Eurostat TSV or SDMX-CSV file with a header row.");
    }
    if (lower.endsWith(".tsv")) {
      return readTsv(spark, file, header, datasetFromFileName(name));
    }
    List<String> columns = CsvSources.parseHeader(header, CsvSources.Dialect.COMMA);
    return readLongCsv(spark, file, columns, datasetFromFileName(name));
  }

  static String datasetFromFileName(String name) {
    String stem = name.replaceFirst("(?i)\\.(tsv|csv)$", "").replaceFirst("(?i)\\.(rda|rds)$", "");
    return stem.replaceFirst("(?i)^estat_", "").toLowerCase(Locale.ROOT);
  }

  private static Dataset<Row> readTsv(SparkSession spark, String file, String headerLine, String dataset) {
    String[] header = headerLine.split("\t", -1);
    String first = header[0].trim();
    int slash = first.indexOf('\\');
    if (slash < 0) {
      throw new InputException(file + ": first header cell '" + first + "' is not Eurostat's 'dim1,...,geo\\time'"
          + " (or '...,geo\\TIME_PERIOD'). Is this a Eurostat TSV file?");
    }
    List<String> dims = List.of(first.substring(0, slash).split(","));
    if (!dims.contains("geo")) {
      throw new InputException(file + ": no geo dimension in '" + first + "'; only regional series can be ingested.");
    }
    List<Integer> years = new ArrayList<>();
    for (int i = 1; i < header.length; i++) {
      String y = header[i].trim();
      if (!y.matches("\\d{4}")) {
        throw new InputException(file + ": column " + (i + 1) + " of the header is '" + y
            + "', not a year. Only annual series are supported.");
      }
      years.add(Integer.parseInt(y));
    }
    Dataset<Row> lines = CsvSources.read(spark, file, header.length, CsvSources.Dialect.TAB_UNQUOTED);
    Column dimValues = split(col("c0"), ",");
    List<Column> cells = new ArrayList<>();
    for (int i = 0; i < years.size(); i++) {
      cells.add(struct(lit(years.get(i)).as("year"), col("c" + (i + 1)).as("cell")));
    }
    // A malformed line becomes one observation holding the whole record, so it is counted once.
    Column observations = when(col(CsvSources.CORRUPT).isNotNull(),
        array(struct(lit(null).cast(DataTypes.IntegerType).as("year"), lit(null).cast(DataTypes.StringType).as("cell"))))
        .otherwise(array(cells.toArray(new Column[0])));
    List<Column> otherDimNames = new ArrayList<>();
    List<Column> otherDimValues = new ArrayList<>();
    Column unit = lit(null).cast(DataTypes.StringType);
    Column geo = null;
    for (int i = 0; i < dims.size(); i++) {
      Column value = trim(element_at(dimValues, i + 1));
      String dim = dims.get(i).trim();
      if (dim.equals("geo")) {
        geo = value;
      } else {
        if (dim.equals("unit")) {
          unit = value;
        }
        otherDimNames.add(lit(dim));
        otherDimValues.add(value);
      }
    }
    Dataset<Row> exploded = lines
        .withColumn("_obs", explode(observations))
        .select(
            lit(dataset).as("dataset"),
            lit(first.contains("TIME_PERIOD") ? "api_tsv" : "bulk_tsv").as("source_format"),
            unit.as("unit"),
            dimensions(otherDimNames, otherDimValues).as("dimensions"),
            geo.as("geo"),
            col("_obs.year").as("year"),
            col("_obs.cell").as("raw_value"),
            col(CsvSources.CORRUPT), col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW));
    Column match = regexp_extract(col("raw_value"), CELL, 1);
    Column flags = regexp_extract(col("raw_value"), CELL, 2);
    Column matches = col("raw_value").rlike(CELL);
    Dataset<Row> parsed = exploded
        .withColumn("value", when(matches.and(match.notEqual(":")).and(match.notEqual("")), match.try_cast(DataTypes.DoubleType)))
        .withColumn("flags", when(matches.and(flags.notEqual("")), flags));
    List<Rule> rules = List.of(
        new Rule(MALFORMED_RECORD, col(CsvSources.CORRUPT).isNotNull(),
            lit("the line does not have one cell per year of the header")),
        new Rule(MISSING_GEO, geo == null ? lit(true) : col("geo").isNull().or(col("geo").equalTo("")),
            lit("no geo code in the first column")),
        new Rule(BAD_VALUE, col("raw_value").isNull().or(matches.unary_$bang()),
            concat(lit("cell for "), col("year").cast("string"), lit(" is not 'number flags' or ': flags': '"),
                coalesce(col("raw_value"), lit("")), lit("'"))));
    return Validation.check(parsed, rules)
        .withColumn("raw_record", when(col(Validation.REASON).equalTo(MALFORMED_RECORD.name()), col(CsvSources.CORRUPT)))
        .drop(CsvSources.CORRUPT);
  }

  private static Dataset<Row> readLongCsv(SparkSession spark, String file, List<String> columns, String fileDataset) {
    List<String> lowerNames = new ArrayList<>();
    for (String c : columns) {
      lowerNames.add(c.toLowerCase(Locale.ROOT));
    }
    int time = indexOfAny(lowerNames, "time_period", "time");
    int value = indexOfAny(lowerNames, "obs_value", "values");
    int geo = lowerNames.indexOf("geo");
    if (time < 0 || value < 0 || geo < 0) {
      throw new InputException(file + ": header " + columns + " is neither Eurostat SDMX-CSV (DATAFLOW or"
          + " STRUCTURE_ID, geo, TIME_PERIOD, OBS_VALUE) nor a long CSV (geo, time, values).");
    }
    int flag = lowerNames.indexOf("obs_flag");
    int dataflow = indexOfAny(lowerNames, "dataflow", "structure_id");
    int unitIdx = lowerNames.indexOf("unit");
    String format = lowerNames.contains("structure_id") ? "sdmx_csv_2" : lowerNames.contains("dataflow") ? "sdmx_csv_1" : "long_csv";
    Dataset<Row> rows = CsvSources.read(spark, file, columns.size(), CsvSources.Dialect.COMMA);
    List<Column> dimNames = new ArrayList<>();
    List<Column> dimValues = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (!SDMX_NON_DIMENSIONS.contains(lowerNames.get(i)) && !lowerNames.get(i).contains(":")) {
        dimNames.add(lit(lowerNames.get(i)));
        dimValues.add(trim(col("c" + i)));
      }
    }
    Column dataset = dataflow < 0 ? lit(fileDataset)
        : lower(regexp_extract(col("c" + dataflow), "^(?:[^:]*:)?([A-Za-z0-9_]+)", 1));
    Column yearText = regexp_extract(trim(col("c" + time)), "^(\\d{4})(-\\d{2}-\\d{2}|-01)?$", 1);
    Column rawValue = trim(col("c" + value));
    Column parsedValue = rawValue.try_cast(DataTypes.DoubleType);
    Dataset<Row> parsed = rows.select(
        dataset.as("dataset"), lit(format).as("source_format"),
        unitIdx < 0 ? lit(null).cast(DataTypes.StringType).as("unit") : trim(col("c" + unitIdx)).as("unit"),
        dimensions(dimNames, dimValues).as("dimensions"),
        trim(col("c" + geo)).as("geo"),
        when(yearText.notEqual(""), yearText.cast(DataTypes.IntegerType)).as("year"),
        rawValue.as("raw_value"),
        parsedValue.as("value"),
        flag < 0 ? lit(null).cast(DataTypes.StringType).as("flags") : KeepNormalise.blankToNull(col("c" + flag)).as("flags"),
        col(CsvSources.CORRUPT), col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW),
        trim(col("c" + time)).as("_time"));
    List<Rule> rules = List.of(
        new Rule(MALFORMED_RECORD, col(CsvSources.CORRUPT).isNotNull(),
            lit("the record does not split into the header's number of fields")),
        new Rule(MISSING_GEO, col("geo").isNull().or(col("geo").equalTo("")), lit("geo is empty")),
        new Rule(BAD_TIME, col("year").isNull(),
            concat(lit("time '"), coalesce(col("_time"), lit("")), lit("' is not an annual period"))),
        new Rule(BAD_VALUE, col("raw_value").isNotNull().and(col("raw_value").notEqual(""))
            .and(col("raw_value").notEqual(":")).and(col("value").isNull()),
            concat(lit("value is not a number: '"), col("raw_value"), lit("'"))));
    return Validation.check(parsed, rules)
        .withColumn("raw_record", when(col(Validation.REASON).equalTo(MALFORMED_RECORD.name()), col(CsvSources.CORRUPT)))
        .drop(CsvSources.CORRUPT, "_time");
  }

  /** Dimension name -> code; typed map<string,string> even when a file has no dimension but geo. */
  private static Column dimensions(List<Column> names, List<Column> values) {
    org.apache.spark.sql.types.ArrayType strings = DataTypes.createArrayType(DataTypes.StringType);
    return map_from_arrays(array(names.toArray(new Column[0])).cast(strings), array(values.toArray(new Column[0])).cast(strings));
  }

  private static int indexOfAny(List<String> names, String... candidates) {
    for (String c : candidates) {
      int i = names.indexOf(c);
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }
}
