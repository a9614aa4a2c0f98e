package eu.iciatlas.jobs.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Figure 1's shapes: NUTS 2 regions with their ICI share, and the regions of the definition as outlines (drawn by
 * {@link VegaSpecs#map}).
 * Geometries: GISCO NUTS 1:20M in Web Mercator (EPSG:3857), packaged in the jar for 2016 and 2021.
 * Outputs in NUTS 2016 or 2021 are drawn on their own version; NUTS 2013 on the 2016 shapes and
 * NUTS 2024 on the 2021 shapes (the sample bundles no 2024 geometries), a code the shapes lack
 * drawn as its counterparts in the JRC conversion matrix (LT00 -> LT01, LT02), with a note.
 */
final class NutsMap {
  static final List<Integer> GEOMETRY_VERSIONS = List.of(2016, 2021);

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

  /** Notes on what was drawn, for the page. */
  final List<String> notes = new ArrayList<>();

  /** A NUTS 2 region's value: its ICI projects and ICI share (null: no share). */
  record Value(long iciProjects, Double iciShare) {}

  /** GeoJSON features of one period: the NUTS 2 regions around the outlines, and the outlines. */
  record Features(List<Map<String, Object>> nuts2, List<Map<String, Object>> outlines, double aspect) {}

  /**
   * Every NUTS 2 region inside the outlined regions' bounding box (plus a margin), with its value
   * where it has one, and one feature per outlined region (the union of its NUTS codes), as GeoJSON
   * features in EPSG:3857 metres rounded to 100 m (finer than a pixel of the page's map), each
   * carrying the period so that one chart holds all periods.
   */
  Features features(String period, Map<String, Value> valuesByNuts2, List<Outline> outlines) {
    Map<String, Value> values = successors(valuesByNuts2);
    Envelope box = new Envelope();
    List<Map<String, Object>> outlineFeatures = new ArrayList<>();
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
        box.expandToInclude(area.getEnvelopeInternal());
        outlineFeatures.add(feature(polygons(area), Map.of("period", period, "region_id", o.id(), "name", o.name())));
      }
    }
    if (box.isNull()) {
      for (String code : values.keySet()) {
        if (byCode.containsKey(code)) {
          box.expandToInclude(geometry(byCode.get(code)).getEnvelopeInternal());
        }
      }
    }
    List<Map<String, Object>> regions = new ArrayList<>();
    if (box.isNull()) {
      return new Features(regions, outlineFeatures, 1);
    }
    box.expandBy(box.getWidth() * 0.05, box.getHeight() * 0.05);
    for (Shapefile.Feature f : features) {
      if (!"2".equals(f.attributes().get("LEVL_CODE"))) {
        continue;
      }
      Geometry g = geometry(f);
      if (!g.getEnvelopeInternal().intersects(box)) {
        continue;
      }
      String code = f.attributes().get("NUTS_ID");
      Value v = values.get(code);
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("period", period);
      properties.put("nuts_id", code);
      properties.put("name", f.attributes().get("NAME_LATN"));
      properties.put("ici_projects", v == null ? null : v.iciProjects());
      properties.put("ici_share", v == null ? null : v.iciShare());
      regions.add(feature(polygons(g), properties));
    }
    return new Features(regions, outlineFeatures, box.getHeight() / box.getWidth());
  }

  private static Map<String, Object> feature(List<List<List<long[]>>> polygons, Map<String, Object> properties) {
    Map<String, Object> geometry = new LinkedHashMap<>();
    geometry.put("type", "MultiPolygon");
    geometry.put("coordinates", polygons);
    Map<String, Object> feature = new LinkedHashMap<>();
    feature.put("type", "Feature");
    feature.put("properties", properties);
    feature.put("geometry", geometry);
    return feature;
  }

  /** GeoJSON MultiPolygon coordinates: polygons of rings of [x, y], rounded to 100 m. */
  private static List<List<List<long[]>>> polygons(Geometry g) {
    List<List<List<long[]>>> out = new ArrayList<>();
    for (int i = 0; i < g.getNumGeometries(); i++) {
      Polygon p = (Polygon) g.getGeometryN(i);
      List<List<long[]>> rings = new ArrayList<>();
      rings.add(ring(p.getExteriorRing().getCoordinates()));
      for (int h = 0; h < p.getNumInteriorRing(); h++) {
        rings.add(ring(p.getInteriorRingN(h).getCoordinates()));
      }
      out.add(rings);
    }
    return out;
  }

  private static List<long[]> ring(Coordinate[] cs) {
    List<long[]> out = new ArrayList<>(cs.length);
    for (Coordinate c : cs) {
      long[] point = {Math.round(c.x / 100) * 100, Math.round(c.y / 100) * 100};
      if (out.isEmpty() || !java.util.Arrays.equals(out.get(out.size() - 1), point)) {
        out.add(point);
      }
    }
    return out;
  }

  /**
   * Values by geometry code: a code the geometries lack passes its value to its counterparts that
   * have none. Where several such codes share a counterpart (NUTS 2024 PT1A and PT1B are both
   * NUTS 2021 PT17), the shape shows the one with the most ICI projects, and a note says so: a
   * project with partners in both counts in each, so their sum could count it twice.
   */
  private Map<String, Value> successors(Map<String, Value> values) {
    Map<String, Value> out = new TreeMap<>(values);
    Map<String, List<String>> sources = new TreeMap<>();
    for (Map.Entry<String, Value> e : values.entrySet()) {
      List<String> heirs = new ArrayList<>();
      for (String c : drawable(e.getKey())) {
        if (!c.equals(e.getKey()) && !values.containsKey(c)) {
          heirs.add(c);
          out.merge(c, e.getValue(), (a, b) -> a.iciProjects() >= b.iciProjects() ? a : b);
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
            + String.join(", ", codes) + " and shows the one with the most ICI projects (" + out.get(shape).iciProjects()
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
}
