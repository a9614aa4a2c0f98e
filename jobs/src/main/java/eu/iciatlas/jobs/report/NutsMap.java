package eu.iciatlas.jobs.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.union.UnaryUnionOp;

/**
 * Figure 1: NUTS 2 regions coloured by ICI projects, with the regions of the definition outlined.
 * Geometries: GISCO NUTS 1:20M in Web Mercator (EPSG:3857), packaged in the jar for 2016 and 2021.
 * Outputs in NUTS 2016 or 2021 are drawn on their own version; NUTS 2013 on the 2016 shapes and
 * NUTS 2024 on the 2021 shapes (the sample bundles no 2024 geometries), a code the shapes lack
 * drawn as its counterparts in the JRC conversion matrix (LT00 -> LT01, LT02), with a note.
 */
final class NutsMap {
  static final List<Integer> GEOMETRY_VERSIONS = List.of(2016, 2021);
  static final String[] CLASS_COLOURS = {"#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"};
  static final String[] CLASS_LABELS = {"0", "1", "2-3", "4-7", "8 or more"};
  static final String[] OUTLINE_COLOURS = {"#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
      "#bcbd22", "#17becf", "#7f7f7f", "#1f77b4", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94"};

  private static final Map<Integer, List<Shapefile.Feature>> FEATURES = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<Shapefile.Feature> features;
  private final GeometryFactory factory = new GeometryFactory();
  private final Map<String, Shapefile.Feature> byCode = new LinkedHashMap<>();

  /** One outlined region: its id, name and the NUTS codes (any level) that make up its area. */
  record Outline(String id, String name, Collection<String> nutsCodes) {}

  private final int dataVersion;
  private final int geometryVersion;
  /** Data-version code -> its geometry-version codes (JRC conversion matrix), for codes the geometries lack. */
  private final Map<String, List<String>> counterpartsOf;

  /** The bundled geometry version a data version is drawn on: its own, else the nearest bundled one. */
  static int geometryVersion(int dataVersion) {
    return GEOMETRY_VERSIONS.stream().min(java.util.Comparator.comparingInt((Integer g) -> Math.abs(g - dataVersion))
        .thenComparing(g -> g)).orElseThrow();
  }

  NutsMap(int dataVersion, Map<String, List<String>> counterpartsOf) {
    this.dataVersion = dataVersion;
    this.geometryVersion = geometryVersion(dataVersion);
    this.counterpartsOf = counterpartsOf;
    this.features = FEATURES.computeIfAbsent(geometryVersion,
        v -> Shapefile.read("/ici-atlas-geometries/NUTS_RG_20M_" + v + "_3857"));
    for (Shapefile.Feature f : features) {
      byCode.put(f.attributes().get("NUTS_ID"), f);
    }
    if (dataVersion != geometryVersion) {
      notes.add("NUTS " + dataVersion + " regions drawn on the GISCO NUTS " + geometryVersion + " shapes"
          + (GEOMETRY_VERSIONS.contains(dataVersion) ? "" : " (no NUTS " + dataVersion + " geometries are bundled)")
          + "; a region whose code the shapes lack is drawn as its counterparts in the JRC conversion matrix");
    }
  }

  int geometryVersion() {
    return geometryVersion;
  }

  static int colourClass(long iciProjects) {
    return iciProjects <= 0 ? 0 : iciProjects == 1 ? 1 : iciProjects <= 3 ? 2 : iciProjects <= 7 ? 3 : 4;
  }

  /** Notes on what was drawn, for the page. */
  final List<String> notes = new ArrayList<>();

  /**
   * The SVG: every NUTS 2 region inside the outlined regions' bounding box (plus a margin),
   * filled by its class of ICI projects (regions without projects grey), and one outline per region.
   */
  String svg(Map<String, Long> iciProjectsByNuts2, List<Outline> outlines, int width) {
    Map<String, Long> values = successors(iciProjectsByNuts2);
    Envelope box = new Envelope();
    Map<Outline, Geometry> areas = new LinkedHashMap<>();
    for (Outline o : outlines) {
      List<Geometry> parts = new ArrayList<>();
      for (String code : o.nutsCodes()) {
        List<String> drawn = drawable(code);
        if (drawn.isEmpty()) {
          notes.add("NUTS code " + code + " of " + o.name() + " has no NUTS " + geometryVersion
              + " geometry or counterpart; not drawn");
        }
        for (String c : drawn) {
          parts.add(geometry(byCode.get(c)));
        }
      }
      if (!parts.isEmpty()) {
        Geometry area = UnaryUnionOp.union(parts);
        areas.put(o, area);
        box.expandToInclude(area.getEnvelopeInternal());
      }
    }
    if (box.isNull()) {
      for (String code : values.keySet()) {
        if (byCode.containsKey(code)) {
          box.expandToInclude(geometry(byCode.get(code)).getEnvelopeInternal());
        }
      }
    }
    if (box.isNull()) {
      return "<p>No region to draw.</p>";
    }
    box.expandBy(box.getWidth() * 0.05, box.getHeight() * 0.05);
    double scale = width / box.getWidth();
    int height = (int) Math.round(box.getHeight() * scale);
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg id='figure1-map' xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
        + "viewBox='0 0 %d %d' role='img' aria-label='Map of NUTS 2 regions by ICI projects'>", width, height, width, height));
    svg.append("<rect width='100%' height='100%' fill='#e8f1f8'/>");
    for (Shapefile.Feature f : features) {
      if (!"2".equals(f.attributes().get("LEVL_CODE"))) {
        continue;
      }
      Geometry g = geometry(f);
      if (!g.getEnvelopeInternal().intersects(box)) {
        continue;
      }
      String code = f.attributes().get("NUTS_ID");
      Long v = values.get(code);
      String fill = v == null ? "#d9d9d9" : CLASS_COLOURS[colourClass(v)];
      svg.append("<path class='nuts2' data-nuts='").append(Html.escape(code)).append("' fill='").append(fill)
          .append("' stroke='#ffffff' stroke-width='0.6' fill-rule='evenodd' d='").append(path(f.rings(), box, scale))
          .append("'><title>").append(Html.escape(code + " " + f.attributes().get("NAME_LATN") + ": "
              + (v == null ? "no projects" : v + " ICI project(s)"))).append("</title></path>");
    }
    int i = 0;
    for (Map.Entry<Outline, Geometry> e : areas.entrySet()) {
      String colour = OUTLINE_COLOURS[i++ % OUTLINE_COLOURS.length];
      svg.append("<path class='region-outline' data-region='").append(Html.escape(e.getKey().id()))
          .append("' fill='none' stroke='").append(colour).append("' stroke-width='2.2' stroke-opacity='0.9' d='")
          .append(path(rings(e.getValue()), box, scale)).append("'><title>").append(Html.escape(e.getKey().name()))
          .append("</title></path>");
    }
    svg.append("</svg>");
    return svg.toString();
  }

  /** Legend entries of the outlines in drawing order. */
  static String outlineColour(int index) {
    return OUTLINE_COLOURS[index % OUTLINE_COLOURS.length];
  }

  /**
   * Values by geometry code: a code the geometries lack passes its value to its counterparts that
   * have none. Where several such codes share a counterpart (NUTS 2024 PT1A and PT1B are both
   * NUTS 2021 PT17), the shape shows the largest of their counts, and a note says so: a project
   * with partners in both counts in each, so their sum could count it twice.
   */
  private Map<String, Long> successors(Map<String, Long> values) {
    Map<String, Long> out = new TreeMap<>(values);
    Map<String, List<String>> sources = new TreeMap<>();
    for (Map.Entry<String, Long> e : values.entrySet()) {
      List<String> heirs = new ArrayList<>();
      for (String c : drawable(e.getKey())) {
        if (!c.equals(e.getKey()) && !values.containsKey(c)) {
          heirs.add(c);
          out.merge(c, e.getValue(), Math::max);
          sources.computeIfAbsent(c, k -> new ArrayList<>()).add(e.getKey());
        }
      }
      if (!heirs.isEmpty()) {
        notes.add("NUTS " + dataVersion + " region " + e.getKey() + " is drawn as its NUTS " + geometryVersion
            + " counterpart(s) " + String.join(", ", heirs));
      }
    }
    sources.forEach((shape, codes) -> {
      if (codes.size() > 1) {
        notes.add("NUTS " + geometryVersion + " shape " + shape + " stands for NUTS " + dataVersion + " regions "
            + String.join(", ", codes) + " and shows the largest of their ICI project counts (" + out.get(shape)
            + "; a project may have partners in several of them)");
      }
    });
    return out;
  }

  /** The geometry codes for a code: itself if drawn, else its counterparts in the conversion matrix. */
  private List<String> drawable(String code) {
    if (byCode.containsKey(code)) {
      return List.of(code);
    }
    return counterpartsOf.getOrDefault(code, List.of()).stream().filter(byCode::containsKey).toList();
  }

  /** Shapefile rings: clockwise = shell, counter-clockwise = hole of the shell that contains it. */
  private Geometry geometry(Shapefile.Feature f) {
    List<LinearRing> shells = new ArrayList<>();
    List<LinearRing> holes = new ArrayList<>();
    for (double[] ring : f.rings()) {
      Coordinate[] cs = new Coordinate[ring.length / 2];
      for (int k = 0; k < cs.length; k++) {
        cs[k] = new Coordinate(ring[2 * k], ring[2 * k + 1]);
      }
      if (cs.length < 4) {
        continue;
      }
      LinearRing r = factory.createLinearRing(cs);
      (Orientation.isCCW(cs) ? holes : shells).add(r);
    }
    List<Polygon> polygons = new ArrayList<>();
    for (LinearRing shell : shells) {
      Polygon bare = factory.createPolygon(shell);
      List<LinearRing> own = new ArrayList<>();
      for (LinearRing h : holes) {
        if (bare.contains(factory.createPoint(h.getCoordinateN(0)))) {
          own.add(h);
        }
      }
      polygons.add(factory.createPolygon(shell, own.toArray(new LinearRing[0])));
    }
    return factory.createMultiPolygon(polygons.toArray(new Polygon[0])).buffer(0);
  }

  private static List<double[]> rings(Geometry g) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < g.getNumGeometries(); i++) {
      Polygon p = (Polygon) g.getGeometryN(i);
      out.add(flat(p.getExteriorRing().getCoordinates()));
      for (int h = 0; h < p.getNumInteriorRing(); h++) {
        out.add(flat(p.getInteriorRingN(h).getCoordinates()));
      }
    }
    return out;
  }

  private static double[] flat(Coordinate[] cs) {
    double[] out = new double[cs.length * 2];
    for (int k = 0; k < cs.length; k++) {
      out[2 * k] = cs[k].x;
      out[2 * k + 1] = cs[k].y;
    }
    return out;
  }

  /** SVG path data in pixels: x from the box's west edge, y flipped from its north edge. */
  private static String path(List<double[]> rings, Envelope box, double scale) {
    StringBuilder d = new StringBuilder();
    for (double[] ring : rings) {
      for (int k = 0; k < ring.length / 2; k++) {
        d.append(k == 0 ? 'M' : 'L').append(String.format(Locale.ROOT, "%.1f,%.1f",
            (ring[2 * k] - box.getMinX()) * scale, (box.getMaxY() - ring[2 * k + 1]) * scale));
      }
      d.append('Z');
    }
    return d.toString();
  }
}
