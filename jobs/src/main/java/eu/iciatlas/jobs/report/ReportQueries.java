package eu.iciatlas.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.network.NetworkTables;
import eu.iciatlas.common.output.OutputTables;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Every read of the report's tables: small gold tables (and the NUTS names, the manifest, the audit and the
 * provenance, and the edges of the pictured networks) collected into rows in a fixed order.
 * {@link ReportJob} and {@link NetworkSection} render from what these return and hold no Spark query of their own.
 */
final class ReportQueries {
  private final OutputTables tables;
  private final String output;

  ReportQueries(OutputTables tables, String output) {
    this.tables = tables;
    this.output = output;
  }

  boolean exists(String table) {
    return tables.exists(table);
  }

  /** True when the table exists and has the column (outputs of earlier versions lack some). */
  boolean hasColumn(String table, String column) {
    return tables.exists(table) && Arrays.asList(tables.read(table).columns()).contains(column);
  }

  /** The rows of a table (of one period, or all when {@code period} is null) in the order of the SQL expressions. */
  List<Row> rows(String table, String period, String... order) {
    Dataset<Row> d = tables.read(table);
    if (period != null) {
      d = d.filter(col("period").equalTo(period));
    }
    return d.orderBy(Arrays.stream(order).map(functions::expr).toArray(Column[]::new)).collectAsList();
  }

