package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The periods an analysis reads and the rows it replaces: {@code scope} for the period tables,
 * {@code dimensionScope} for the star dimensions (whole tables when every period of the output is
 * analysed, so that the columns and keys of an earlier version go).
 */
record AnalysedPeriods(List<String> periods, boolean everyPeriod, Scope scope, Scope dimensionScope) {

  /** {@code asked}: the --period values, or empty for every period silver_projects holds. */
  static AnalysedPeriods of(TableWriter writer, List<String> asked) {
    List<String> present = periodsOf(writer.read(Tables.SILVER_PROJECTS));
    List<String> periods = asked.isEmpty() ? present : asked;
    // every period of the output analysed (also 'run' without --period, which names the periods it ingested):
    // the star dimensions are rewritten whole, so columns and keys of an earlier version go, and the rows of
    // periods silver_projects no longer holds go from every table the analysis writes, not from the dimensions alone
    boolean everyPeriod = periods.containsAll(present);
    TreeSet<String> replaced = new TreeSet<>(periods);
    if (everyPeriod && writer.exists(Tables.STAR_FACT_PARTICIPATION)) {
      replaced.addAll(periodsOf(writer.read(Tables.STAR_FACT_PARTICIPATION)));
    }
    Scope scope = Scope.periods("period", replaced, false);
    return new AnalysedPeriods(periods, everyPeriod, scope, everyPeriod ? Scope.WHOLE_TABLE : scope);
  }

  /** The rows of the analysed periods. */
  Dataset<Row> select(Dataset<Row> rows) {
    return rows.filter(col("period").isin(periods.toArray()));
  }

  private static List<String> periodsOf(Dataset<Row> table) {
    return table.select("period").distinct().orderBy("period").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }
}
