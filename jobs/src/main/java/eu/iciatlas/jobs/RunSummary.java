package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.InputSniffer;
import eu.iciatlas.common.output.OutputTables;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The closing summary of a run, read from the tables it wrote: per period and region kind the ICI
 * projects, projects, pooled and mean share and the top three regions; the quarantined rows; where
 * the report, the BI folder and the data dictionary are. Printed on stdout (progress is on
 * stderr), and as JSON with --summary-json.
 */
record RunSummary(String runId, String output, List<Map<String, Object>> shares, String ingestRunId, long rowsRead,
    long rowsQuarantined, Map<String, Long> quarantinedByTable, boolean analysed, boolean reportWritten) {

  /** Reads the summary of run {@code runId} (its audit rows; the shares of {@code periods}, all when empty). */
  static RunSummary of(SparkSession spark, String output, String runId, List<String> periods, boolean analysed,
      boolean reportWritten) {
    OutputTables tables = new OutputTables(spark, output);
    List<Map<String, Object>> shares = new ArrayList<>();
    if (analysed && tables.exists(Tables.GOLD_ICI_SHARE_SUMMARY)) {
      Dataset<Row> summary = tables.read(Tables.GOLD_ICI_SHARE_SUMMARY);
      Dataset<Row> regions = tables.read(Tables.GOLD_ICI_SHARE);
      if (!periods.isEmpty()) {
        summary = summary.filter(col("period").isin(periods.toArray()));
        regions = regions.filter(col("period").isin(periods.toArray()));
      }
      Map<String, List<Row>> topByKind = new LinkedHashMap<>();
      for (Row r : regions.orderBy(col("period"), col("region_kind"), desc("share"), desc("ici_projects"), col("region_name"))
          .select("period", "region_kind", "region_name", "ici_projects", "projects", "share", "projects_with_text").collectAsList()) {
        topByKind.computeIfAbsent(r.getString(0) + "|" + r.getString(1), k -> new ArrayList<>()).add(r);
      }
      for (Row r : summary.orderBy(desc("period"), col("region_kind")).collectAsList()) {
        Map<String, Object> s = new LinkedHashMap<>();
        String period = r.getAs("period");
        String kind = r.getAs("region_kind");
        List<Row> inKind = topByKind.getOrDefault(period + "|" + kind, List.of());
        long withText = inKind.stream().mapToLong(x -> x.getLong(6)).sum();
        s.put("period", period);
        s.put("region_kind", kind);
        s.put("regions", r.<Long>getAs("regions"));
        s.put("regions_with_share", r.<Long>getAs("regions_with_share"));
        s.put("projects", r.<Long>getAs("projects"));
        s.put("projects_with_text", withText);
        s.put("ici_projects", r.<Long>getAs("ici_projects"));
        s.put("pooled_share", r.getAs("pooled_share"));
        s.put("mean_regional_share", r.getAs("mean_regional_share"));
        s.put("pooled_expected_share", r.getAs("pooled_expected_share"));
        s.put("pooled_expected_share_low", r.getAs("pooled_expected_share_low"));
        s.put("pooled_expected_share_high", r.getAs("pooled_expected_share_high"));
        List<Map<String, Object>> top = new ArrayList<>();
        for (Row region : inKind.stream().filter(x -> !x.isNullAt(5) && x.getLong(3) > 0).limit(3).toList()) {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("region", region.getString(2));
          t.put("ici_projects", region.getLong(3));
          t.put("projects", region.getLong(4));
          t.put("share", region.getDouble(5));
          top.add(t);
        }
        s.put("top_regions", top);
        shares.add(s);
      }
    }
    long read = 0;
    long quarantined = 0;
    Map<String, Long> byTable = new LinkedHashMap<>();
    String ingestRun = null;
    if (tables.exists(Tables.INGEST_AUDIT)) {
      Dataset<Row> audit = tables.read(Tables.INGEST_AUDIT);
      // this run's ingestion; for 'analyse', the latest ingestion that succeeded (run_manifest), else the latest in the audit
      ingestRun = audit.filter(col("run_id").equalTo(runId)).limit(1).isEmpty() ? latestIngestion(tables, audit) : runId;
      audit = audit.filter(col("run_id").equalTo(ingestRun));
      for (Row r : audit.groupBy("table").agg(sum("rows_read"), sum("rows_quarantined")).orderBy("table").collectAsList()) {
        read += r.getLong(1);
        quarantined += r.getLong(2);
        if (r.getLong(2) > 0) {
          byTable.put(r.getString(0), r.getLong(2));
        }
      }
    }
    return new RunSummary(runId, output, shares, ingestRun, read, quarantined, byTable, analysed, reportWritten);
  }

  private static String latestIngestion(OutputTables tables, Dataset<Row> audit) {
    Dataset<Row> ingested = audit.select("run_id").distinct();
    if (tables.exists(Tables.RUN_MANIFEST)) {
      List<Row> latest = tables.read(Tables.RUN_MANIFEST).filter(col("outcome").equalTo("succeeded"))
          .join(ingested, "run_id").orderBy(desc("started_at")).select("run_id").limit(1).collectAsList();
      if (!latest.isEmpty()) {
        return latest.get(0).getString(0);
      }
    }
    List<Row> any = ingested.orderBy(desc("run_id")).limit(1).collectAsList();
    return any.isEmpty() ? null : any.get(0).getString(0);
  }

  void print(PrintWriter out, java.nio.file.Path json) {
    String dir = InputSniffer.display(output);
    out.println();
    out.println("ICI Atlas run " + runId + ": done");
    for (Map<String, Object> s : shares) {
      long projects = (Long) s.get("projects");
      long withText = (Long) s.get("projects_with_text");
      out.printf(Locale.ROOT, "  %s %-14s %s%n", s.get("period"), s.get("region_kind"), shareLine(s, projects, withText));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> top = (List<Map<String, Object>>) s.get("top_regions");
      if (!top.isEmpty()) {
        List<String> named = new ArrayList<>();
        for (Map<String, Object> t : top) {
          named.add(String.format(Locale.ROOT, "%s %.1f %% (%d of %d)", t.get("region"), 100 * (Double) t.get("share"),
              t.get("ici_projects"), t.get("projects")));
        }
        out.println("                           highest: " + String.join("; ", named));
      }
    }
    out.printf(Locale.ROOT, "  input rows%s: %,d read, %,d quarantined%s%n",
        ingestRunId == null || ingestRunId.equals(runId) ? "" : " (ingestion " + ingestRunId + ")", rowsRead, rowsQuarantined,
        quarantinedByTable.isEmpty() ? "" : " " + quarantinedByTable + " (reason and raw record: " + dir + "/bi/quarantine_*.csv)");
    out.println("  report:          " + (!analysed ? "none yet: run 'analyse' on this --output"
        : reportWritten ? dir + "/report/index.html" : "not written (--no-report)"));
    out.println("  BI tables:       " + dir + "/bi/  (data dictionary: " + dir + "/bi/README.md)");
    out.println("  Delta tables:    " + dir + "/delta/");
    out.flush();
    if (json != null) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("run_id", runId);
      doc.put("output", dir);
      doc.put("shares", shares);
      doc.put("ingestion_run_id", ingestRunId);
      doc.put("rows_read", rowsRead);
      doc.put("rows_quarantined", rowsQuarantined);
      doc.put("quarantined_by_table", quarantinedByTable);
      doc.put("report", reportWritten ? dir + "/report/index.html" : null);
      doc.put("bi", dir + "/bi");
      doc.put("data_dictionary", dir + "/bi/README.md");
      try {
        java.nio.file.Files.createDirectories(json.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
      } catch (IOException e) {
        throw new IllegalStateException("--summary-json " + json + ": cannot write: " + e.getMessage(), e);
      }
    }
  }

  private static String shareLine(Map<String, Object> s, long projects, long withText) {
    Object pooled = s.get("pooled_share");
    String counts = String.format(Locale.ROOT, "%,d ICI projects of %,d in %d regions", s.get("ici_projects"), projects, s.get("regions"));
    if (pooled == null) {
      return counts + ": no share, " + (withText == 0 ? "none" : String.format(Locale.ROOT, "only %,d", withText))
          + " of these projects has a description or expected results in the input";
    }
    long regions = (Long) s.get("regions");
    long measured = (Long) s.get("regions_with_share");
    String line = counts + String.format(Locale.ROOT, ": pooled share %.1f %%, mean of regional shares %.1f %%",
        100 * (Double) pooled, 100 * (Double) s.get("mean_regional_share"));
    Object expected = s.get("pooled_expected_share");
    if (expected != null) {
      line += String.format(Locale.ROOT, "; pooled expected share given the rules' measured error %.1f %% (95 %% interval %.1f-%.1f)",
          100 * (Double) expected, 100 * (Double) s.get("pooled_expected_share_low"), 100 * (Double) s.get("pooled_expected_share_high"));
    }
    if (measured < regions) {
      line += String.format(Locale.ROOT, " (all over the %d of %d regions with enough text for a share)", measured, regions);
    } else if (withText < projects) {
      line += String.format(Locale.ROOT, " (%,d of the projects have text)", withText);
    }
    return line;
  }
}
