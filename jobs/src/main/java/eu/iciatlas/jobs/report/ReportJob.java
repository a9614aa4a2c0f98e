package eu.iciatlas.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static eu.iciatlas.jobs.report.Html.dec;
import static eu.iciatlas.jobs.report.Html.num;
import static eu.iciatlas.jobs.report.Html.pct;
import static eu.iciatlas.jobs.report.Html.pctInterval;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.output.TableWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * ReportJob: DIR/report/index.html, one self-contained page with the paper's figures and tables
 * recomputed from the gold tables of an output folder: the map (Figure 1), ICI share per region
 * (Figure 2), specialization shares (Figure 3), Table 1, Table 2, the urbanization scatter with its
 * fitted line and coefficients, the top regional links, the linkage networks ({@link NetworkSection}),
 * input completeness and attribution.
 * Reads only small gold tables (hundreds of rows), so collecting them to the driver is fine.
 */
public final class ReportJob {
  public record Config(String output, String period) {}

  public static final List<String> REQUIRED = List.of(Tables.GOLD_ICI_SHARE, Tables.GOLD_ICI_SHARE_SUMMARY,
      Tables.GOLD_SPECIALIZATION_SHARE, Tables.GOLD_COUNTRY_SPECIALIZATION, Tables.GOLD_CLUSTER_COMPARISON,
      Tables.GOLD_CORRELATIONS, Tables.GOLD_CORRELATION_POINTS, Tables.GOLD_REGION_LINKS, Tables.GOLD_REGION_FOOTPRINT);

  private final Config config;
  private final SparkSession spark;
  private final Progress progress;
  private final TableWriter tables;

  public ReportJob(Config config, SparkSession spark, Progress progress) {
    this.config = config;
    this.spark = spark;
    this.progress = progress;
    this.tables = new TableWriter(spark, config.output(), progress);
  }

