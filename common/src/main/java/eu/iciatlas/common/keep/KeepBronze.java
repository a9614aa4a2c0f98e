package eu.iciatlas.common.keep;

import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.SourceFiles;
import eu.iciatlas.common.io.XlsxSheets;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads Keep.eu exports (';' CSV or XLSX, plain or .gz, either header generation) into the three
 * bronze tables: every delivered column as a string under its canonical name, plus lineage
 * ({@code _source_file}, {@code _source_row}, {@code _ingested_at}, {@code _run_id}) and
 * {@code _corrupt_record} for records the CSV parser could not split.
 */
public final class KeepBronze {
  private KeepBronze() {}

  public static Map<Kind, Dataset<Row>> read(SparkSession spark, List<String> files, String runId,
      Timestamp ingestedAt, Consumer<String> log) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Map<Kind, List<Dataset<Row>>> parts = new EnumMap<>(Kind.class);
    for (String file : files) {
      String lower = SourceFiles.baseName(file).toLowerCase(Locale.ROOT);
      if (lower.endsWith(".xlsx")) {
        int recognised = 0;
        for (XlsxSheets.SheetData sheet : XlsxSheets.read(file, hadoopConf)) {
          Kind kind = KeepColumns.kindOf(sheet.header());
          if (kind == null) {
            log.accept(file + ": sheet '" + sheet.sheetName() + "' (" + sheet.records().size()
                + " rows) is no Keep.eu projects, partners or calls table; not ingested");
            continue;
          }
          recognised++;
          parts.computeIfAbsent(kind, k -> new ArrayList<>()).add(fromSheet(spark, file, sheet, kind));
        }
        if (recognised == 0) {
          throw new InputException(file + ": no sheet has a Keep.eu projects, partners or calls header"
              + " (e.g. Programme;Acronym;Project Partner;... or Programme;Project acronym;Theme 1;...).");
        }
      } else {
        String headerLine = SourceFiles.firstLine(file, hadoopConf);
        if (headerLine == null) {
          throw new InputException(file + ": empty file; expected a Keep.eu ';' CSV export with a header row.");
        }
        List<String> header = CsvSources.parseHeader(headerLine, CsvSources.Dialect.KEEP);
        Kind kind = KeepColumns.kindOf(header);
        if (kind == null) {
          throw new InputException(file + ": header is no Keep.eu projects, partners or calls export: "
              + abbreviate(headerLine) + ". Keep.eu CSV files are ';' separated with a Programme column.");
        }
        Dataset<Row> read = CsvSources.read(spark, file, header.size(), CsvSources.Dialect.KEEP);
        parts.computeIfAbsent(kind, k -> new ArrayList<>())
            .add(CsvSources.named(read, KeepColumns.canonical(header, kind)));
      }
    }
    Map<Kind, Dataset<Row>> bronze = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      List<Dataset<Row>> datasets = parts.get(kind);
      Dataset<Row> all = datasets == null ? emptyBronze(spark, kind) : unionAll(datasets);
      for (String required : KeepColumns.REQUIRED.get(kind)) {
        if (!List.of(all.columns()).contains(required)) {
          all = all.withColumn(required, lit(null).cast(DataTypes.StringType));
        }
      }
      bronze.put(kind, CsvSources.withRunLineage(all, ingestedAt, runId));
    }
    return bronze;
  }

  private static Dataset<Row> unionAll(List<Dataset<Row>> datasets) {
    Dataset<Row> all = datasets.get(0);
    for (int i = 1; i < datasets.size(); i++) {
      all = all.unionByName(datasets.get(i), true);
    }
    return all;
  }

  private static Dataset<Row> fromSheet(SparkSession spark, String file, XlsxSheets.SheetData sheet, Kind kind) {
    List<String> names = KeepColumns.canonical(sheet.header(), kind);
    List<StructField> fields = new ArrayList<>();
    for (String name : names) {
      fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    fields.addAll(CsvSources.LINEAGE);
    String source = file + "#" + sheet.sheetName();
    List<String> lineage = CsvSources.LINEAGE.stream().map(StructField::name).toList();
    int fileAt = names.size() + lineage.indexOf(CsvSources.SOURCE_FILE);
    int rowAt = names.size() + lineage.indexOf(CsvSources.SOURCE_ROW);
    List<Row> rows = new ArrayList<>(sheet.records().size());
    for (int i = 0; i < sheet.records().size(); i++) {
      Object[] values = new Object[names.size() + lineage.size()]; // the corrupt record stays null: a sheet cell always parses
      System.arraycopy(sheet.records().get(i), 0, values, 0, names.size());
      values[fileAt] = source;
      values[rowAt] = sheet.rowNumbers().get(i);
      rows.add(RowFactory.create(values));
    }
    return spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
  }

  private static Dataset<Row> emptyBronze(SparkSession spark, Kind kind) {
    List<StructField> fields = new ArrayList<>();
    for (String name : KeepColumns.REQUIRED.get(kind)) {
      fields.add(DataTypes.createStructField(name, DataTypes.StringType, true));
    }
    fields.addAll(CsvSources.LINEAGE);
    return spark.createDataFrame(List.of(), new StructType(fields.toArray(new StructField[0])));
  }

  private static String abbreviate(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }
}
