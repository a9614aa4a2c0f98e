package eu.iciatlas.tools.generate;

import static eu.iciatlas.common.keep.KeepNormalise.blankToNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.keep.KeepNormalise;
import eu.iciatlas.common.keep.KeepSilver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rates of Keep.eu's dirty cells and shapes in bronze tables (as the ingestion reads them), so
 * that a generated export can be compared with the real one: {@code measure(real)} against
 * {@code measure(generated)}. One aggregation per table.
 */
public final class KeepDirtyCells {
  /** hits of total; for "per" measures (partners per project) the value is hits / total too. */
  public record Rate(long hits, long total) {
    public double value() {
      return total == 0 ? 0 : hits / (double) total;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.4f (%,d / %,d)", value(), hits, total);
    }
  }

  private record Measure(String name, Column hit, Column counted) {}

  private static final String ODD_PROGRAMME = "^\\s|\\s$|\\.$|\u2013|\u2014";

  private KeepDirtyCells() {}

  public static Map<String, Rate> measure(Map<Kind, Dataset<Row>> bronze) {
    Map<String, Rate> rates = new LinkedHashMap<>();
    Dataset<Row> projects = bronze.get(Kind.PROJECTS);
    Dataset<Row> partners = bronze.get(Kind.PARTNERS);
    Dataset<Row> calls = bronze.get(Kind.CALLS);

    Column anyLineFeedProject = anyContains(projects, "\n");
    rates.putAll(aggregate(projects, List.of(
        new Measure("projects: budget cells with comma thousands", col("total_budget").rlike("\\d,\\d{3}"),
            present("total_budget")),
        new Measure("projects: EU funding cells with float noise (3+ decimals)", col("eu_funding").rlike("\\.\\d{3,}$"),
            present("eu_funding")),
        new Measure("projects: acronyms with a '\"'", col("acronym").contains("\""), present("acronym")),
        new Measure("projects: rows with LF inside a cell", anyLineFeedProject, lit(true)),
        new Measure("projects: programme cells with en dash, trailing dot or space", col("programme").rlike(ODD_PROGRAMME),
            present("programme")),
        new Measure("projects: rows with an English description", present("description_en"), lit(true)),
        new Measure("projects: rows themed 'Clustering and economic cooperation'",
            themed("Clustering and economic cooperation"), lit(true)),
        new Measure("projects: start dates as yyyy/MM/dd", col("project_start").rlike("^\\d{4}/\\d{2}/\\d{2}$"),
            present("project_start")))));
    rates.put("projects: extra rows of projects with two lead partners", extraRows(projects));

    Column nutsCells = lit(0);
    Column nutsNamed = lit(0);
    for (String c : List.of("nuts1", "nuts2", "nuts3")) {
      nutsCells = nutsCells.plus(when(present(c), 1).otherwise(0));
      nutsNamed = nutsNamed.plus(when(col(c).rlike("^[A-Z]{2}[A-Z0-9]{0,3}  / "), 1).otherwise(0));
    }
    Map<String, Rate> partnerRates = aggregate(partners, List.of(
        new Measure("partners: rows with LF inside a cell", anyContains(partners, "\n"), lit(true)),
        new Measure("partners: rows without NUTS 3 (non-EU partners)", present("nuts3").equalTo(false), lit(true)),
        new Measure("partners: NUTS 3 cells whose code is not 5 characters (e.g. 'MF  / Saint-Martin')",
            length(KeepNormalise.nutsCode(col("nuts3"))).notEqual(5), present("nuts3")),
        new Measure("partners: country code cells as 'EE Estonia / EESTI'", col("country_code").rlike("^[A-Z]{2} +\\S.* / "),
            present("country_code")),
        new Measure("partners: legal status cells not in lower case", blankToNull(col("legal_status"))
            .notEqual(lower(blankToNull(col("legal_status")))), present("legal_status")),
        new Measure("partners: lead partner rows", KeepNormalise.yesNo(col("lead_partner")), lit(true)),
        new Measure("partners: lead flag cells other than Yes/No", col("lead_partner").isin("Yes", "No").equalTo(false),
            present("lead_partner")),
        new Measure("partners: programme cells with en dash, trailing dot or space", col("programme").rlike(ODD_PROGRAMME),
            present("programme"))));
    Row nuts = partners.agg(sum(nutsNamed), sum(nutsCells)).first();
    partnerRates.put("partners: NUTS cells as 'CODE  / Name'", new Rate(nuts.isNullAt(0) ? 0 : nuts.getLong(0),
        nuts.isNullAt(1) ? 0 : nuts.getLong(1)));
    long rows = partners.count();
    long distinctRows = withPid(partners).select("_pid", "organisation", "town", "postal_code", "department",
        "lead_partner", "nuts3", "street").distinct().count();
    partnerRates.put("partners: exact duplicate rows", new Rate(rows - distinctRows, rows));
    Row perProject = withPid(partners).agg(count(lit(1)), countDistinct(col("_pid"))).first();
    partnerRates.put("partners: rows per project (ratio)", new Rate(perProject.getLong(0), perProject.getLong(1)));
    rates.putAll(partnerRates);

    rates.putAll(aggregate(calls, List.of(
        new Measure("calls: budget cells with comma thousands", col("call_budget").rlike("\\d,\\d{3}"),
            present("call_budget")))));
    return rates;
  }

  private static Map<String, Rate> aggregate(Dataset<Row> rows, List<Measure> measures) {
    List<Column> aggs = new ArrayList<>();
    for (Measure m : measures) {
      aggs.add(sum(when(m.counted().and(m.hit()), 1L).otherwise(0L)));
      aggs.add(sum(when(m.counted(), 1L).otherwise(0L)));
    }
    Row r = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
    Map<String, Rate> out = new LinkedHashMap<>();
    for (int i = 0; i < measures.size(); i++) {
      out.put(measures.get(i).name(), new Rate(r.isNullAt(2 * i) ? 0 : r.getLong(2 * i),
          r.isNullAt(2 * i + 1) ? 0 : r.getLong(2 * i + 1)));
    }
    return out;
  }

  private static Rate extraRows(Dataset<Row> projects) {
    Row r = withPid(projects).agg(count(lit(1)), countDistinct(col("_pid"))).first();
    return new Rate(r.getLong(0) - r.getLong(1), r.getLong(0));
  }

  private static Dataset<Row> withPid(Dataset<Row> rows) {
    Column programmeKey = KeepNormalise.programmeKey(KeepNormalise.programme(col("programme")));
    return rows.withColumn("_pid", KeepSilver.projectId(programmeKey, blankToNull(col("acronym"))));
  }

  private static Column present(String column) {
    return blankToNull(col(column)).isNotNull();
  }

  private static Column themed(String theme) {
    return col("theme_1").equalTo(theme).or(col("theme_2").equalTo(theme)).or(col("theme_3").equalTo(theme))
        .equalTo(true);
  }

  private static Column anyContains(Dataset<Row> rows, String text) {
    Column any = lit(false);
    for (String c : rows.columns()) {
      if (!c.startsWith("_")) {
        any = any.or(when(col(c).contains(text), true).otherwise(false));
      }
    }
    return any;
  }
}
