package eu.iciatlas.jobs.report;

import static eu.iciatlas.jobs.report.Html.dec;
import static eu.iciatlas.jobs.report.Html.num;
import static eu.iciatlas.jobs.report.Html.pct;

import eu.iciatlas.common.Tables;
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
 * {@link ReportQueries}.
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

  void render(StringBuilder h, String period) {
    h.append("<h2>Inter-organizational linkages</h2>\n<p class='note'>Organisation networks: nodes are organisations "
        + "(de-duplicated by normalised name, town and country), an edge joins two that share a project of the region. "
        + "Density 2E / (N (N - 1)); clustering: 3 &times; triangles / connected triples; cross-border: share of edges "
        + "between organisations of different countries. All figures in <code>gold_network_summary</code>; the NUTS 2 "
        + "networks are there too.</p>\n");
    List<Row> summary = queries.networkSummary(period);
    Map<String, Row[]> byRegion = new LinkedHashMap<>();
    for (Row r : summary) {
      Row[] pair = byRegion.computeIfAbsent(r.getAs("region_id"), k -> new Row[2]);
      pair["all".equals(r.getAs("scope")) ? 0 : 1] = r;
    }
    h.append("<div class='wide'><table class='network-summary' style='font-size:.8em'><tr><th rowspan='2'>region</th><th colspan='8'>all projects</th>"
        + "<th colspan='5'>ICI projects</th></tr>\n<tr><th>projects</th><th>organisations</th><th>edges</th><th>density</th>"
        + "<th>mean degree</th><th>components</th><th>largest</th><th>clustering</th>"
        + "<th>organisations</th><th>edges</th><th>density</th><th>clustering</th><th>cross-border</th></tr>\n");
    for (Row[] pair : byRegion.values()) {
      Row all = pair[0];
      Row ici = pair[1];
      if (all == null) {
        continue;
      }
      h.append("<tr><td>").append(Html.escape(all.getAs("region_name"))).append("</td>")
          .append(num(all.getAs("projects"))).append(num(all.getAs("nodes"))).append(num(all.getAs("edges")))
          .append(dec(all.getAs("density"))).append(dec(all.getAs("mean_degree"))).append(num(all.getAs("components")))
          .append(pct(all.getAs("largest_component_share"))).append(dec(all.getAs("clustering")));
      if (ici == null) {
        h.append("<td colspan='5' class='note'>no ICI project</td>");
      } else {
        h.append(num(ici.getAs("nodes"))).append(num(ici.getAs("edges"))).append(dec(ici.getAs("density")))
            .append(dec(ici.getAs("clustering"))).append(pct(ici.getAs("cross_border_share")));
      }
      h.append("</tr>\n");
    }
    h.append("</table></div>\n");
    List<String> notes = summary.stream().filter(r -> "all".equals(r.getAs("scope")) && r.getAs("completeness_note") != null
        && ((String) r.getAs("completeness_note")).startsWith("no project")).map(r -> r.<String>getAs("region_name")).toList();
    if (!notes.isEmpty()) {
      h.append("<p class='note'>No edges in ").append(Html.escape(String.join(", ", notes)))
          .append(": the input lists one partner per project there (lead partners only), so these networks are not measured "
              + "by the figures above.</p>\n");
    }
    brokers(h, period);
    pictures(h, period);
  }

  private void brokers(StringBuilder h, String period) {
    List<Row> top = queries.topBrokers(period, 3);
    h.append("<h3>Top brokers</h3>\n<p class='note'>Organisations with ties in two or more countries other than their own, "
        + "by betweenness (the share of shortest paths between other organisations that pass through them; "
        + "estimated from a sample of sources in the largest networks, see <code>betweenness_sources</code>).</p>\n"
        + "<table class='network-brokers'><tr><th>region</th><th>organisation</th><th>country</th><th>betweenness</th>"
        + "<th>degree</th><th>countries tied</th></tr>\n");
    for (Row r : top) {
      h.append("<tr><td>").append(Html.escape(r.getAs("region_name"))).append("</td><td>").append(Html.escape(r.getAs("organisation")))
          .append("</td><td>").append(Html.escape(r.getAs("country_code"))).append("</td>").append(dec(r.getAs("betweenness")))
          .append(num(r.getAs("degree"))).append(num(r.getAs("foreign_countries_tied"))).append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private void pictures(StringBuilder h, String period) {
    List<Row> largest = queries.largestIciNetworks(period, PICTURED_REGIONS);
    if (largest.isEmpty()) {
      h.append("<p class='note'>No region has an ICI network with edges in this period.</p>\n");
      return;
    }
    // the pictures redraw the networks from the classification; an output analysed by an earlier version has none
    if (!queries.hasClassification(period)) {
      h.append("<p class='note'>No pictures of the networks: this output has no ").append(Tables.SILVER_PROJECT_CLASSIFICATION)
          .append(" rows of ").append(Html.escape(period)).append(" (analysed by an earlier version); run <code>bin/ici-atlas "
              + "analyse --output DIR</code> to draw them.</p>\n");
      return;
    }
    List<String> ids = largest.stream().map(r -> r.<String>getAs("region_id")).toList();
    Map<String, List<Row>> edges = queries.iciEdges(period, ids);
    Map<String, List<Row>> nodes = queries.iciOrganisations(period, ids);
    Map<String, Color> colours = countryColours(nodes);
    h.append("<h3>ICI networks of the largest regions</h3>\n<p class='note'>Organisations of ICI projects on a circle, grouped "
        + "by country (colour), size by degree; a line is a shared ICI project (thicker: more). The ")
        .append(largest.size()).append(" regions with the most organisations in ICI projects.</p>\n<div class='network-pictures'>");
    for (Row region : largest) {
      String id = region.getAs("region_id");
      h.append("<figure style='display:inline-block;margin:0 1em 1em 0'>")
          .append(picture(id + "-" + period, nodes.getOrDefault(id, List.of()), edges.getOrDefault(id, List.of()), colours))
          .append("<figcaption>").append(Html.escape(region.getAs("region_name"))).append(": ")
          .append(region.<Long>getAs("nodes")).append(" organisations, ").append(region.<Long>getAs("edges"))
          .append(" ties</figcaption></figure>");
    }
    h.append("</div>\n<p class='legend'>");
    colours.forEach((country, colour) -> h.append("<span style='background:").append(hex(colour)).append("'></span>")
        .append(Html.escape(country)));
    h.append("</p>\n");
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
