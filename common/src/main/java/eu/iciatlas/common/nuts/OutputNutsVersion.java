package eu.iciatlas.common.nuts;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.output.TableWriter;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The NUTS version an output folder is written in. One folder holds one version: the region
 * tables of some periods in NUTS 2013 and of others in NUTS 2021 could not be compared or
 * joined, so a run that would mix them is refused before it writes. A check at a stage's edge: it reads the
 * versions the output's tables hold (a small Spark job).
 */
public final class OutputNutsVersion {
  private OutputNutsVersion() {}

  /** The tables whose rows carry the output NUTS version, in the order they are written. */
  private static final List<String> VERSIONED = List.of(Tables.SILVER_REGION_INDICATORS, Tables.GOLD_PARTNER_NUTS_RECODING,
      Tables.GOLD_REGION_PROFILE);

  /**
   * The version the folder's region tables are in: that of the first of {@link #VERSIONED} with
   * rows (the indicators can all be quarantined), or null when none has rows yet.
   */
  public static Integer written(TableWriter writer) {
    for (String table : VERSIONED) {
      if (!writer.exists(table)) {
        continue;
      }
      Dataset<Row> rows = writer.read(table);
      if (!Arrays.asList(rows.columns()).contains("nuts_version")) {
        return 2013; // written before the column existed, when every output was NUTS 2013
      }
      List<Integer> versions = rows.select(col("nuts_version").cast("int")).distinct().as(Encoders.INT()).collectAsList();
      if (versions.size() == 1) {
        return versions.get(0);
      }
    }
    return null;
  }

  /** Ingestion: refuses a version other than the one the folder already holds. */
  public static void requireSameAsWritten(TableWriter writer, String output, int wanted) {
    Integer written = written(writer);
    if (written != null && written != wanted) {
      throw new InputException("--output " + output + " holds tables in NUTS " + written + "; NUTS " + wanted
          + " outputs go to a new --output folder (one folder, one NUTS version), or run with --nuts-version " + written);
    }
  }

  /**
   * Analysis: the version the ingestion wrote. An explicit --nuts-version (or --set
   * output.nuts.version) that differs is refused: the indicators would be in the other version.
   */
  public static int forAnalysis(TableWriter writer, String output, PipelineSettings settings, List<String> overrides) {
    Integer written = written(writer);
    if (written == null) {
      // no region table has rows yet: nothing to disagree with
      return settings.outputNutsVersion();
    }
    boolean asked = PipelineSettings.overrides(overrides, PipelineSettings.OUTPUT_NUTS_VERSION);
    if (asked && settings.outputNutsVersion() != written) {
      throw new InputException("--nuts-version " + settings.outputNutsVersion() + ": the silver tables of " + output
          + " are in NUTS " + written + "; ingest with --nuts-version " + settings.outputNutsVersion()
          + " into a new --output folder, or analyse without --nuts-version");
    }
    return written;
  }
}
