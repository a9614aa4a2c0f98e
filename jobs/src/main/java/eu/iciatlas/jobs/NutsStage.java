package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.nuts.NutsData;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The NUTS stage of ingestion: silver_nuts_regions (GISCO code lists) and silver_nuts_conversion
 * (JRC matrices) from the --nuts folder, or, when both tables' last commits name the same files and
 * code ({@link NutsData#inputNote}), the tables as they are, without a commit.
 */
final class NutsStage {
  /**
   * The two tables as the output now has them (persisted until the job ends), the note that names
   * their inputs, the rows written and the tables kept.
   */
  record Result(Dataset<Row> regions, Dataset<Row> conversions, String inputNote, Map<String, Long> written, List<String> kept) {}

  private NutsStage() {}

  static Result run(StageContext context, List<String> nutsFiles) {
    Instant start = Instant.now();
    SparkSession spark = context.spark();
    TableWriter writer = context.writer();
    Progress progress = context.progress();
    Persisted persisted = context.persisted();
    String note = NutsData.inputNote(spark, nutsFiles);
    Map<String, Long> written = new LinkedHashMap<>();
    List<String> kept = List.of();
    if (note.equals(writer.lastCommitNote(Tables.SILVER_NUTS_REGIONS))
        && note.equals(writer.lastCommitNote(Tables.SILVER_NUTS_CONVERSION))) {
      kept = List.of(Tables.SILVER_NUTS_REGIONS, Tables.SILVER_NUTS_CONVERSION);
      progress.stage("NUTS reference data", "unchanged since written (same files): kept", start);
    } else {
      Dataset<Row> regions = NutsData.regions(spark, nutsFiles);
      Dataset<Row> conversions = NutsData.conversions(spark, nutsFiles);
      failOnCorrupt(regions, "NUTS code list");
      failOnCorrupt(conversions, "JRC conversion matrix");
      written.put(Tables.SILVER_NUTS_REGIONS, writer.write(Tables.SILVER_NUTS_REGIONS, regions.drop(CsvSources.CORRUPT),
          Scope.WHOLE_TABLE, note));
      written.put(Tables.SILVER_NUTS_CONVERSION, writer.write(Tables.SILVER_NUTS_CONVERSION,
          conversions.drop(CsvSources.CORRUPT), Scope.WHOLE_TABLE, note));
    }
    return new Result(persisted.keep(writer.read(Tables.SILVER_NUTS_REGIONS), StorageLevel.MEMORY_AND_DISK()),
        persisted.keep(writer.read(Tables.SILVER_NUTS_CONVERSION), StorageLevel.MEMORY_AND_DISK()), note, written, kept);
  }

  private static void failOnCorrupt(Dataset<Row> rows, String what) {
    List<Row> bad = rows.filter(col(CsvSources.CORRUPT).isNotNull()).limit(3).collectAsList();
    if (!bad.isEmpty()) {
      throw new InputException(what + ": " + bad.size() + "+ malformed rows, e.g. " + bad.get(0)
          + ". Reference files must be clean CSV; restore the file from data/sample/nuts/.");
    }
  }
}