  /** Every row of a table grouped by period (periods in order), each group in the given order. Small gold tables only. */
  Map<String, List<Row>> byPeriod(String table, String... order) {
    Map<String, List<Row>> out = new TreeMap<>();
    for (Row r : rows(table, null, order)) {
      out.computeIfAbsent(r.getAs("period"), k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  /** The latest period with ICI projects, else the latest period. */
  String defaultPeriod() {
    List<Row> r = tables.read(Tables.GOLD_ICI_SHARE).groupBy("period").agg(functions.sum("ici_projects").as("n"))
        .orderBy(col("n").gt(0).desc(), col("period").desc()).limit(1).collectAsList();
    if (r.isEmpty()) {
      throw new InputException("--output " + output + ": gold_ici_share is empty; nothing to report");
    }
    return r.get(0).getString(0);
  }

  /** The manifest row of the latest succeeded run, or null. */
  Row lastSucceededRun() {
    return tables.exists(Tables.RUN_MANIFEST) ? tables.read(Tables.RUN_MANIFEST).filter(col("outcome").equalTo("succeeded"))
        .orderBy(col("ended_at").desc()).limit(1).collectAsList().stream().findFirst().orElse(null) : null;
  }

  /** The NUTS 2 observations of gold_correlation_points (period, unit_id, ici_projects, ici_share) by period. */
  Map<String, List<Row>> nuts2Shares() {
    Map<String, List<Row>> points = new TreeMap<>();
    for (Row r : tables.read(Tables.GOLD_CORRELATION_POINTS).filter(col("level").equalTo("nuts2"))
        .select("period", "unit_id", "ici_projects", "ici_share").orderBy("period", "unit_id").collectAsList()) {
      points.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    return points;
  }

  /** The NUTS 2 observations with the indicator (period, unit_id, indicator, ici_projects, ici_share). */
  List<Row> nuts2Points(String indicator) {
    return tables.read(Tables.GOLD_CORRELATION_POINTS).filter(col("level").equalTo("nuts2").and(col(indicator).isNotNull()))
        .select("period", "unit_id", indicator, "ici_projects", "ici_share").orderBy("period", "unit_id").collectAsList();
  }

  /** gold_correlations of the indicator by period, each in level and measure order. */
  Map<String, List<Row>> correlations(String indicator) {
    Map<String, List<Row>> stats = new TreeMap<>();
    for (Row r : tables.read(Tables.GOLD_CORRELATIONS).filter(col("indicator").equalTo(indicator)).orderBy("period", "level", "measure")
        .collectAsList()) {
      stats.computeIfAbsent(r.getAs("period"), k -> new ArrayList<>()).add(r);
    }
    return stats;
  }

  /** The NUTS version of the period's region tables (2013 for outputs written before the column existed). */
  int nutsVersion(String period) {
    Dataset<Row> points = tables.read(Tables.GOLD_CORRELATION_POINTS);
    if (!Arrays.asList(points.columns()).contains("nuts_version")) {
      return 2013;
    }
    Row r = points.filter(col("period").equalTo(period)).select(functions.max("nuts_version")).first();
    return r.isNullAt(0) ? 2013 : ((Number) r.get(0)).intValue();
  }

  /** Codes of the data version -> their codes in the geometry version (JRC matrices, NUTS 2 and 3, either direction). */
  Map<String, List<String>> counterparts(int dataVersion, int geometryVersion) {
    Map<String, List<String>> out = new TreeMap<>();
    if (dataVersion == geometryVersion || !tables.exists(Tables.SILVER_NUTS_CONVERSION)) {
      return out;
    }
    Dataset<Row> m = tables.read(Tables.SILVER_NUTS_CONVERSION);
    Dataset<Row> pairs = m.filter(col("from_version").equalTo(dataVersion).and(col("to_version").equalTo(geometryVersion)))
        .select(col("from_code").as("code"), col("to_code").as("drawn"))
        .unionByName(m.filter(col("from_version").equalTo(geometryVersion).and(col("to_version").equalTo(dataVersion)))
            .select(col("to_code").as("code"), col("from_code").as("drawn")));
    for (Row r : pairs.distinct().orderBy("code", "drawn").collectAsList()) {
      out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1));
    }
    return out;
  }

  /** The checks of the estimates without text: per region of a period with text, whether the interval held. */
  List<Boolean> estimateChecks() {
    return tables.read(Tables.GOLD_ICI_SHARE_ESTIMATED).filter(col("interval_holds_expected_share").isNotNull())
        .select("interval_holds_expected_share").collectAsList().stream().map(r -> r.getBoolean(0)).toList();
  }

  /** NUTS code of a level -> name (the latest version that has the code); level 0: the countries, in their languages. */
  Map<String, String> nutsNames(int level) {
    Map<String, String> names = new TreeMap<>();
    if (tables.exists(Tables.SILVER_NUTS_REGIONS)) {
      for (Row r : tables.read(Tables.SILVER_NUTS_REGIONS).filter(col("level").equalTo(level)).orderBy("nuts_version")
          .select("nuts_id", "name").collectAsList()) {
        names.put(r.getString(0), r.getString(1));
      }
    }
    return names;
  }

  /** The period's pairs of NUTS 2 regions sharing the most ICI projects, then projects. */
  List<Row> topLinks(String period, int limit) {
    return tables.read(Tables.GOLD_REGION_LINKS).filter(col("period").equalTo(period))
        .orderBy(col("shared_ici_projects").desc(), col("shared_projects").desc(), col("nuts2_a"), col("nuts2_b")).limit(limit)
        .collectAsList();
  }

  /** The latest ingestion's audit totals. */
  record AuditTotals(String runId, long read, long accepted, long quarantined, long files, long unbalanced) {}

  /** The totals of the latest ingestion run of ingest_audit, or null when there is none. */
  AuditTotals lastAudit() {
    if (!tables.exists(Tables.INGEST_AUDIT)) {
      return null;
    }
    Row last = tables.read(Tables.INGEST_AUDIT).orderBy(col("run_id").desc()).limit(1).collectAsList().stream().findFirst().orElse(null);
    if (last == null) {
      return null;
    }
    Row totals = tables.read(Tables.INGEST_AUDIT).filter(col("run_id").equalTo(last.<String>getAs("run_id")))
        .agg(functions.sum("rows_read"), functions.sum("rows_accepted"), functions.sum("rows_quarantined"), functions.count(lit(1)),
            functions.count_if(col("balanced").equalTo(false))).first();
    return new AuditTotals(last.getAs("run_id"), totals.getLong(0), totals.getLong(1), totals.getLong(2), totals.getLong(3),
        totals.getLong(4));
  }

  /** gold_network_summary's organisation networks of the period: regions, then the whole input, each scope in order. */
  List<Row> networkSummary(String period) {
    return tables.read(Tables.GOLD_NETWORK_SUMMARY)
        .filter(col("period").equalTo(period).and(col("level").equalTo(NetworkTables.ORGANISATION)))
        .orderBy(col("region_kind").equalTo("input"), col("region_kind"), col("region_name"), col("scope")).collectAsList();
  }

  /** The period's top brokers of each region (all projects): betweenness, then degree, then name. */
  List<Row> topBrokers(String period, int perRegion) {
    return tables.read(Tables.GOLD_NETWORK_ORGANISATIONS)
        .filter(col("period").equalTo(period).and(col("scope").equalTo("all")).and(col("is_broker")))
        .withColumn("_rank", functions.row_number().over(Window.partitionBy("region_id")
            .orderBy(col("betweenness").desc(), col("degree").desc(), col("organisation"))))
        .filter(col("_rank").leq(perRegion)).orderBy(col("region_kind").equalTo("input"), col("region_name"), col("_rank"))
        .collectAsList();
  }

  /** The regions (not the whole input) with the largest ICI organisation networks that have edges. */
  List<Row> largestIciNetworks(String period, int limit) {
    return tables.read(Tables.GOLD_NETWORK_SUMMARY)
        .filter(col("period").equalTo(period).and(col("level").equalTo(NetworkTables.ORGANISATION))
            .and(col("scope").equalTo("ici")).and(col("region_kind").notEqual("input")).and(col("edges").gt(0)))
        .orderBy(col("nodes").desc(), col("region_id")).limit(limit).collectAsList();
  }

  /** True when the output has classification rows of the period (an output analysed by an earlier version has none). */
  boolean hasClassification(String period) {
    return tables.exists(Tables.SILVER_PROJECT_CLASSIFICATION)
        && !tables.read(Tables.SILVER_PROJECT_CLASSIFICATION).filter(col("period").equalTo(period)).isEmpty();
  }

  /** The edges of the ICI organisation networks of the regions (region_id, node_a, node_b, weight) by region. */
  Map<String, List<Row>> iciEdges(String period, List<String> regionIds) {
    Dataset<Row> projects = tables.read(Tables.SILVER_PROJECT_CLASSIFICATION).filter(col("period").equalTo(period))
        .select("project_id", "is_ici").filter(col("is_ici"));
    Dataset<Row> projectRegions = tables.read(Tables.SILVER_PROJECT_REGIONS)
        .filter(col("period").equalTo(period).and(col("region_id").isin(regionIds.toArray())));
    Dataset<Row> participations = tables.read(Tables.SILVER_PARTICIPATIONS).filter(col("period").equalTo(period));
    Dataset<Row> memberships = NetworkTables.memberships(projects, projectRegions, participations)
        .filter(col("scope").equalTo("ici").and(col("level").equalTo(NetworkTables.ORGANISATION))
            .and(col("region_id").isin(regionIds.toArray())));
    Map<String, List<Row>> edges = new HashMap<>();
    for (Row e : NetworkTables.edges(memberships).select("region_id", "node_a", "node_b", "weight").collectAsList()) {
      edges.computeIfAbsent(e.getString(0), k -> new ArrayList<>()).add(e);
    }
    return edges;
  }

  /** The organisations of the ICI networks of the regions (region_id, organisation_key, country_code, degree, name) by region. */
  Map<String, List<Row>> iciOrganisations(String period, List<String> regionIds) {
    Map<String, List<Row>> nodes = new HashMap<>();
    for (Row n : tables.read(Tables.GOLD_NETWORK_ORGANISATIONS).filter(col("period").equalTo(period)
            .and(col("scope").equalTo("ici")).and(col("region_id").isin(regionIds.toArray())))
        .select("region_id", "organisation_key", "country_code", "degree", "organisation")
        .orderBy("region_id", "country_code", "organisation_key").collectAsList()) {
      nodes.computeIfAbsent(n.getString(0), k -> new ArrayList<>()).add(n);
    }
    return nodes;
  }
}
