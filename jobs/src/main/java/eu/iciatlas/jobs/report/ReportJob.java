package eu.iciatlas.jobs.report;

import static eu.iciatlas.jobs.report.Html.dec;
import static eu.iciatlas.jobs.report.Html.num;
import static eu.iciatlas.jobs.report.Html.pct;
import static eu.iciatlas.jobs.report.Html.pctInterval;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.output.OutputTables;
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
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
  private final OutputTables tables;
  private final ReportQueries queries;

  public ReportJob(Config config, SparkSession spark, Progress progress) {
    this.config = config;
    this.spark = spark;
    this.progress = progress;
    this.tables = new OutputTables(spark, config.output());
    this.queries = new ReportQueries(tables, config.output());
  }

  public Path run() {
    Instant start = Instant.now();
    tables.require("analyse", REQUIRED.toArray(new String[0]));
    String initial = config.period() != null ? config.period() : queries.defaultPeriod();
    Map<String, List<Row>> shares = queries.byPeriod(Tables.GOLD_ICI_SHARE, "region_kind", "share DESC", "region_name");
    if (!shares.containsKey(initial)) {
      throw new InputException("--period " + initial + ": gold_ici_share of " + config.output() + " has no rows for it; it has "
          + String.join(", ", shares.keySet()));
    }
    List<String> periods = new ArrayList<>(shares.keySet());
    java.util.Collections.reverse(periods); // the latest first
    StringBuilder html = new StringBuilder(1 << 22);
    head(html, initial);
    controls(html, periods, initial, shares);
    summary(html);
    map(html, periods, initial, shares);
    figure2(html, periods, initial, shares);
    figure3(html, periods, initial);
    table1(html, periods, initial);
    table2(html, periods, initial);
    Map<String, String> nuts2Names = queries.nutsNames(2); // read once for the scatter's tooltips and the links
    urbanization(html, periods, initial, shares, nuts2Names);
    links(html, periods, initial, nuts2Names);
    boolean networks = tables.exists(Tables.GOLD_NETWORK_SUMMARY) && tables.exists(Tables.GOLD_NETWORK_ORGANISATIONS);
    for (String period : periods) {
      open(html, period, initial);
      if (networks) {
        new NetworkSection(queries).render(html, period);
      } else {
        html.append("<h2>Linkage networks</h2>\n<p>This output has no linkage network tables (analysed with "
            + PipelineSettings.NETWORKS_ENABLED + "=false).</p>\n");
      }
      html.append("</div>\n");
    }
    completeness(html, periods, initial, shares);
    attribution(html);
    html.append("<script>\n").append(PAGE_SCRIPT).append("</script>\n</body>\n</html>\n");
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
    progress.stage("report", eu.iciatlas.common.io.InputSniffer.display(target.toString()) + " (" + html.length() / 1024
        + " KiB, periods " + String.join(", ", periods) + ", opens on " + initial + ")", start);
    return target;
  }

  /**
   * The page's behaviour: draws the four charts (Vega-Embed, SVG renderer, no actions, so nothing is fetched), and on
   * a change of the period or region selector sets both parameters of every chart, shows the tables of the period
   * and highlights (Figure 2's table) or keeps (Table 2) the rows of the region. The counters on body are for tests.
   */
  static final String PAGE_SCRIPT = """
      // the charts this page has (an output without an urbanization indicator has no scatter)
      const charts = ['figure1', 'figure2', 'figure3', 'urbanization'].filter(id => document.getElementById(id + '-spec'));
      const views = {};
      const period = document.getElementById('period'), region = document.getElementById('region');
      function count(id, selector) { return document.querySelectorAll('#' + id + '-chart ' + selector).length; }
      function apply() {
        const p = period.value, r = region.value;
        document.querySelectorAll('[data-period]').forEach(e => { e.hidden = e.dataset.period !== p; });
        document.querySelectorAll('tr[data-region]').forEach(tr => {
          tr.classList.toggle('chosen', r !== '' && tr.dataset.region === r);
          if (tr.closest('.table2')) { tr.hidden = r !== '' && tr.dataset.region !== r; }
        });
        const inPeriod = r === '' || document.querySelector(`div[data-period="${p}"] tr[data-region="${r}"]`) !== null;
        document.getElementById('region-note').textContent = inPeriod ? ''
          : region.selectedOptions[0].text + ' is not a cross-border region of ' + p + '.';
        return Promise.all(Object.values(views).map(v => v.signal('period', p).signal('region', r).runAsync())).then(() => {
          const b = document.body.dataset;
          b.figure1Regions = count('figure1', 'g.layer_0_marks path');
          b.figure1Outlines = count('figure1', 'g.layer_1_marks path');
          b.figure2Bars = count('figure2', 'g.mark-rect path');
          b.figure2Highlighted = count('figure2', 'g.mark-rect path[fill="HIGHLIGHT_COLOUR"]');
          b.figure3Bars = count('figure3', 'g.mark-rect path');
          b.urbanizationPoints = count('urbanization', 'g.mark-symbol path');
          b.state = p + '|' + r;
        });
      }
      Promise.all(charts.map(id => vegaEmbed('#' + id + '-chart', JSON.parse(document.getElementById(id + '-spec').textContent),
          {actions: false, renderer: 'svg', mode: 'vega-lite'}).then(result => { views[id] = result.view; })))
        .then(apply).then(() => {
          period.addEventListener('change', apply);
          region.addEventListener('change', apply);
          document.body.dataset.rendered = 'yes';
        })
        .catch(e => { console.error('report: ' + e); document.body.dataset.rendered = 'failed'; });
      """.replace("HIGHLIGHT_COLOUR", VegaSpecs.HIGHLIGHT);

  /** Opens the block of one period's content; only the initial period's is shown until the selector changes. */
  private static void open(StringBuilder h, String period, String initial) {
    h.append("<div data-period='").append(Html.escape(period)).append('\'').append(period.equals(initial) ? "" : " hidden").append(">\n");
  }

  /** A chart: its container and its Vega-Lite specification as JSON. */
  private static void chart(StringBuilder h, String id, com.fasterxml.jackson.databind.node.ObjectNode spec) {
    h.append("<div class='chart' id='").append(id).append("-chart'></div>\n<script type='application/json' id='").append(id)
        .append("-spec'>").append(VegaSpecs.scriptJson(spec)).append("</script>\n");
  }

  /** The period and region selectors, sticky at the top of the page. */
  private void controls(StringBuilder h, List<String> periods, String initial, Map<String, List<Row>> shares) {
    h.append("<div class='controls'><label>Programme period <select id='period'>");
    for (String p : periods) {
      h.append("<option value='").append(Html.escape(p)).append('\'').append(p.equals(initial) ? " selected" : "").append('>')
          .append(Html.escape(p)).append("</option>");
    }
    h.append("</select></label> <label>Cross-border region <select id='region'><option value=''>all</option>");
    // one option per region id, named as in its latest period (shares holds the periods in order)
    Map<String, String> names = new LinkedHashMap<>();
    shares.values().forEach(rows -> rows.stream().filter(r -> "cross_border".equals(r.getAs("region_kind")))
        .forEach(r -> names.put(r.getAs("region_id"), r.getAs("region_name"))));
    names.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> h.append("<option value='")
        .append(Html.escape(e.getKey())).append("'>").append(Html.escape(e.getValue())).append("</option>"));
    h.append("</select></label> <span class='note'>Charts and tables below follow the period; the region is highlighted in the "
        + "map, Figure 2 and its table and the urbanization scatter, and Table 2 shows only its row.</span> "
        + "<b id='region-note' class='note'></b></div>\n");
  }

  private void head(StringBuilder h, String period) {
    Row run = queries.lastSucceededRun();
    h.append("<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n")
        .append("<meta name='viewport' content='width=device-width, initial-scale=1'>\n")
        .append("<title>ICI Atlas report</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n")
        .append("h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}\n")
        .append("table{border-collapse:collapse;margin:.8em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left}\n")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f3f6f9}\n")
        .append(".note{color:#555;font-size:.9em}.legend span{display:inline-block;width:14px;height:14px;vertical-align:middle;margin:0 4px 0 12px;border:1px solid #999}\n")
        .append("figure{margin:1em 0}figcaption{font-size:.9em;color:#444}\n")
        .append(".controls{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #ddd;padding:.5em 0}\n")
        .append(".controls select{font-size:1em;margin-right:1em}.wide{overflow-x:auto}tr.chosen td{background:#fde2e2}\n")
        .append("th.turned{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;vertical-align:bottom;padding:6px 3px}\n")
        .append("#vg-tooltip-element{font-family:inherit}#figure1-chart .layer_1_marks,#figure1-chart .layer_1_marks path,#figure1-chart .layer_2_marks,#figure1-chart .layer_2_marks path{pointer-events:none}\n")
        .append("</style>\n")
        .append(ReportAssets.scripts()).append("</head>\n<body>\n");
    h.append("<h1>International cluster initiatives in cross-border cooperation</h1>\n<p class='note'>ICI Atlas report, "
        + "every programme period of the output (choose one below; it opens on <b>").append(Html.escape(period)).append("</b>), recomputed from the tables of this output folder after the method of Mikhaylov &amp; Mikhaylova (2015).");
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
    for (Row r : queries.rows(Tables.GOLD_ICI_SHARE_SUMMARY, null, "period", "region_kind")) {
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

  /** Figure 1: the choropleth of the NUTS 2 regions' ICI shares with the cross-border regions outlined, every period. */
  private void map(StringBuilder h, List<String> periods, String initial, Map<String, List<Row>> shares) {
    Map<String, List<Row>> points = queries.nuts2Shares();
    Map<String, List<Row>> footprints = queries.byPeriod(Tables.GOLD_REGION_FOOTPRINT, "region_id", "nuts_code");
    List<Map<String, Object>> nuts2 = new ArrayList<>();
    List<Map<String, Object>> outlines = new ArrayList<>();
    double aspect = 0.5;
    StringBuilder captions = new StringBuilder();
    for (String period : periods) {
      boolean noShare = shareless(shares.get(period));
      Map<String, NutsMap.Value> values = new TreeMap<>();
      for (Row r : points.getOrDefault(period, List.of())) {
        values.put(r.getString(1), new NutsMap.Value(((Number) r.get(2)).longValue(), r.isNullAt(3) ? null : r.getDouble(3)));
      }
      Map<String, String> names = new LinkedHashMap<>();
      for (Row r : shares.get(period)) {
        if ("cross_border".equals(r.getAs("region_kind"))) {
          names.put(r.getAs("region_id"), r.getAs("region_name"));
        }
      }
      Map<String, TreeSet<String>> codes = new LinkedHashMap<>();
      TreeSet<String> approximate = new TreeSet<>();
      for (Row r : footprints.getOrDefault(period, List.of())) {
        if (names.containsKey(r.<String>getAs("region_id"))) {
          codes.computeIfAbsent(r.getAs("region_id"), k -> new TreeSet<>()).add(r.getAs("nuts_code"));
          if ("definition_approximate".equals(r.getAs("basis"))) {
            approximate.add(names.get(r.<String>getAs("region_id")));
          }
        }
      }
      List<NutsMap.Outline> regionOutlines = new ArrayList<>();
      names.forEach((id, name) -> {
        if (codes.containsKey(id)) {
          regionOutlines.add(new NutsMap.Outline(id, name, codes.get(id)));
        }
      });
      int version = queries.nutsVersion(period);
      NutsMap map = new NutsMap(version, queries.counterparts(version, NutsMap.geometryVersion(version)));
      NutsMap.Features features = map.features(period, values, regionOutlines);
      nuts2.addAll(features.nuts2());
      outlines.addAll(features.outlines());
      aspect = Math.max(aspect, Math.min(1.2, features.aspect()));
      open(captions, period, initial);
      captions.append("<p class='note' data-nuts-version='").append(version).append("' data-geometry-version='").append(map.geometryVersion())
          .append("'>NUTS ").append(version).append(" regions of ").append(Html.escape(period)).append('.');
      if (noShare) {
        captions.append(" <b>No shares in this period</b>: ").append(Html.escape(shareNullReason(shares.get(period))))
            .append("; the regions are grey, not 0 %.");
      }
      if (!approximate.isEmpty()) {
        captions.append(' ').append(Html.escape("Approximate outlines (the definition's footprint, in Keep.eu's NUTS codes, does not fall on "
            + "NUTS " + version + " borders; gold_region_footprint, basis definition_approximate): " + String.join(", ", approximate) + "."));
      }
      for (String note : map.notes) {
        captions.append(' ').append(Html.escape(note)).append('.');
      }
      captions.append("</p></div>\n");
    }
    int width = 900;
    h.append("<h2>Figure 1. ICI share by NUTS 2 region</h2>\n<figure id='figure1'>");
    chart(h, "figure1", VegaSpecs.map(nuts2, outlines, initial, width, (int) Math.round(width * aspect)));
    h.append("<figcaption>Colour: the share of ICIs among the projects of the definition's regions that have a partner in the NUTS 2"
        + " region (gold_correlation_points); grey: no such project, or too few of them with text for a share (gold_region_profile.ici_share_null_reason). Outlined: the cross-border regions "
        + "(the one chosen above in red), each the definition's footprint where it has one, else the NUTS 2 regions holding at "
        + "least 5 % of the region's participations. Hover a region for its figures.</figcaption>\n")
        .append(captions).append("</figure>\n");
  }

  /** True when no cross-border region of the period has a share (the export has no project text). */
  private static boolean shareless(List<Row> shares) {
    return shares.stream().filter(r -> "cross_border".equals(r.getAs("region_kind"))).allMatch(r -> r.getAs("share") == null);
  }

  /** Why a period has no shares, in the period's own numbers (gold_ici_share.share_null_reason is per region). */
  private static String shareNullReason(List<Row> shares) {
    long projects = shares.stream().mapToLong(r -> ((Number) r.getAs("projects")).longValue()).sum();
    long withText = shares.stream().mapToLong(r -> ((Number) r.getAs("projects_with_text")).longValue()).sum();
    return String.format(Locale.ROOT, "only %,d of the %,d projects of its regions have a description or expected results in the input, "
        + "and a share from acronyms, titles and partners alone is not comparable (gold_ici_share.share_null_reason)", withText, projects);
  }

  /** A column's value, null for an output written before the column existed (e.g. the expected shares). */
  private static Object optional(Row r, String column) {
    return java.util.Arrays.asList(r.schema().fieldNames()).contains(column) ? r.getAs(column) : null;
  }

  /** Figure 2: the share per cross-border region (chart of every period), then the period's table with the expected shares. */
  private void figure2(StringBuilder h, List<String> periods, String initial, Map<String, List<Row>> shares) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (List<Row> group : shares.values()) {
      for (Row r : group) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String c : List.of("period", "region_id", "region_name", "region_kind", "projects", "ici_projects", "share",
            "expected_share", "expected_share_low", "expected_share_high")) {
          m.put(c, optional(r, c));
        }
        rows.add(m);
      }
    }
    h.append("<h2>Figure 2. Share of ICIs among the projects of each cross-border region</h2>\n<figure id='figure2'>");
    double largest = rows.stream().filter(m -> "cross_border".equals(m.get("region_kind")))
        .flatMap(m -> java.util.stream.Stream.of(m.get("share"), m.get("expected_share_high")))
        .filter(java.util.Objects::nonNull).mapToDouble(v -> ((Number) v).doubleValue()).max().orElse(0);
    chart(h, "figure2", VegaSpecs.shares(rows, initial, VegaSpecs.axisEnd(largest)));
    h.append("<figcaption>Bar: ICI projects / projects of the region. Line: the expected share's 95 % interval (below). "
        + "Regions without a share are in the table with the reason.</figcaption></figure>\n");
    for (String period : periods) {
      List<Row> period_ = shares.get(period);
      open(h, period, initial);
      if (shareless(period_)) {
        h.append("<p class='note'><b>No shares for ").append(Html.escape(period)).append("</b>: ")
            .append(Html.escape(shareNullReason(period_))).append(". A share of 0 % would be wrong, not missing; see the estimates "
                + "without text below.</p>\n");
      }
      // the count share and, beside it, what to expect given the rules' measured error (gold_ici_share.expected_share_basis)
      period_.stream().filter(r -> optional(r, "expected_share") != null).findFirst().ifPresentOrElse(
          r -> h.append("<p class='note'>Expected share (95 % interval): the ").append(Html.escape(r.getAs("expected_share_basis")))
              .append(". It assumes the rules are as often right in every region as over the whole export, so it pulls each"
                  + " region towards the export's mean; the rates' own error is shared by all regions, so overlapping intervals"
                  + " do not show that two regions are alike.</p>\n"),
          () -> period_.stream().filter(r -> r.getAs("share") != null && optional(r, "expected_share_basis") != null).findFirst()
              .ifPresent(r -> h.append("<p class='note'>").append(Html.escape(r.getAs("expected_share_basis"))).append(".</p>\n")));
      h.append("<div class='wide'><table><tr><th>region</th><th>kind</th><th>projects</th><th>ICI projects</th><th>share</th>"
          + "<th>expected share (95 % interval)</th><th>with text</th><th>note</th></tr>\n");
      for (Row r : period_) {
        h.append("<tr data-region='").append(Html.escape(r.getAs("region_id"))).append("'><td>").append(Html.escape(r.getAs("region_name")))
            .append("</td><td>").append(Html.escape(regionKind(r.getAs("region_kind"))))
            .append("</td>").append(num(r.getAs("projects"))).append(num(r.getAs("ici_projects"))).append(pct(r.getAs("share")))
            .append(pctInterval(optional(r, "expected_share"), optional(r, "expected_share_low"), optional(r, "expected_share_high")))
            .append(pct(r.getAs("text_completeness"))).append("<td>").append(Html.escape(r.getAs("share") == null
                ? "no share: " + r.getAs("share_null_reason") : r.getAs("completeness_note"))).append("</td></tr>\n");
      }
      h.append("</table></div>\n");
      estimatedWithoutText(h, period, period_);
      h.append("</div>\n");
    }
  }

  /**
   * gold_ici_share_estimated of the period: the share the text-free model calls ICI, corrected by its measured error, with the
   * method's check (where text exists: does the interval hold the expected share?) and the paper's hand-read shares where
   * the paper gives one (context, not a target).
   */
  private void estimatedWithoutText(StringBuilder h, String period, List<Row> shares) {
    if (!queries.hasColumn(Tables.GOLD_ICI_SHARE_ESTIMATED, "interval_holds_expected_share")) {
      return; // an output of an earlier version: analyse it again to get the estimates and their check
    }
    List<Row> rows = queries.rows(Tables.GOLD_ICI_SHARE_ESTIMATED, period, "region_kind", "region_name");
    if (rows.isEmpty()) {
      return;
    }
    List<Boolean> checks = queries.estimateChecks();
    long held = checks.stream().filter(Boolean::booleanValue).count();
    Map<String, Object> expected = new TreeMap<>();
    shares.forEach(r -> expected.put(r.getAs("region_id"), optional(r, "expected_share")));
    Map<String, String[]> paper = paperShares(period);
    Row rated = rows.stream().filter(r -> r.getAs("sensitivity") != null).findFirst().orElse(null);
    h.append("<h3 class='estimated'>Estimated without project text</h3>\n<p class='note'>");
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
    h.append("<table class='estimated-table'><tr><th>region</th><th>kind</th><th>projects</th><th>with text</th>"
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

  /** Figure 3: the share of cross-border regions with ICIs of each specialization, every period. */
  private void figure3(StringBuilder h, List<String> periods, String initial) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Row r : queries.rows(Tables.GOLD_SPECIALIZATION_SHARE, null, "period", "specialization")) {
      if ("cross_border".equals(r.getAs("region_kind"))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("period", r.getAs("period"));
        m.put("label", IciClassifier.specializationLabel(r.getAs("specialization")));
        for (String c : List.of("share_of_regions", "regions_with_specialization", "regions", "ici_projects")) {
          m.put(c, r.getAs(c));
        }
        rows.add(m);
      }
    }
    h.append("<h2>Figure 3. Share of cross-border regions with ICIs of each specialization</h2>\n<figure id='figure3'>");
    chart(h, "figure3", VegaSpecs.specializations(rows, initial, VegaSpecs.axisEnd(rows.stream()
        .mapToDouble(m -> ((Number) m.get("share_of_regions")).doubleValue()).max().orElse(0))));
    h.append("</figure>\n");
  }

  /** Table 1 per period: countries x specializations, the column heads turned so that the table fits the page. */
  private void table1(StringBuilder h, List<String> periods, String initial) {
    Map<String, List<Row>> all = queries.byPeriod(Tables.GOLD_COUNTRY_SPECIALIZATION, "country_code", "specialization");
    Map<String, String> countries = queries.nutsNames(0);
    h.append("<h2>Table 1. Cross-border regions with ICIs, by country and specialization</h2>\n");
    for (String period : periods) {
      open(h, period, initial);
      // columns in the order of their labels, as the reader sees them
      TreeSet<String> specs = new TreeSet<>(java.util.Comparator.comparing(IciClassifier::specializationLabel));
      Map<String, Map<String, Long>> cells = new TreeMap<>();
      Map<String, Long> perCountry = new TreeMap<>();
      for (Row r : all.getOrDefault(period, List.of())) {
        if (!"cross_border".equals(r.getAs("region_kind"))) {
          continue;
        }
        specs.add(r.getAs("specialization"));
        cells.computeIfAbsent(r.getAs("country_code"), k -> new TreeMap<>()).put(r.getAs("specialization"), ((Number) r.getAs("regions")).longValue());
        perCountry.put(r.getAs("country_code"), ((Number) r.getAs("country_specializations")).longValue());
      }
      if (cells.isEmpty()) {
        h.append("<p>No cross-border region has ICIs in ").append(Html.escape(period)).append(".</p></div>\n");
        continue;
      }
      h.append("<p class='note'>Cell: regions in which the country takes part that have ICIs of the specialization. Last column: "
          + "the country's number of specializations.</p>\n<div class='wide'><table class='table1'><tr><th>country</th>");
      for (String spec : specs) {
        h.append("<th class='turned'>").append(Html.escape(IciClassifier.specializationLabel(spec))).append("</th>");
      }
      h.append("<th class='turned'>specializations</th></tr>\n");
      for (Map.Entry<String, Map<String, Long>> e : cells.entrySet()) {
        h.append("<tr><td>").append(Html.escape(e.getKey() + " " + countries.getOrDefault(e.getKey(), "")).strip()).append("</td>");
        for (String spec : specs) {
          Long v = e.getValue().get(spec);
          h.append("<td class='n'>").append(v == null || v == 0 ? "" : v.toString()).append("</td>");
        }
        h.append(num(perCountry.get(e.getKey()))).append("</tr>\n");
      }
      h.append("</table></div></div>\n");
    }
  }

  /**
   * Table 2 per period, compact like the paper's: one row per cross-border region with its ICI specializations (with
   * their ICI projects), the specializations of its established clusters (with their names) and where the two meet.
   */
  private void table2(StringBuilder h, List<String> periods, String initial) {
    Map<String, List<Row>> all = queries.byPeriod(Tables.GOLD_CLUSTER_COMPARISON, "region_name", "specialization");
    h.append("<h2>Table 2. ICIs and established international clusters</h2>\n");
    for (String period : periods) {
      open(h, period, initial);
      Map<String, List<Row>> byRegion = new LinkedHashMap<>();
      for (Row r : all.getOrDefault(period, List.of())) {
        if ("cross_border".equals(r.getAs("region_kind"))) {
          byRegion.computeIfAbsent(r.getAs("region_id"), k -> new ArrayList<>()).add(r);
        }
      }
      h.append("<table class='table2'><tr><th>region</th><th>ICI specializations (ICI projects)</th>"
          + "<th>established clusters (specialization)</th><th>both</th></tr>\n");
      for (Map.Entry<String, List<Row>> e : byRegion.entrySet()) {
        List<String> ici = new ArrayList<>();
        List<String> clusters = new ArrayList<>();
        List<String> both = new ArrayList<>();
        for (Row r : e.getValue()) {
          String label = IciClassifier.specializationLabel(r.getAs("specialization"));
          long projects = ((Number) r.getAs("ici_projects")).longValue();
          if (projects > 0) {
            ici.add(label + " (" + projects + ")");
          }
          List<String> names = r.getList(r.fieldIndex("established_clusters"));
          if (names != null && !names.isEmpty()) {
            clusters.add(String.join(", ", names) + " (" + label + ")");
          }
          if (Boolean.TRUE.equals(r.getAs("overlap"))) {
            both.add(label);
          }
        }
        h.append("<tr data-region='").append(Html.escape(e.getKey())).append("'><td>").append(Html.escape(e.getValue().get(0).getAs("region_name")))
            .append("</td><td>").append(Html.escape(ici.isEmpty() ? "none" : String.join("; ", ici))).append("</td><td>")
            .append(Html.escape(clusters.isEmpty() ? "none" : String.join("; ", clusters))).append("</td><td>")
            .append(Html.escape(both.isEmpty() ? "none" : String.join(", ", both))).append("</td></tr>\n");
      }
      h.append("</table></div>\n");
    }
  }

  /**
   * The urbanization scatter of every period (the share on the y axis, each point named in its tooltip, the least-squares
   * line of gold_correlations' ols_slope and ols_intercept over the same points), then per period the statistics of gold_correlations, each with one
   * plain sentence.
   */
  private void urbanization(StringBuilder h, List<String> periods, String initial, Map<String, List<Row>> shares,
      Map<String, String> names) {
    String indicator = "urban_population_share";
    h.append("<h2>Urbanization and ICI activity</h2>\n");
    if (!queries.hasColumn(Tables.GOLD_CORRELATION_POINTS, indicator)) {
      h.append("<p>No urbanization indicator in the Eurostat inputs of this run.</p>\n");
      return;
    }
    Map<String, Map<String, List<String>>> regionsOf = new TreeMap<>(); // period -> NUTS 2 -> cross-border region ids
    for (Row r : queries.rows(Tables.GOLD_REGION_FOOTPRINT, null, "period", "region_id", "nuts_code")) {
      String code = r.getAs("nuts_code");
      if (code != null && code.length() >= 4) {
        List<String> ids = regionsOf.computeIfAbsent(r.getAs("period"), k -> new TreeMap<>()).computeIfAbsent(code.substring(0, 4), k -> new ArrayList<>());
        if (!ids.contains(r.<String>getAs("region_id"))) {
          ids.add(r.getAs("region_id"));
        }
      }
    }
    Map<String, String> regionNames = new TreeMap<>();
    shares.values().forEach(rows -> rows.forEach(r -> regionNames.put(r.getAs("region_id"), r.getAs("region_name"))));
    List<Map<String, Object>> points = new ArrayList<>();
    for (Row r : queries.nuts2Points(indicator)) {
      String period = r.getString(0);
      List<String> ids = regionsOf.getOrDefault(period, Map.of()).getOrDefault(r.getString(1), List.of());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("period", period);
      m.put("unit_id", r.getString(1));
      m.put("name", names.getOrDefault(r.getString(1), ""));
      m.put("urban", r.get(2));
      m.put("ici_projects", r.get(3));
      m.put("ici_share", r.get(4)); // null where most of the region's projects have no text (gold_region_profile)
      m.put("regions", ids);
      m.put("region_names", String.join(", ", ids.stream().map(id -> regionNames.getOrDefault(id, id)).toList()));
      points.add(m);
    }
    Map<String, List<Row>> stats = queries.correlations(indicator);
    // each period's least-squares line (gold_correlations, NUTS 2 share), drawn between the ends of its points' x range
    List<Map<String, Object>> lines = new ArrayList<>();
    for (String period : periods) {
      Row fit = stats.getOrDefault(period, List.of()).stream().filter(r -> "nuts2".equals(r.getAs("level"))
          && "ici_share".equals(r.getAs("measure")) && java.util.Arrays.asList(r.schema().fieldNames()).contains("ols_slope")
          && r.getAs("ols_slope") != null).findFirst().orElse(null);
      double[] range = points.stream().filter(m -> period.equals(m.get("period")) && m.get("ici_share") != null)
          .mapToDouble(m -> ((Number) m.get("urban")).doubleValue()).sorted().toArray();
      if (fit != null && range.length > 0) {
        for (double x : new double[] {range[0], range[range.length - 1]}) {
          lines.add(Map.of("period", period, "urban", x,
              "ici_share", fit.<Double>getAs("ols_intercept") + fit.<Double>getAs("ols_slope") * x));
        }
      }
    }
    h.append("<figure id='urbanization'>");
    chart(h, "urbanization", VegaSpecs.urbanization(points, lines, initial, VegaSpecs.axisEnd(points.stream()
        .filter(m -> m.get("ici_share") != null).mapToDouble(m -> ((Number) m.get("ici_share")).doubleValue()).max().orElse(0))));
    h.append("<figcaption>Each point a NUTS 2 region with projects of the definition's regions: the share of its projects that are "
        + "ICIs against the share of its population in predominantly urban NUTS 3 regions; "
        + (lines.isEmpty() ? "no least-squares line: fewer than 3 regions with a share, the same urbanization in all of them, "
            + "or an output analysed by a version without gold_correlations.ols_slope (run 'bin/ici-atlas analyse' again). "
            : "the line is the least-squares fit (gold_correlations.ols_slope and ols_intercept), drawn for the periods that "
            + "have one. ")
        + "Many regions have no urban NUTS 3 region (0 %) or all of them (100 %), hence the points on those edges. The points of "
        + "the region chosen above are dark blue.</figcaption></figure>\n");
    for (String period : periods) {
      open(h, period, initial);
      if (shareless(shares.get(period))) {
        h.append("<p class='note'>No statistics for ").append(Html.escape(period)).append(": ")
            .append(Html.escape(shareNullReason(shares.get(period)))).append(".</p></div>\n");
        continue;
      }
      h.append("<ul>\n");
      for (Row r : stats.getOrDefault(period, List.of())) {
        h.append("<li>").append(Html.escape(statisticSentence(r.getAs("level"), r.getAs("measure"), (Number) r.getAs("n"),
            (Double) r.getAs("pearson_r"), (Double) r.getAs("pearson_p"), (Double) r.getAs("pearson_r_bootstrap_low"),
            (Double) r.getAs("pearson_r_bootstrap_high")))).append("</li>\n");
      }
      h.append("</ul>\n<div class='wide'><table><tr><th>units</th><th>measure</th><th>n</th><th>Pearson r</th><th>p of r</th>"
          + "<th>r, 95 % bootstrap interval</th><th>Spearman ρ</th><th>p of ρ</th><th>Kendall τ-b</th><th>p of τ-b</th></tr>\n");
      for (Row r : stats.getOrDefault(period, List.of())) {
        h.append("<tr><td>").append(Html.escape(levelWords(r.getAs("level")))).append("</td><td>")
            .append(Html.escape(measureWords(r.getAs("measure"))))
            .append("</td>").append(num(r.getAs("n"))).append(dec(r.getAs("pearson_r"))).append(dec(r.getAs("pearson_p")))
            .append("<td class='n'>").append(r.getAs("pearson_r_bootstrap_low") == null ? "" : String.format(Locale.ROOT, "%.3f to %.3f",
                (Double) r.getAs("pearson_r_bootstrap_low"), (Double) r.getAs("pearson_r_bootstrap_high")))
            .append("</td>").append(dec(r.getAs("spearman_rho"))).append(dec(r.getAs("spearman_p"))).append(dec(r.getAs("kendall_tau")))
            .append(dec(r.getAs("kendall_p"))).append("</tr>\n");
      }
      h.append("</table></div></div>\n");
    }
  }

  /**
   * One plain sentence for a correlation: its direction and strength, how much of the variation a straight line explains
   * (r squared), whether chance alone could give it, and why the bootstrap interval and p may disagree where they do.
   */
  static String statisticSentence(String level, String measure, Number n, Double r, Double p, Double low, Double high) {
    String units = levelWords(level);
    String what = measureWords(measure);
    if (r == null || r.isNaN()) {
      return String.format(Locale.ROOT, "%s, %s against urbanization: no correlation can be computed (%s units with both values, "
          + "or one of them constant).", units, what, n == null ? "no" : n.toString());
    }
    double a = Math.abs(r);
    String strength = a < 0.1 ? "no" : a < 0.3 ? "a weak" : a < 0.5 ? "a moderate" : "a strong";
    String direction = a < 0.1 ? "" : r > 0 ? " positive" : " negative";
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%s, %s against urbanization (n = %d): Pearson r = %.2f, %s%s linear association; a straight line explains %.0f %% of the "
            + "variation (r² = %.2f).", units, what, n.longValue(), r, strength, direction, 100 * r * r, r * r));
    if (p != null) {
      out.append(p < 0.05 ? String.format(Locale.ROOT, " With p = %.3f it is unlikely to be chance alone.", p)
          : String.format(Locale.ROOT, " With p = %.3f, chance alone could give an r this far from 0.", p));
      if (low != null && high != null && p >= 0.05 && (low > 0 || high < 0)) {
        out.append(String.format(Locale.ROOT, " The bootstrap interval (%.2f to %.2f) excludes 0 nonetheless: it resamples the "
            + "regions instead of assuming normal errors, and the two disagree at the margin with skewed counts, so read the "
            + "association as uncertain.", low, high));
      }
    }
    return out.toString();
  }

  /** gold_correlations.level in words. */
  static String levelWords(String level) {
    return "nuts2".equals(level) ? "NUTS 2 regions" : "region".equals(level) ? "cross-border regions" : level;
  }

  /** gold_correlations.measure in words. */
  static String measureWords(String measure) {
    return "ici_share".equals(measure) ? "ICI share" : "ici_projects".equals(measure) ? "ICI projects" : measure.replace('_', ' ');
  }

  private void links(StringBuilder h, List<String> periods, String initial, Map<String, String> names) {
    h.append("<h2>Top regional links</h2>\n<p class='note'>Pairs of NUTS 2 regions whose partners share the most ICI projects "
        + "(then projects) in the period.</p>\n");
    for (String period : periods) {
      open(h, period, initial);
      h.append("<table><tr><th>region</th><th>region</th><th>shared ICI projects</th><th>shared projects</th></tr>\n");
      for (Row r : queries.topLinks(period, 15)) {
        h.append("<tr><td>").append(Html.escape(r.getAs("nuts2_a") + " " + names.getOrDefault(r.<String>getAs("nuts2_a"), "")))
            .append("</td><td>").append(Html.escape(r.getAs("nuts2_b") + " " + names.getOrDefault(r.<String>getAs("nuts2_b"), "")))
            .append("</td>").append(num(r.getAs("shared_ici_projects"))).append(num(r.getAs("shared_projects"))).append("</tr>\n");
      }
      h.append("</table></div>\n");
    }
  }

  private void completeness(StringBuilder h, List<String> periods, String initial, Map<String, List<Row>> shares) {
    h.append("<h2>Input completeness</h2>\n");
    for (String period : periods) {
      open(h, period, initial);
      h.append("<ul>\n");
      long projects = 0;
      long withText = 0;
      for (Row r : shares.get(period)) {
        projects += ((Number) r.getAs("projects")).longValue();
        withText += ((Number) r.getAs("projects_with_text")).longValue();
        String note = r.getAs("share") == null ? "no share: " + r.getAs("share_null_reason") : r.getAs("completeness_note");
        if (note != null && !note.isEmpty()) {
          h.append("<li>").append(Html.escape(r.getAs("region_name"))).append(": ").append(Html.escape(note)).append("</li>\n");
        }
      }
      h.append(String.format(Locale.ROOT, "<li>%d of %d projects of the regions in %s have a description or expected results; the others "
          + "were classified from title, themes and partners.</li>\n</ul></div>\n", withText, projects, Html.escape(period)));
    }
    h.append("<ul>\n");
    if (queries.exists(Tables.DUMP_PROVENANCE)) {
      for (Row r : queries.rows(Tables.DUMP_PROVENANCE, null, "period", "kind", "source_file")) {
        h.append("<li>").append(Html.escape(r.getAs("period"))).append(' ').append(Html.escape(r.getAs("kind"))).append(" from <code>")
            .append(Html.escape(new Path(r.<String>getAs("source_file")).getName())).append("</code> (")
            .append(String.format(Locale.ROOT, "%,d rows, %,d bytes, sha256 %s…, exported %s", r.<Long>getAs("rows"), r.<Long>getAs("bytes"),
                r.<String>getAs("sha256").substring(0, 12), r.getAs("export_date") == null ? "on an unknown date" : r.getAs("export_date").toString()))
            .append(")</li>\n");
      }
    }
    ReportQueries.AuditTotals audit = queries.lastAudit();
    if (audit != null) {
      String balance = audit.unbalanced() == 0 ? "every one of its " + audit.files() + " files balanced"
          : audit.unbalanced() + " of its " + audit.files() + " files NOT balanced (see ingest_audit)";
      h.append(String.format(Locale.ROOT, "<li>Ingestion run %s: %,d input rows read, %,d accepted, %,d quarantined with a reason "
          + "(quarantine_* tables); %s.</li>\n", Html.escape(audit.runId()), audit.read(), audit.accepted(), audit.quarantined(),
          balance));
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
        .append("<li>Charts: Vega, Vega-Lite and Vega-Embed (BSD-3-Clause, © University of Washington Interactive Data Lab), "
            + "inlined with the libraries they bundle (d3, ISC; and others): their licence texts are below. Network pictures: "
            + "JFreeSVG; outlines: JTS. Generated by ICI Atlas.</li>\n</ul>\n")
        .append("<details id='third-party-licences'><summary>Licences of the inlined chart libraries</summary><pre>")
        .append(Html.escape(ReportAssets.licences())).append("</pre></details>\n");
  }
}
