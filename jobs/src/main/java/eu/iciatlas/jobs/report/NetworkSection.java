package eu.iciatlas.jobs.report;

import static eu.iciatlas.jobs.report.Html.count;
import static eu.iciatlas.jobs.report.Html.decimal;
import static eu.iciatlas.jobs.report.Html.percent;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's linkage section: per region the figures of gold_network_summary (organisation
 * networks, all projects and ICI projects), the top brokers of gold_network_organisations, and a
 * picture of the ICI networks of the largest regions. The picture places the organisations on a
 * circle grouped by country (a deterministic layout that needs no force simulation and keeps each
 * country's ties to the others visible as chords); its edges come from NetworkTables.edges over the
 * silver tables, the code the gold tables use, restricted to the pictured regions. The rows come from
 * {@link ReportQueries}; the section is read into a {@link Model}, which network.mustache lays out.
 */
final class NetworkSection {
  /** Colorbrewer "Paired" (12 classes, qualitative); countries beyond the 11 largest share the grey. */
  private static final Color[] PALETTE = {new Color(0x1f78b4), new Color(0x33a02c), new Color(0xe31a1c),
      new Color(0xff7f00), new Color(0x6a3d9a), new Color(0xb15928), new Color(0xa6cee3), new Color(0xb2df8a),
      new Color(0xfb9a99), new Color(0xfdbf6f), new Color(0xcab2d6)};
  private static final Color OTHER = new Color(0x999999);
  static final int PICTURED_REGIONS = 3;

  private final ReportQueries queries;

  NetworkSection(ReportQueries queries) {
    this.queries = queries;
  }

  /** One period's linkage section; {@code network.mustache} lays it out. */
  record Model(List<SummaryRow> summary, String regionsWithoutEdges, List<Broker> brokers, boolean noPictures,
      boolean withoutClassification, Pictures pictures) {}

  /** A region's organisation network of all projects, and of its ICI projects ({@code ici} null without any). */
  record SummaryRow(String regionName, String projects, String organisations, String edges, String density, String meanDegree,
      String components, String largestComponentShare, String clustering, IciFigures ici) {}

  record IciFigures(String organisations, String edges, String density, String clustering, String crossBorderShare) {}

  record Broker(String regionName, String organisation, String country, String betweenness, String degree, String countriesTied) {}

  record Pictures(int count, List<Picture> figures, List<LegendEntry> legend) {}

  record Picture(String svg, String regionName, long organisations, long ties) {}

  record LegendEntry(String colour, String country) {}

  Model read(String period) {
    List<Row> summary = queries.networkSummary(period);
    Map<String, Row[]> byRegion = new LinkedHashMap<>();
    for (Row r : summary) {
      Row[] pair = byRegion.computeIfAbsent(r.getAs("region_id"), k -> new Row[2]);
      pair["all".equals(r.getAs("scope")) ? 0 : 1] = r;
    }
    List<SummaryRow> rows = new ArrayList<>();
    for (Row[] pair : byRegion.values()) {
      Row all = pair[0];
      Row ici = pair[1];
      if (all != null) {
        rows.add(new SummaryRow(all.getAs("region_name"), count(all.getAs("projects")), count(all.getAs("nodes")),
            count(all.getAs("edges")), decimal(all.getAs("density")), decimal(all.getAs("mean_degree")),
            count(all.getAs("components")), percent(all.getAs("largest_component_share")), decimal(all.getAs("clustering")),
            ici == null ? null : new IciFigures(count(ici.getAs("nodes")), count(ici.getAs("edges")), decimal(ici.getAs("density")),
                decimal(ici.getAs("clustering")), percent(ici.getAs("cross_border_share")))));
      }
    }
    List<String> withoutEdges = summary.stream().filter(r -> "all".equals(r.getAs("scope")) && r.getAs("completeness_note") != null
        && ((String) r.getAs("completeness_note")).startsWith("no project")).map(r -> r.<String>getAs("region_name")).toList();
    List<Broker> brokers = queries.topBrokers(period, 3).stream().map(r -> new Broker(r.getAs("region_name"), r.getAs("organisation"),
        r.getAs("country_code"), decimal(r.getAs("betweenness")), count(r.getAs("degree")), count(r.getAs("foreign_countries_tied"))))
        .toList();
    List<Row> largest = queries.largestIciNetworks(period, PICTURED_REGIONS);
    // the pictures redraw the networks from the classification; an output analysed by an earlier version has none
    boolean withoutClassification = !largest.isEmpty() && !queries.hasClassification(period);
    return new Model(rows, withoutEdges.isEmpty() ? null : String.join(", ", withoutEdges), brokers, largest.isEmpty(),
        withoutClassification, largest.isEmpty() || withoutClassification ? null : pictures(period, largest));
  }

  private Pictures pictures(String period, List<Row> largest) {
    List<String> ids = largest.stream().map(r -> r.<String>getAs("region_id")).toList();
    Map<String, List<Row>> edges = queries.iciEdges(period, ids);
    Map<String, List<Row>> nodes = queries.iciOrganisations(period, ids);
    Map<String, Color> colours = countryColours(nodes);
    List<Picture> figures = new ArrayList<>();
    for (Row region : largest) {
      String id = region.getAs("region_id");
      figures.add(new Picture(picture(id + "-" + period, nodes.getOrDefault(id, List.of()), edges.getOrDefault(id, List.of()), colours),
          region.getAs("region_name"), region.<Long>getAs("nodes"), region.<Long>getAs("edges")));
    }
    List<LegendEntry> legend = new ArrayList<>();
    colours.forEach((country, colour) -> legend.add(new LegendEntry(hex(colour), country)));
    return new Pictures(largest.size(), figures, legend);
  }

  /** The 11 countries with the most pictured organisations get their own colour, in that order; the rest grey. */
  private static Map<String, Color> countryColours(Map<String, List<Row>> nodes) {
    Map<String, Integer> counts = new HashMap<>();
    nodes.values().forEach(list -> list.forEach(n -> counts.merge(country(n), 1, Integer::sum)));
    Map<String, Color> colours = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> colours.put(e.getKey(), colours.size() < PALETTE.length ? PALETTE[colours.size()] : OTHER));
    return colours;
  }

  private static String country(Row node) {
    return node.getString(2) == null ? "unknown" : node.getString(2);
  }

  private static String picture(String id, List<Row> nodes, List<Row> edges, Map<String, Color> colours) {
    int size = 340;
    double centre = size / 2.0;
    double radius = size / 2.0 - 24;
    SVGGraphics2D g = new SVGGraphics2D(size, size);
    g.setBackground(Color.WHITE);
    g.clearRect(0, 0, size, size);
    Map<String, double[]> position = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      double angle = 2 * Math.PI * i / nodes.size() - Math.PI / 2;
      position.put(nodes.get(i).getString(1), new double[] {centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)});
    }
    g.setColor(new Color(120, 120, 120, 90));
    for (Row e : edges) {
      double[] a = position.get(e.getString(1));
      double[] b = position.get(e.getString(2));
      if (a != null && b != null) {
        g.setStroke(new BasicStroke((float) Math.min(4, 0.6 + 0.6 * (e.getLong(3) - 1))));
        g.draw(new Line2D.Double(a[0], a[1], b[0], b[1]));
      }
    }
    for (Row n : nodes) {
      double[] p = position.get(n.getString(1));
      double r = 2.5 + Math.sqrt(((Number) n.get(3)).doubleValue());
      g.setColor(colours.getOrDefault(country(n), OTHER));
      g.fill(new Ellipse2D.Double(p[0] - r, p[1] - r, 2 * r, 2 * r));
    }
    g.setFont(new Font("SansSerif", Font.PLAIN, 11));
    g.setColor(Color.DARK_GRAY);
    // a country label at the middle of its arc
    Map<String, int[]> arcs = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      arcs.computeIfAbsent(country(nodes.get(i)), k -> new int[] {Integer.MAX_VALUE, -1});
      int[] arc = arcs.get(country(nodes.get(i)));
      arc[0] = Math.min(arc[0], i);
      arc[1] = Math.max(arc[1], i);
    }
    arcs.forEach((country, arc) -> {
      double angle = 2 * Math.PI * ((arc[0] + arc[1]) / 2.0) / nodes.size() - Math.PI / 2;
      g.drawString(country, (float) (centre + (radius + 13) * Math.cos(angle) - 7), (float) (centre + (radius + 13) * Math.sin(angle) + 4));
    });
    return g.getSVGElement("network-" + id);
  }

  private static String hex(Color c) {
    return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
  }
}