  public Path run() {
    Instant start = Instant.now();
    tables.require("analyse", REQUIRED.toArray(new String[0]));
    String period = config.period() != null ? config.period() : defaultPeriod();
    List<Row> shares = rows(Tables.GOLD_ICI_SHARE, period, "region_kind", "share DESC", "region_name");
    if (config.period() != null && shares.isEmpty()) {
      throw new InputException("--period " + period + ": gold_ici_share of " + config.output() + " has no rows for it");
    }
    StringBuilder html = new StringBuilder(1 << 20);
    head(html, period);
    summary(html);
    map(html, period, shares);
    figure2(html, shares);
    estimatedWithoutText(html, period, shares);
    figure3(html, period);
    table1(html, period);
    table2(html, period);
    urbanization(html, period);
    links(html, period);
    if (tables.exists(Tables.GOLD_NETWORK_SUMMARY) && tables.exists(Tables.GOLD_NETWORK_ORGANISATIONS)) {
      new NetworkSection(tables).render(html, period);
    } else {
      html.append("<h2>Linkage networks</h2>\n<p>This output has no linkage network tables (analysed with "
          + PipelineSettings.NETWORKS_ENABLED + "=false).</p>\n");
    }
    completeness(html, period, shares);
    attribution(html);
    html.append("<script>\n")
        .append("document.body.dataset.figure2Bars = document.querySelectorAll('#figure2 g[jfreesvg\\\\:ref*=columnKey]').length;\n")
        .append("document.body.dataset.figure3Bars = document.querySelectorAll('#figure3 g[jfreesvg\\\\:ref*=columnKey]').length;\n")
        .append("document.body.dataset.mapRegions = document.querySelectorAll('#figure1-map path.nuts2').length;\n")
        .append("document.body.dataset.outlines = document.querySelectorAll('#figure1-map path.region-outline').length;\n")
        .append("document.body.dataset.networkPictures = document.querySelectorAll('#network-pictures svg').length;\n")
        .append("document.body.dataset.rendered = 'yes';\n</script>\n</body>\n</html>\n");
    Path target = new Path(new Path(config.output(), "report"), "index.html");
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(target, true)) {
        out.write(html.toString().getBytes(StandardCharsets.UTF_8));
      }
      eu.iciatlas.common.output.BiCopies.removeHadoopLitter(fs, target.getParent());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + target + ": " + e.getMessage(), e);
    }
    progress.stage("report", eu.iciatlas.common.io.InputSniffer.display(target.toString()) + " (" + html.length() / 1024 + " KiB, period " + period + ")", start);
    return target;
  }

  /** The latest period with ICI projects, else the latest period. */
  private String defaultPeriod() {
    List<Row> r = tables.read(Tables.GOLD_ICI_SHARE).groupBy("period").agg(org.apache.spark.sql.functions.sum("ici_projects").as("n"))
        .orderBy(col("n").gt(0).desc(), col("period").desc()).limit(1).collectAsList();
    if (r.isEmpty()) {
      throw new InputException("--output " + config.output() + ": gold_ici_share is empty; nothing to report");
    }
    return r.get(0).getString(0);
  }

  private List<Row> rows(String table, String period, String... order) {
    Dataset<Row> d = tables.read(table);
    if (period != null) {
      d = d.filter(col("period").equalTo(period));
    }
    return d.orderBy(java.util.Arrays.stream(order).map(org.apache.spark.sql.functions::expr).toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList();
  }

  private void head(StringBuilder h, String period) {
    Row run = tables.exists(Tables.RUN_MANIFEST) ? tables.read(Tables.RUN_MANIFEST).filter(col("outcome").equalTo("succeeded"))
        .orderBy(col("ended_at").desc()).limit(1).collectAsList().stream().findFirst().orElse(null) : null;
    h.append("<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n")
        .append("<meta name='viewport' content='width=device-width, initial-scale=1'>\n")
        .append("<title>ICI Atlas report ").append(Html.escape(period)).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n")
        .append("h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}\n")
        .append("table{border-collapse:collapse;margin:.8em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left}\n")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f6f9}\n")
        .append(".note{color:#555;font-size:.9em}.legend span{display:inline-block;width:14px;height:14px;vertical-align:middle;margin:0 4px 0 12px;border:1px solid #999}\n")
        .append("figure{margin:1em 0}figcaption{font-size:.9em;color:#444}\n</style>\n</head>\n<body>\n");
    h.append("<h1>International cluster initiatives in cross-border cooperation</h1>\n<p class='note'>ICI Atlas report for the programme period <b>")
        .append(Html.escape(period)).append("</b>, recomputed from the tables of this output folder after the method of Mikhaylov &amp; Mikhaylova (2015).");
    if (run != null) {
      h.append(" Run <code>").append(Html.escape(run.getAs("run_id"))).append("</code> ended ")
          .append(Html.escape(utc(run.getAs("ended_at")))).append(", code ").append(Html.escape(run.getAs("code_version")))
          .append(", configuration sha256 ").append(Html.escape(((String) run.getAs("configuration_sha256")).substring(0, 12))).append('.');
    }
    h.append("</p>\n");
  }

  /** A region kind in words ("cross-border", "transnational"). */
  static String regionKind(String code) {
    return code == null ? null : code.replace('_', '-');
  }

  /** A time of the manifest as readers anywhere read it: to the second, in UTC, saying so. */
  static String utc(java.sql.Timestamp time) {
    return time == null ? "" : java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
        .withZone(java.time.ZoneOffset.UTC).format(time.toInstant());
  }

  private void summary(StringBuilder h) {
    h.append("<h2>Summary</h2>\n<table><tr><th>period</th><th>region kind</th><th>regions</th><th>with ICIs</th>"
        + "<th>mean of regional shares</th><th>pooled share</th><th>pooled expected share (95 % interval)</th>"
        + "<th>ICI projects / projects</th></tr>\n");
    for (Row r : rows(Tables.GOLD_ICI_SHARE_SUMMARY, null, "period", "region_kind")) {
      h.append("<tr><td>").append(Html.escape(r.getAs("period"))).append("</td><td>").append(Html.escape(regionKind(r.getAs("region_kind"))))
          .append("</td>").append(num(r.getAs("regions"))).append(num(r.getAs("regions_with_ici")))
          .append(pct(r.getAs("mean_regional_share"))).append(pct(r.getAs("pooled_share")))
          .append(pctInterval(optional(r, "pooled_expected_share"), optional(r, "pooled_expected_share_low"),
              optional(r, "pooled_expected_share_high")))
          .append("<td class='n'>").append(r.getAs("ici_projects").toString()).append(" / ").append(r.getAs("projects").toString())
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private void map(StringBuilder h, String period, List<Row> shares) {
    Map<String, Long> iciByNuts2 = new TreeMap<>();
    for (Row r : tables.read(Tables.GOLD_CORRELATION_POINTS).filter(col("period").equalTo(period).and(col("level").equalTo("nuts2")))
        .select("unit_id", "ici_projects").collectAsList()) {
      iciByNuts2.put(r.getString(0), ((Number) r.get(1)).longValue());
    }
    Map<String, String> names = new LinkedHashMap<>();
    for (Row r : shares) {
      if ("cross_border".equals(r.getAs("region_kind"))) {
        names.put(r.getAs("region_id"), r.getAs("region_name"));
      }
    }
    Map<String, TreeSet<String>> codes = new LinkedHashMap<>();
    TreeSet<String> approximate = new TreeSet<>();
    for (Row r : tables.read(Tables.GOLD_REGION_FOOTPRINT).filter(col("period").equalTo(period)).orderBy("region_id", "nuts_code")
        .collectAsList()) {
      if (names.containsKey(r.<String>getAs("region_id"))) {
        codes.computeIfAbsent(r.getAs("region_id"), k -> new TreeSet<>()).add(r.getAs("nuts_code"));
        if ("definition_approximate".equals(r.getAs("basis"))) {
          approximate.add(names.get(r.<String>getAs("region_id")));
        }
      }
    }
    List<NutsMap.Outline> outlines = new ArrayList<>();
    for (Map.Entry<String, String> e : names.entrySet()) {
      if (codes.containsKey(e.getKey())) {
        outlines.add(new NutsMap.Outline(e.getKey(), e.getValue(), codes.get(e.getKey())));
      }
    }
    int version = nutsVersion(period);
    NutsMap map = new NutsMap(version, counterparts(version, NutsMap.geometryVersion(version)));
    String svg = map.svg(iciByNuts2, outlines, 1000);
    h.append("<h2>Figure 1. ICI activity by NUTS 2 region (NUTS ").append(version).append(")</h2>\n<figure data-nuts-version='")
        .append(version).append("' data-geometry-version='").append(map.geometryVersion()).append("'>").append(svg).append("<figcaption class='legend'>ICI projects with a partner in the region:");
    for (int i = 0; i < NutsMap.CLASS_COLOURS.length; i++) {
      h.append("<span style='background:").append(NutsMap.CLASS_COLOURS[i]).append("'></span>").append(NutsMap.CLASS_LABELS[i]);
    }
    h.append("<span style='background:#d9d9d9'></span>no project of the regions<br>Outlined: the cross-border regions");
    for (int i = 0; i < outlines.size(); i++) {
      h.append("<span style='border:2px solid ").append(NutsMap.outlineColour(i)).append(";background:none'></span>")
          .append(Html.escape(outlines.get(i).name()));
    }
    h.append(".<br>Outlines: the definition's footprint where it has one, else the NUTS 2 regions holding at least 5 % of the region's "
        + "participations. Counts cover the projects of the definition's regions (gold_correlation_points).");
    if (!approximate.isEmpty()) {
      h.append("<br>").append(Html.escape("Approximate outlines (the definition's footprint, in Keep.eu's NUTS codes, does not fall on "
          + "NUTS " + version + " borders; gold_region_footprint, basis definition_approximate): " + String.join(", ", approximate)));
    }
    for (String note : map.notes) {
      h.append("<br>").append(Html.escape(note));
    }
    h.append("</figcaption></figure>\n");
  }

  /** A column's value, null for an output written before the column existed (e.g. the expected shares). */
  private static Object optional(Row r, String column) {
    return java.util.Arrays.asList(r.schema().fieldNames()).contains(column) ? r.getAs(column) : null;
  }

  /** The NUTS version of the period's region tables (2013 for outputs written before the column existed). */
  private int nutsVersion(String period) {
    Dataset<Row> points = tables.read(Tables.GOLD_CORRELATION_POINTS);
    if (!java.util.Arrays.asList(points.columns()).contains("nuts_version")) {
      return 2013;
    }
    Row r = points.filter(col("period").equalTo(period)).select(org.apache.spark.sql.functions.max("nuts_version")).first();
    return r.isNullAt(0) ? 2013 : ((Number) r.get(0)).intValue();
  }

  /** Codes of the data version -> their codes in the geometry version (JRC matrices, NUTS 2 and 3, either direction). */
  private Map<String, List<String>> counterparts(int dataVersion, int geometryVersion) {
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

  private void figure2(StringBuilder h, List<Row> shares) {
    List<Charts.Bar> bars = new ArrayList<>();
    h.append("<h2>Figure 2. Share of ICIs among the projects of each cross-border region</h2>\n");
    for (Row r : shares) {
      if ("cross_border".equals(r.getAs("region_kind")) && r.getAs("share") != null) {
        bars.add(new Charts.Bar(r.getAs("region_name"), ((Number) r.getAs("share")).doubleValue()));
      }
    }
    h.append("<figure id='figure2'>").append(Charts.percentBars("figure2-chart", "ICI share of projects (%)", bars, 900))
        .append("</figure>\n");
    // the count share and, beside it, what to expect given the rules' measured error (gold_ici_share.expected_share_basis)
    shares.stream().filter(r -> optional(r, "expected_share") != null).findFirst().ifPresentOrElse(
        r -> h.append("<p class='note'>Expected share (95 % interval): the ").append(Html.escape(r.getAs("expected_share_basis")))
            .append(". It assumes the rules are as often right in every region as over the whole export, so it pulls each"
                + " region towards the export's mean; the rates' own error is shared by all regions, so overlapping intervals"
                + " do not show that two regions are alike.</p>\n"),
        () -> shares.stream().filter(r -> r.getAs("share") != null && optional(r, "expected_share_basis") != null).findFirst()
            .ifPresent(r -> h.append("<p class='note'>").append(Html.escape(r.getAs("expected_share_basis"))).append(".</p>\n")));
    h.append("<table><tr><th>region</th><th>kind</th><th>projects</th><th>ICI projects</th><th>share</th>"
            + "<th>expected share (95 % interval)</th><th>with text</th><th>note</th></tr>\n");
    for (Row r : shares) {
      h.append("<tr><td>").append(Html.escape(r.getAs("region_name"))).append("</td><td>").append(Html.escape(regionKind(r.getAs("region_kind"))))
          .append("</td>").append(num(r.getAs("projects"))).append(num(r.getAs("ici_projects"))).append(pct(r.getAs("share")))
          .append(pctInterval(optional(r, "expected_share"), optional(r, "expected_share_low"), optional(r, "expected_share_high")))
          .append(pct(r.getAs("text_completeness"))).append("<td>").append(Html.escape(r.getAs("share") == null
              ? "no share: " + r.getAs("share_null_reason") : r.getAs("completeness_note"))).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  /**
   * gold_ici_share_estimated of the period: the share the text-free model calls ICI, corrected by its measured error, with the
   * method's check (where text exists: does the interval hold the expected share?) and the paper's hand-read shares where
   * the paper gives one (context, not a target).
   */
  private void estimatedWithoutText(StringBuilder h, String period, List<Row> shares) {
    if (!tables.exists(Tables.GOLD_ICI_SHARE_ESTIMATED)
        || !java.util.Arrays.asList(tables.read(Tables.GOLD_ICI_SHARE_ESTIMATED).columns()).contains("interval_holds_expected_share")) {
      return; // an output of an earlier version: analyse it again to get the estimates and their check
    }
    List<Row> rows = rows(Tables.GOLD_ICI_SHARE_ESTIMATED, period, "region_kind", "region_name");
    if (rows.isEmpty()) {
      return;
    }
    List<Row> checks = tables.read(Tables.GOLD_ICI_SHARE_ESTIMATED).filter(col("interval_holds_expected_share").isNotNull())
        .select("interval_holds_expected_share").collectAsList();
    long held = checks.stream().filter(r -> r.getBoolean(0)).count();
    Map<String, Object> expected = new TreeMap<>();
    shares.forEach(r -> expected.put(r.getAs("region_id"), optional(r, "expected_share")));
    Map<String, String[]> paper = paperShares(period);
    Row rated = rows.stream().filter(r -> r.getAs("sensitivity") != null).findFirst().orElse(null);
    h.append("<h3 id='estimated'>Estimated without project text</h3>\n<p class='note'>");
    if (rated == null) {
      h.append("No estimate: ").append(Html.escape(rows.get(0).getAs("estimate_null_reason"))).append(".</p>\n");
      return;
    }
    h.append(String.format(java.util.Locale.ROOT, "For periods whose exports have no project text, a text-free model (acronym,"
            + " lead partner's name, strand) calls projects ICI; its measured sensitivity (%.1f %%) and specificity (%.1f %%)"
            + " correct that share (Rogan-Gladen, 95 %% bootstrap interval). <b>The check</b>: where projects have text, the"
            + " interval should hold the expected share of Figure 2 and be at most %.0f points wide; it does in %d of %d regions.",
            100 * rated.<Double>getAs("sensitivity"), 100 * rated.<Double>getAs("specificity"),
            100 * eu.iciatlas.common.analysis.EstimatedShares.MAX_CHECK_WIDTH, held, checks.size()))
        .append(rows.stream().anyMatch(r -> String.valueOf((Object) r.getAs("estimate_null_reason")).startsWith("no estimate: the method"))
            ? " So the regions without text get no estimate (the note says why); the rows with text show the check."
            : "")
        .append(" The paper's shares were read by hand (Mikhaylov &amp; Mikhaylova 2015): context, not a target.</p>\n");
    h.append("<table id='estimated-table'><tr><th>region</th><th>kind</th><th>projects</th><th>with text</th>"
        + "<th>called ICI without text</th><th>share called ICI (uncorrected)</th><th>estimated share (95 % interval)</th>"
        + "<th>expected share from text</th><th>interval holds it</th><th>the paper</th><th>note</th></tr>\n");
    for (Row r : rows) {
      String[] p = paper.get((String) r.getAs("region_id"));
      Object holds = r.getAs("interval_holds_expected_share");
      h.append("<tr><td>").append(Html.escape(r.getAs("region_name"))).append("</td><td>").append(Html.escape(regionKind(r.getAs("region_kind"))))
          .append("</td>").append(num(r.getAs("projects"))).append(num(r.getAs("projects_with_text"))).append(num(r.getAs("predicted_icis")))
          .append(pct(r.getAs("apparent_share")))
          .append(r.getAs("estimated_share_low") == null ? pct(r.getAs("estimated_share"))
              : pctInterval(r.getAs("estimated_share"), r.getAs("estimated_share_low"), r.getAs("estimated_share_high")))
          .append(pct(expected.get((String) r.getAs("region_id")))).append("<td>").append(holds == null ? "" : (Boolean) holds ? "yes" : "no")
          .append("</td>").append(p == null ? "<td></td>" : pct(Double.valueOf(p[0]))).append("<td>")
          .append(Html.escape(r.getAs("estimate_null_reason") != null ? ((String) r.getAs("estimate_null_reason"))
                  .startsWith("no estimate: the method") ? "no estimate: the check above failed"
                  : (String) r.getAs("estimate_null_reason")
              : p == null || p[1].isEmpty() ? "" : "the paper counted " + p[1] + " projects")).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  /** region_id -> {share, projects} of the paper for the period (packaged ici-atlas-reference/paper_ici_shares.csv). */
  static Map<String, String[]> paperShares(String period) {
    Map<String, String[]> out = new TreeMap<>();
    try (java.io.InputStream in = ReportJob.class.getResourceAsStream("/ici-atlas-reference/paper_ici_shares.csv")) {
      if (in == null) {
        return out;
      }
      for (Map<String, String> r : eu.iciatlas.common.config.ConfFiles.semicolonCsv(
          new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8), "paper_ici_shares.csv")) {
        if (period.equals(r.get("period"))) {
          out.put(r.get("region_id"), new String[] {r.get("paper_share"), r.get("paper_projects") == null ? "" : r.get("paper_projects")});
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the packaged paper_ici_shares.csv: " + e.getMessage(), e);
    }
    return out;
  }

  private void figure3(StringBuilder h, String period) {
    List<Charts.Bar> bars = new ArrayList<>();
    List<Row> rows = rows(Tables.GOLD_SPECIALIZATION_SHARE, period, "share_of_regions DESC", "specialization");
    for (Row r : rows) {
      if ("cross_border".equals(r.getAs("region_kind"))) {
        bars.add(new Charts.Bar(IciClassifier.specializationLabel(r.getAs("specialization")),
            ((Number) r.getAs("share_of_regions")).doubleValue()));
      }
    }
    h.append("<h2>Figure 3. Share of cross-border regions with ICIs of each specialization</h2>\n<figure id='figure3'>")
        .append(Charts.percentBars("figure3-chart", "regions with ICIs of the specialization (% of cross-border regions)", bars, 900))
        .append("</figure>\n");
  }

  private void table1(StringBuilder h, String period) {
    List<Row> rows = rows(Tables.GOLD_COUNTRY_SPECIALIZATION, period, "country_code", "specialization");
    // columns in the order of their labels, as the reader sees them
    TreeSet<String> specs = new TreeSet<>(java.util.Comparator.comparing(IciClassifier::specializationLabel));
    Map<String, Map<String, Long>> cells = new TreeMap<>();
    Map<String, Long> perCountry = new TreeMap<>();
    for (Row r : rows) {
      if (!"cross_border".equals(r.getAs("region_kind"))) {
        continue;
      }
      specs.add(r.getAs("specialization"));
      cells.computeIfAbsent(r.getAs("country_code"), k -> new TreeMap<>()).put(r.getAs("specialization"), ((Number) r.getAs("regions")).longValue());
      perCountry.put(r.getAs("country_code"), ((Number) r.getAs("country_specializations")).longValue());
    }
    h.append("<h2>Table 1. Cross-border regions with ICIs, by country and specialization</h2>\n<p class='note'>Cell: regions in which "
        + "the country takes part that have ICIs of the specialization. Last column: the country's number of specializations.</p>\n<table><tr><th>country</th>");
    for (String s : specs) {
      h.append("<th>").append(Html.escape(IciClassifier.specializationLabel(s))).append("</th>");
    }
    h.append("<th>specializations</th></tr>\n");
    for (Map.Entry<String, Map<String, Long>> e : cells.entrySet()) {
      h.append("<tr><td>").append(Html.escape(e.getKey())).append("</td>");
      for (String s : specs) {
        Long v = e.getValue().get(s);
        h.append("<td class='n'>").append(v == null || v == 0 ? "" : v.toString()).append("</td>");
      }
      h.append(num(perCountry.get(e.getKey()))).append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private void table2(StringBuilder h, String period) {
    h.append("<h2>Table 2. ICIs and established international clusters</h2>\n<table><tr><th>region</th><th>specialization</th>"
        + "<th>ICI projects</th><th>established clusters</th><th>overlap</th></tr>\n");
    for (Row r : rows(Tables.GOLD_CLUSTER_COMPARISON, period, "region_name", "specialization")) {
      if (!"cross_border".equals(r.getAs("region_kind"))) {
        continue;
      }
      List<String> clusters = r.getList(r.fieldIndex("established_clusters"));
      h.append("<tr><td>").append(Html.escape(r.getAs("region_name"))).append("</td><td>")
          .append(Html.escape(IciClassifier.specializationLabel(r.getAs("specialization"))))
          .append("</td>").append(num(r.getAs("ici_projects"))).append("<td>").append(Html.escape(clusters == null ? "" : String.join("; ", clusters)))
          .append("</td><td>").append(Html.escape(r.getAs("overlap"))).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private void urbanization(StringBuilder h, String period) {
    String indicator = "urban_population_share";
    h.append("<h2>Urbanization and ICI activity</h2>\n");
    if (!java.util.Arrays.asList(tables.read(Tables.GOLD_CORRELATION_POINTS).columns()).contains(indicator)) {
      h.append("<p>No urbanization indicator in the Eurostat inputs of this run.</p>\n");
      return;
    }
    List<Row> points = tables.read(Tables.GOLD_CORRELATION_POINTS).filter(col("period").equalTo(period)
        .and(col("level").equalTo("nuts2")).and(col(indicator).isNotNull())).select(indicator, "ici_projects", "unit_id")
        .orderBy("unit_id").collectAsList();
    double[] xs = new double[points.size()];
    double[] ys = new double[points.size()];
    SimpleRegression fit = new SimpleRegression();
    for (int i = 0; i < points.size(); i++) {
      xs[i] = points.get(i).getDouble(0);
      ys[i] = ((Number) points.get(i).get(1)).doubleValue();
      fit.addData(xs[i], ys[i]);
    }
    h.append("<figure id='urbanization'>").append(Charts.scatterWithFit("urbanization-chart",
        "population in predominantly urban NUTS 3 regions (%)", "ICI projects with a partner in the region", xs, ys,
        fit.getSlope(), fit.getIntercept(), 900)).append(String.format(Locale.ROOT,
        "<figcaption>%d NUTS 2 regions with projects of the definition's regions; least-squares line: ICI projects = %.3f + %.4f × urban share (R² %.3f).</figcaption></figure>\n",
        points.size(), fit.getIntercept(), fit.getSlope(), fit.getRSquare()));
    h.append("<table><tr><th>level</th><th>measure</th><th>n</th><th>Pearson r</th><th>p</th><th>95 % bootstrap</th>"
        + "<th>Spearman ρ</th><th>p</th><th>Kendall τ-b</th><th>p</th></tr>\n");
    for (Row r : tables.read(Tables.GOLD_CORRELATIONS).filter(col("period").equalTo(period).and(col("indicator").equalTo(indicator)))
        .orderBy("level", "measure").collectAsList()) {
      h.append("<tr><td>").append(Html.escape(r.getAs("level"))).append("</td><td>").append(Html.escape(r.getAs("measure")))
          .append("</td>").append(num(r.getAs("n"))).append(dec(r.getAs("pearson_r"))).append(dec(r.getAs("pearson_p")))
          .append("<td class='n'>").append(r.getAs("pearson_r_bootstrap_low") == null ? "" : String.format(Locale.ROOT, "%.3f to %.3f",
              (Double) r.getAs("pearson_r_bootstrap_low"), (Double) r.getAs("pearson_r_bootstrap_high")))
          .append("</td>").append(dec(r.getAs("spearman_rho"))).append(dec(r.getAs("spearman_p"))).append(dec(r.getAs("kendall_tau")))
          .append(dec(r.getAs("kendall_p"))).append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private void links(StringBuilder h, String period) {
    Map<String, String> names = new TreeMap<>();
    if (tables.exists(Tables.SILVER_NUTS_REGIONS)) {
      for (Row r : tables.read(Tables.SILVER_NUTS_REGIONS).filter(col("level").equalTo(2)).orderBy("nuts_version")
          .select("nuts_id", "name").collectAsList()) {
        names.put(r.getString(0), r.getString(1));
      }
    }
    h.append("<h2>Top regional links</h2>\n<p class='note'>Pairs of NUTS 2 regions whose partners share the most ICI projects "
        + "(then projects) in the period.</p>\n<table><tr><th>region</th><th>region</th><th>shared ICI projects</th><th>shared projects</th></tr>\n");
    for (Row r : tables.read(Tables.GOLD_REGION_LINKS).filter(col("period").equalTo(period))
        .orderBy(col("shared_ici_projects").desc(), col("shared_projects").desc(), col("nuts2_a"), col("nuts2_b")).limit(15).collectAsList()) {
      h.append("<tr><td>").append(Html.escape(r.getAs("nuts2_a") + " " + names.getOrDefault(r.<String>getAs("nuts2_a"), "")))
          .append("</td><td>").append(Html.escape(r.getAs("nuts2_b") + " " + names.getOrDefault(r.<String>getAs("nuts2_b"), "")))
          .append("</td>").append(num(r.getAs("shared_ici_projects"))).append(num(r.getAs("shared_projects"))).append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private void completeness(StringBuilder h, String period, List<Row> shares) {
    h.append("<h2>Input completeness</h2>\n<ul>\n");
    long projects = 0;
    long withText = 0;
    for (Row r : shares) {
      projects += ((Number) r.getAs("projects")).longValue();
      withText += ((Number) r.getAs("projects_with_text")).longValue();
      String note = r.getAs("share") == null ? "no share: " + r.getAs("share_null_reason") : r.getAs("completeness_note");
      if (note != null && !note.isEmpty()) {
        h.append("<li>").append(Html.escape(r.getAs("region_name"))).append(": ").append(Html.escape(note)).append("</li>\n");
      }
    }
    h.append(String.format(Locale.ROOT, "<li>%d of %d projects of the regions in %s have a description or expected results; the others "
        + "were classified from title, themes and partners.</li>\n", withText, projects, Html.escape(period)));
    if (tables.exists(Tables.DUMP_PROVENANCE)) {
      for (Row r : tables.read(Tables.DUMP_PROVENANCE).orderBy("period", "kind", "source_file").collectAsList()) {
        h.append("<li>").append(Html.escape(r.getAs("period"))).append(' ').append(Html.escape(r.getAs("kind"))).append(" from <code>")
            .append(Html.escape(new Path(r.<String>getAs("source_file")).getName())).append("</code> (")
            .append(String.format(Locale.ROOT, "%,d rows, %,d bytes, sha256 %s…, exported %s", r.<Long>getAs("rows"), r.<Long>getAs("bytes"),
                r.<String>getAs("sha256").substring(0, 12), r.getAs("export_date") == null ? "on an unknown date" : r.getAs("export_date").toString()))
            .append(")</li>\n");
      }
    }
    if (tables.exists(Tables.INGEST_AUDIT)) {
      Row last = tables.read(Tables.INGEST_AUDIT).orderBy(col("run_id").desc()).limit(1).collectAsList().stream().findFirst().orElse(null);
      if (last != null) {
        Row totals = tables.read(Tables.INGEST_AUDIT).filter(col("run_id").equalTo(last.<String>getAs("run_id")))
            .agg(org.apache.spark.sql.functions.sum("rows_read"), org.apache.spark.sql.functions.sum("rows_accepted"),
                org.apache.spark.sql.functions.sum("rows_quarantined"), org.apache.spark.sql.functions.count(lit(1)),
                org.apache.spark.sql.functions.count_if(col("balanced").equalTo(false))).first();
        long unbalanced = totals.getLong(4);
        String balance = unbalanced == 0 ? "every one of its " + totals.getLong(3) + " files balanced"
            : unbalanced + " of its " + totals.getLong(3) + " files NOT balanced (see ingest_audit)";
        h.append(String.format(Locale.ROOT, "<li>Ingestion run %s: %,d input rows read, %,d accepted, %,d quarantined with a reason "
            + "(quarantine_* tables); %s.</li>\n", Html.escape(last.getAs("run_id")), totals.getLong(0), totals.getLong(1), totals.getLong(2),
            balance));
      }
    }
    h.append("</ul>\n");
  }

  private void attribution(StringBuilder h) {
    h.append("<h2>Sources and attribution</h2>\n<ul class='note'>\n")
        .append("<li>Projects and partners: keep.eu, the database of Interreg projects, © Interact Programme / European Union; "
            + "exports as bundled in the repository's data/sample (see its README.md).</li>\n")
        .append("<li>Regional indicators: Eurostat, © European Union, reuse authorised (Commission Decision 2011/833/EU).</li>\n")
        .append("<li>Administrative boundaries: © EuroGeographics for the administrative boundaries; GISCO NUTS 2016 and 2021 1:20M.</li>\n")
        .append("<li>NUTS version conversion: JRC NUTS converter matrices, © European Union.</li>\n")
        .append("<li>Method: Mikhaylov, A. S., &amp; Mikhaylova, A. A. (2015). Geographies of cluster internationalization: "
            + "inter-organizational linkages on the Baltic. International Journal of Econometrics and Financial Management 3(1), 32-37, doi:10.12691/ijefm-3-1-6.</li>\n")
        .append("<li>Charts: JFreeChart and JFreeSVG; outlines: JTS. Generated by ICI Atlas.</li>\n</ul>\n");
  }
}
