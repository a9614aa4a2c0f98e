package eu.iciatlas.jobs.report;

import static eu.iciatlas.jobs.report.Html.count;
import static eu.iciatlas.jobs.report.Html.decimal;
import static eu.iciatlas.jobs.report.Html.percent;
import static eu.iciatlas.jobs.report.Html.percentInterval;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.EstimatedShares;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.config.PipelineSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;

/**
 * What the report shows, read from the gold tables of an output ({@link ReportQueries}) into plain
 * values: every number already formatted, every text as the reader sees it, the charts as Vega-Lite
 * JSON and the network pictures as SVG. {@code report.mustache} lays it out ({@link ReportPage});
 * nothing here writes HTML, and nothing there queries.
 *
 * <p>Each part that follows the period selector holds one {@link Period}-like block per period, the
 * latest first, with {@code hidden} true for all but the period the page opens on.
 */
record ReportModel(String scripts, String initialPeriod, Run run, List<PeriodOption> periods, List<RegionOption> regionOptions,
    List<SummaryRow> summary, MapFigure map, SharesFigure figure2, Chart figure3, List<Table1> table1, List<Table2> table2,
    Urbanization urbanization, List<Links> links, List<Networks> networks, List<Completeness> completeness,
    List<Provenance> provenance, Audit audit, String geometryVersions, String licences, String script) {

  record Run(String runId, String endedAt, String codeVersion, String configurationSha256) {}

  record PeriodOption(String period, boolean hidden) {}

  record RegionOption(String id, String name) {}

  record SummaryRow(String period, String regionKind, String regions, String regionsWithIci, String meanRegionalShare,
      String pooledShare, String pooledExpectedShare, String iciProjects, String projects) {}

  record Chart(String spec) {}

  record MapFigure(String spec, List<MapPeriod> periods) {}

  record MapPeriod(String period, boolean hidden, int nutsVersion, String noShareReason,
      String approximateOutlines, List<String> notes) {}

  record SharesFigure(String spec, List<SharesPeriod> periods) {}

  record SharesPeriod(String period, boolean hidden, String noShareReason, String expectedShareBasis, String countShareBasis,
      List<ShareRow> rows, Estimated estimated) {}

  record ShareRow(String regionId, String regionName, String regionKind, String projects, String iciProjects, String share,
      String expectedShare, String textCompleteness, String note) {}

  /** gold_ici_share_estimated of a period: either why there is no estimate, or the rated estimates. */
  record Estimated(String noEstimateReason, Rated rated) {}

  record Rated(String sensitivity, String specificity, String maxCheckWidth, long checksHeld, int checks,
      boolean checkFailedSomewhere, List<EstimateRow> rows) {}

  record EstimateRow(String regionName, String regionKind, String projects, String projectsWithText, String predictedIcis,
      String apparentShare, String estimatedShare, String expectedShare, String intervalHoldsIt, String paperShare, String note) {}

  record Table1(String period, boolean hidden, List<String> specializations, List<Table1Row> countries) {
    public boolean hasCountries() {
      return !countries.isEmpty();
    }
  }

  record Table1Row(String country, List<String> regions, String specializations) {}

  record Table2(String period, boolean hidden, List<Table2Row> rows) {}

  record Table2Row(String regionId, String regionName, String iciSpecializations, String establishedClusters, String both) {}

  record Urbanization(String spec, boolean hasLines, List<UrbanizationPeriod> periods) {}

  record UrbanizationPeriod(String period, boolean hidden, String noShareReason, List<Statistic> statistics) {}

  record Statistic(String sentence, String units, String measure, String n, String pearsonR, String pearsonP,
      String pearsonInterval, String spearmanRho, String spearmanP, String kendallTau, String kendallP) {}

  record Links(String period, boolean hidden, List<Link> rows) {}

  record Link(String regionA, String regionB, String sharedIciProjects, String sharedProjects) {}

  /** One period's linkage section: {@code measured} null when the output has no network tables. */
  record Networks(String period, boolean hidden, NetworkSection.Model measured, String disabledSetting) {}

  record Completeness(String period, boolean hidden, List<RegionNote> notes, long projectsWithText, long projects) {}

  record RegionNote(String region, String note) {}

  record Provenance(String period, String kind, String file, String rows, String bytes, String sha256, String exported) {}

  record Audit(String runId, String read, String accepted, String quarantined, String balance) {}

  /** Reads every part of the page from the output's tables; {@code initial} is the period it opens on. */
  static ReportModel read(ReportQueries queries, String initial, Map<String, List<Row>> shares, boolean networks) {
    List<String> periods = new ArrayList<>(shares.keySet());
    Collections.reverse(periods); // the latest first
    Map<String, String> nuts2Names = queries.nutsNames(2); // read once for the scatter's tooltips and the links
    return new ReportModel(ReportAssets.scripts(), initial, run(queries),
        periods.stream().map(p -> new PeriodOption(p, !p.equals(initial))).toList(), regionOptions(shares),
        summary(queries), map(queries, periods, initial, shares), figure2(queries, periods, initial, shares),
        figure3(queries, initial), table1(queries, periods, initial), table2(queries, periods, initial),
        urbanization(queries, periods, initial, shares, nuts2Names), links(queries, periods, initial, nuts2Names),
        periods.stream().map(p -> new Networks(p, !p.equals(initial), networks ? new NetworkSection(queries).read(p) : null,
            PipelineSettings.NETWORKS_ENABLED)).toList(),
        completeness(periods, initial, shares), provenance(queries), audit(queries),
        NutsMap.GEOMETRY_VERSIONS.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" and ")),
        ReportAssets.licences(), ReportAssets.pageScript());
  }

  private static Run run(ReportQueries queries) {
    Row run = queries.lastSucceededRun();
    return run == null ? null : new Run(run.getAs("run_id"), utc(run.getAs("ended_at")), run.getAs("code_version"),
        ((String) run.getAs("configuration_sha256")).substring(0, 12));
  }

  /** One option per cross-border region id, named as in its latest period (shares holds the periods in order). */
  private static List<RegionOption> regionOptions(Map<String, List<Row>> shares) {
    Map<String, String> names = new LinkedHashMap<>();
    shares.values().forEach(rows -> rows.stream().filter(r -> "cross_border".equals(r.getAs("region_kind")))
        .forEach(r -> names.put(r.getAs("region_id"), r.getAs("region_name"))));
    return names.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(e -> new RegionOption(e.getKey(), e.getValue()))
        .toList();
  }

  private static List<SummaryRow> summary(ReportQueries queries) {
    return queries.rows(Tables.GOLD_ICI_SHARE_SUMMARY, null, "period", "region_kind").stream()
        .map(r -> new SummaryRow(r.getAs("period"), regionKind(r.getAs("region_kind")), count(r.getAs("regions")),
            count(r.getAs("regions_with_ici")), percent(r.getAs("mean_regional_share")), percent(r.getAs("pooled_share")),
            percentInterval(optional(r, "pooled_expected_share"), optional(r, "pooled_expected_share_low"),
                optional(r, "pooled_expected_share_high")),
            r.getAs("ici_projects").toString(), r.getAs("projects").toString()))
        .toList();
  }

  /** Figure 1: the choropleth of the NUTS 2 regions' ICI shares with the cross-border regions outlined, every period. */
  private static MapFigure map(ReportQueries queries, List<String> periods, String initial, Map<String, List<Row>> shares) {
    Map<String, List<Row>> points = queries.nuts2Shares();
    Map<String, List<Row>> footprints = queries.byPeriod(Tables.GOLD_REGION_FOOTPRINT, "region_id", "nuts_code");
    List<Map<String, Object>> nuts2 = new ArrayList<>();
    List<Map<String, Object>> outlines = new ArrayList<>();
    double aspect = 0.5;
    List<MapPeriod> captions = new ArrayList<>();
    for (String period : periods) {
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
      captions.add(new MapPeriod(period, !period.equals(initial), version,
          shareless(shares.get(period)) ? shareNullReason(shares.get(period)) : null,
          approximate.isEmpty() ? null : String.join(", ", approximate), List.copyOf(map.notes)));
    }
    int width = 900;
    return new MapFigure(VegaSpecs.scriptJson(VegaSpecs.map(nuts2, outlines, initial, width, (int) Math.round(width * aspect))),
        captions);
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
    return Arrays.asList(r.schema().fieldNames()).contains(column) ? r.getAs(column) : null;
  }

  /** Figure 2: the share per cross-border region (chart of every period), then the period's table with the expected shares. */
  private static SharesFigure figure2(ReportQueries queries, List<String> periods, String initial, Map<String, List<Row>> shares) {
    List<Map<String, Object>> points = new ArrayList<>();
    for (List<Row> group : shares.values()) {
      for (Row r : group) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String c : List.of("period", "region_id", "region_name", "region_kind", "projects", "ici_projects", "share",
            "expected_share", "expected_share_low", "expected_share_high")) {
          m.put(c, optional(r, c));
        }
        points.add(m);
      }
    }
    double largest = points.stream().filter(m -> "cross_border".equals(m.get("region_kind")))
        .flatMap(m -> Stream.of(m.get("share"), m.get("expected_share_high")))
        .filter(Objects::nonNull).mapToDouble(v -> ((Number) v).doubleValue()).max().orElse(0);
    List<SharesPeriod> blocks = new ArrayList<>();
    for (String period : periods) {
      List<Row> rows = shares.get(period);
      // the count share and, beside it, what to expect given the rules' measured error (gold_ici_share.expected_share_basis)
      String expectedBasis = rows.stream().filter(r -> optional(r, "expected_share") != null).findFirst()
          .map(r -> r.<String>getAs("expected_share_basis")).orElse(null);
      String countBasis = expectedBasis != null ? null : rows.stream()
          .filter(r -> r.getAs("share") != null && optional(r, "expected_share_basis") != null).findFirst()
          .map(r -> r.<String>getAs("expected_share_basis")).orElse(null);
      List<ShareRow> table = rows.stream().map(r -> new ShareRow(r.getAs("region_id"), r.getAs("region_name"),
          regionKind(r.getAs("region_kind")), count(r.getAs("projects")), count(r.getAs("ici_projects")), percent(r.getAs("share")),
          percentInterval(optional(r, "expected_share"), optional(r, "expected_share_low"), optional(r, "expected_share_high")),
          percent(r.getAs("text_completeness")),
          r.getAs("share") == null ? "no share: " + r.getAs("share_null_reason") : r.getAs("completeness_note"))).toList();
      blocks.add(new SharesPeriod(period, !period.equals(initial), shareless(rows) ? shareNullReason(rows) : null, expectedBasis,
          countBasis, table, estimatedWithoutText(queries, period, rows)));
    }
    return new SharesFigure(VegaSpecs.scriptJson(VegaSpecs.shares(points, initial, VegaSpecs.axisEnd(largest))), blocks);
  }

  /**
   * gold_ici_share_estimated of the period: the share the text-free model calls ICI, corrected by its measured error, with the
   * method's check (where text exists: does the interval hold the expected share?) and the paper's hand-read shares where
   * the paper gives one (context, not a target). Null for an output of an earlier version (analyse it again to get them).
   */
  private static Estimated estimatedWithoutText(ReportQueries queries, String period, List<Row> shares) {
    if (!queries.hasColumn(Tables.GOLD_ICI_SHARE_ESTIMATED, "interval_holds_expected_share")) {
      return null;
    }
    List<Row> rows = queries.rows(Tables.GOLD_ICI_SHARE_ESTIMATED, period, "region_kind", "region_name");
    if (rows.isEmpty()) {
      return null;
    }
    Row rated = rows.stream().filter(r -> r.getAs("sensitivity") != null).findFirst().orElse(null);
    if (rated == null) {
      return new Estimated(rows.get(0).getAs("estimate_null_reason"), null);
    }
    List<Boolean> checks = queries.estimateChecks();
    Map<String, Object> expected = new TreeMap<>();
    shares.forEach(r -> expected.put(r.getAs("region_id"), optional(r, "expected_share")));
    Map<String, String[]> paper = paperShares(period);
    List<EstimateRow> table = new ArrayList<>();
    for (Row r : rows) {
      String[] p = paper.get((String) r.getAs("region_id"));
      Object holds = r.getAs("interval_holds_expected_share");
      String reason = r.getAs("estimate_null_reason");
      table.add(new EstimateRow(r.getAs("region_name"), regionKind(r.getAs("region_kind")), count(r.getAs("projects")),
          count(r.getAs("projects_with_text")), count(r.getAs("predicted_icis")), percent(r.getAs("apparent_share")),
          r.getAs("estimated_share_low") == null ? percent(r.getAs("estimated_share"))
              : percentInterval(r.getAs("estimated_share"), r.getAs("estimated_share_low"), r.getAs("estimated_share_high")),
          percent(expected.get((String) r.getAs("region_id"))), holds == null ? "" : (Boolean) holds ? "yes" : "no",
          p == null ? null : percent(Double.valueOf(p[0])),
          reason != null ? reason.startsWith("no estimate: the method") ? "no estimate: the check above failed" : reason
              : p == null || p[1].isEmpty() ? "" : "the paper counted " + p[1] + " projects"));
    }
    return new Estimated(null, new Rated(String.format(Locale.ROOT, "%.1f", 100 * rated.<Double>getAs("sensitivity")),
        String.format(Locale.ROOT, "%.1f", 100 * rated.<Double>getAs("specificity")),
        String.format(Locale.ROOT, "%.0f", 100 * EstimatedShares.MAX_CHECK_WIDTH), checks.stream().filter(Boolean::booleanValue).count(),
        checks.size(), rows.stream().anyMatch(r -> String.valueOf((Object) r.getAs("estimate_null_reason"))
            .startsWith("no estimate: the method")), table));
  }

  /** region_id -> {share, projects} of the paper for the period (packaged ici-atlas-reference/paper_ici_shares.csv). */
  static Map<String, String[]> paperShares(String period) {
    Map<String, String[]> out = new TreeMap<>();
    try (java.io.InputStream in = ReportModel.class.getResourceAsStream("/ici-atlas-reference/paper_ici_shares.csv")) {
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
  private static Chart figure3(ReportQueries queries, String initial) {
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
    return new Chart(VegaSpecs.scriptJson(VegaSpecs.specializations(rows, initial, VegaSpecs.axisEnd(rows.stream()
        .mapToDouble(m -> ((Number) m.get("share_of_regions")).doubleValue()).max().orElse(0)))));
  }

  /** Table 1 per period: countries x specializations, the columns in the order of their labels, as the reader sees them. */
  private static List<Table1> table1(ReportQueries queries, List<String> periods, String initial) {
    Map<String, List<Row>> all = queries.byPeriod(Tables.GOLD_COUNTRY_SPECIALIZATION, "country_code", "specialization");
    Map<String, String> countries = queries.nutsNames(0);
    List<Table1> out = new ArrayList<>();
    for (String period : periods) {
      TreeSet<String> specs = new TreeSet<>(java.util.Comparator.comparing(IciClassifier::specializationLabel));
      Map<String, Map<String, Long>> cells = new TreeMap<>();
      Map<String, Long> perCountry = new TreeMap<>();
      for (Row r : all.getOrDefault(period, List.of())) {
        if (!"cross_border".equals(r.getAs("region_kind"))) {
          continue;
        }
        specs.add(r.getAs("specialization"));
        cells.computeIfAbsent(r.getAs("country_code"), k -> new TreeMap<>()).put(r.getAs("specialization"),
            ((Number) r.getAs("regions")).longValue());
        perCountry.put(r.getAs("country_code"), ((Number) r.getAs("country_specializations")).longValue());
      }
      List<Table1Row> rows = new ArrayList<>();
      for (Map.Entry<String, Map<String, Long>> e : cells.entrySet()) {
        List<String> regions = specs.stream().map(spec -> {
          Long v = e.getValue().get(spec);
          return v == null || v == 0 ? "" : v.toString();
        }).toList();
        rows.add(new Table1Row((e.getKey() + " " + countries.getOrDefault(e.getKey(), "")).strip(), regions,
            count(perCountry.get(e.getKey()))));
      }
      out.add(new Table1(period, !period.equals(initial), specs.stream().map(IciClassifier::specializationLabel).toList(), rows));
    }
    return out;
  }

  /**
   * Table 2 per period, compact like the paper's: one row per cross-border region with its ICI specializations (with
   * their ICI projects), the specializations of its established clusters (with their names) and where the two meet.
   */
  private static List<Table2> table2(ReportQueries queries, List<String> periods, String initial) {
    Map<String, List<Row>> all = queries.byPeriod(Tables.GOLD_CLUSTER_COMPARISON, "region_name", "specialization");
    List<Table2> out = new ArrayList<>();
    for (String period : periods) {
      Map<String, List<Row>> byRegion = new LinkedHashMap<>();
      for (Row r : all.getOrDefault(period, List.of())) {
        if ("cross_border".equals(r.getAs("region_kind"))) {
          byRegion.computeIfAbsent(r.getAs("region_id"), k -> new ArrayList<>()).add(r);
        }
      }
      List<Table2Row> rows = new ArrayList<>();
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
        rows.add(new Table2Row(e.getKey(), e.getValue().get(0).getAs("region_name"), ici.isEmpty() ? "none" : String.join("; ", ici),
            clusters.isEmpty() ? "none" : String.join("; ", clusters), both.isEmpty() ? "none" : String.join(", ", both)));
      }
      out.add(new Table2(period, !period.equals(initial), rows));
    }
    return out;
  }

  /**
   * The urbanization scatter of every period (the share on the y axis, each point named in its tooltip, the least-squares
   * line of gold_correlations' ols_slope and ols_intercept over the same points), then per period the statistics of
   * gold_correlations, each with one plain sentence. Null when the Eurostat inputs had no urbanization indicator.
   */
  private static Urbanization urbanization(ReportQueries queries, List<String> periods, String initial, Map<String, List<Row>> shares,
      Map<String, String> names) {
    String indicator = "urban_population_share";
    if (!queries.hasColumn(Tables.GOLD_CORRELATION_POINTS, indicator)) {
      return null;
    }
    Map<String, Map<String, List<String>>> regionsOf = new TreeMap<>(); // period -> NUTS 2 -> cross-border region ids
    for (Row r : queries.rows(Tables.GOLD_REGION_FOOTPRINT, null, "period", "region_id", "nuts_code")) {
      String code = r.getAs("nuts_code");
      if (code != null && code.length() >= 4) {
        List<String> ids = regionsOf.computeIfAbsent(r.getAs("period"), k -> new TreeMap<>())
            .computeIfAbsent(code.substring(0, 4), k -> new ArrayList<>());
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
          && "ici_share".equals(r.getAs("measure")) && Arrays.asList(r.schema().fieldNames()).contains("ols_slope")
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
    String spec = VegaSpecs.scriptJson(VegaSpecs.urbanization(points, lines, initial, VegaSpecs.axisEnd(points.stream()
        .filter(m -> m.get("ici_share") != null).mapToDouble(m -> ((Number) m.get("ici_share")).doubleValue()).max().orElse(0))));
    List<UrbanizationPeriod> blocks = new ArrayList<>();
    for (String period : periods) {
      boolean noShare = shareless(shares.get(period));
      List<Statistic> statistics = noShare ? List.of() : stats.getOrDefault(period, List.of()).stream().map(r -> new Statistic(
          statisticSentence(r.getAs("level"), r.getAs("measure"), (Number) r.getAs("n"), (Double) r.getAs("pearson_r"),
              (Double) r.getAs("pearson_p"), (Double) r.getAs("pearson_r_bootstrap_low"), (Double) r.getAs("pearson_r_bootstrap_high")),
          levelWords(r.getAs("level")), measureWords(r.getAs("measure")), count(r.getAs("n")), decimal(r.getAs("pearson_r")),
          decimal(r.getAs("pearson_p")), r.getAs("pearson_r_bootstrap_low") == null ? "" : String.format(Locale.ROOT, "%.3f to %.3f",
              (Double) r.getAs("pearson_r_bootstrap_low"), (Double) r.getAs("pearson_r_bootstrap_high")),
          decimal(r.getAs("spearman_rho")), decimal(r.getAs("spearman_p")), decimal(r.getAs("kendall_tau")),
          decimal(r.getAs("kendall_p")))).toList();
      blocks.add(new UrbanizationPeriod(period, !period.equals(initial), noShare ? shareNullReason(shares.get(period)) : null,
          statistics));
    }
    return new Urbanization(spec, !lines.isEmpty(), blocks);
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

  private static List<Links> links(ReportQueries queries, List<String> periods, String initial, Map<String, String> names) {
    return periods.stream().map(period -> new Links(period, !period.equals(initial), queries.topLinks(period, 15).stream()
        .map(r -> new Link(r.getAs("nuts2_a") + " " + names.getOrDefault(r.<String>getAs("nuts2_a"), ""),
            r.getAs("nuts2_b") + " " + names.getOrDefault(r.<String>getAs("nuts2_b"), ""), count(r.getAs("shared_ici_projects")),
            count(r.getAs("shared_projects"))))
        .toList())).toList();
  }

  private static List<Completeness> completeness(List<String> periods, String initial, Map<String, List<Row>> shares) {
    List<Completeness> out = new ArrayList<>();
    for (String period : periods) {
      long projects = 0;
      long withText = 0;
      List<RegionNote> notes = new ArrayList<>();
      for (Row r : shares.get(period)) {
        projects += ((Number) r.getAs("projects")).longValue();
        withText += ((Number) r.getAs("projects_with_text")).longValue();
        String note = r.getAs("share") == null ? "no share: " + r.getAs("share_null_reason") : r.getAs("completeness_note");
        if (note != null && !note.isEmpty()) {
          notes.add(new RegionNote(r.getAs("region_name"), note));
        }
      }
      out.add(new Completeness(period, !period.equals(initial), notes, withText, projects));
    }
    return out;
  }

  private static List<Provenance> provenance(ReportQueries queries) {
    if (!queries.exists(Tables.DUMP_PROVENANCE)) {
      return List.of();
    }
    return queries.rows(Tables.DUMP_PROVENANCE, null, "period", "kind", "source_file").stream()
        .map(r -> new Provenance(r.getAs("period"), r.getAs("kind"), new Path(r.<String>getAs("source_file")).getName(),
            String.format(Locale.ROOT, "%,d", r.<Long>getAs("rows")), String.format(Locale.ROOT, "%,d", r.<Long>getAs("bytes")),
            r.<String>getAs("sha256").substring(0, 12),
            r.getAs("export_date") == null ? "on an unknown date" : r.getAs("export_date").toString()))
        .toList();
  }

  private static Audit audit(ReportQueries queries) {
    ReportQueries.AuditTotals audit = queries.lastAudit();
    if (audit == null) {
      return null;
    }
    String balance = audit.unbalanced() == 0 ? "every one of its " + audit.files() + " files balanced"
        : audit.unbalanced() + " of its " + audit.files() + " files NOT balanced (see ingest_audit)";
    return new Audit(audit.runId(), String.format(Locale.ROOT, "%,d", audit.read()), String.format(Locale.ROOT, "%,d", audit.accepted()),
        String.format(Locale.ROOT, "%,d", audit.quarantined()), balance);
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
}
