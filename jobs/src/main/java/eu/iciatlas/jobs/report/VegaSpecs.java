package eu.iciatlas.jobs.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The report's charts as Vega-Lite specifications (JSON built here, drawn in the browser by the
 * inlined Vega-Lite). Every chart holds the rows of all periods and two parameters, {@code period}
 * and {@code region}, that the page's selectors set: the period filters the rows, the region
 * (a cross-border region id, or '' for all) highlights its bar, outline or NUTS 2 points.
 */
final class VegaSpecs {
  // maps by key: Map.of iterates in an order that changes from JVM to JVM, and a rerun should write the same page
  static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  static final String HIGHLIGHT = "#2171b5";
  static final String DIMMED = "#a6bddb";
  static final String NO_VALUE = "#d9d9d9";

  private VegaSpecs() {}

  /** Figure 2: the count share per cross-border region with the expected share's 95 % interval as a line. */
  static ObjectNode shares(List<Map<String, Object>> rows, String period, double maxShare) {
    ObjectNode spec = base(rows, period, 640);
    spec.putObject("height").put("step", 22);
    filter(spec, "datum.period == period && datum.region_kind == 'cross_border' && isValid(datum.share)");
    ArrayNode layers = spec.putArray("layer");
    ObjectNode bar = layers.addObject();
    bar.putObject("mark").put("type", "bar").put("tooltip", true);
    ObjectNode enc = bar.putObject("encoding");
    enc.set("y", byShare());
    enc.set("x", percent("share", "ICI projects / projects of the region", maxShare));
    enc.set("color", highlight("datum.region_id == region"));
    enc.set("tooltip", tooltip(new String[][] {{"region_name", "region"}, {"projects", "projects"}, {"ici_projects", "ICI projects"},
        {"share", "share", ".1%"}, {"expected_share", "expected share", ".1%"}, {"expected_share_low", "95 % interval from", ".1%"},
        {"expected_share_high", "95 % interval to", ".1%"}}));
    ObjectNode interval = layers.addObject();
    interval.putArray("transform").addObject().put("filter", "isValid(datum.expected_share_low)");
    interval.putObject("mark").put("type", "rule").put("color", "#333333").put("strokeWidth", 1.5);
    ObjectNode ienc = interval.putObject("encoding");
    ienc.set("y", byShare());
    ObjectNode low = field("expected_share_low", "quantitative", null);
    low.putObject("scale").putArray("domain").add(0).add(maxShare);
    ienc.set("x", low);
    ienc.set("x2", JSON.createObjectNode().put("field", "expected_share_high"));
    return spec;
  }

  /** Figure 3: share of cross-border regions with ICIs of each specialization. */
  static ObjectNode specializations(List<Map<String, Object>> rows, String period, double maxShare) {
    ObjectNode spec = base(rows, period, 640);
    spec.putObject("height").put("step", 22);
    filter(spec, "datum.period == period");
    spec.putObject("mark").put("type", "bar").put("tooltip", true).put("color", HIGHLIGHT);
    ObjectNode enc = spec.putObject("encoding");
    enc.set("y", field("label", "nominal", null).put("sort", "-x"));
    enc.set("x", percent("share_of_regions", "cross-border regions with ICIs of the specialization", maxShare));
    enc.set("tooltip", tooltip(new String[][] {{"label", "specialization"}, {"regions_with_specialization", "regions with it"},
        {"regions", "cross-border regions"}, {"share_of_regions", "share of regions", ".1%"}, {"ici_projects", "ICI projects"}}));
    return spec;
  }

  /**
   * Figure 1: NUTS 2 regions coloured by their ICI share (grey: no share), the cross-border regions
   * outlined in one style (the chosen one thicker, in red). Geometries in EPSG:3857 metres, drawn
   * with the identity projection (planar, so ring order does not matter), north up.
   */
  static ObjectNode map(List<Map<String, Object>> nuts2, List<Map<String, Object>> outlines, String period, int width, int height) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("width", width).put("height", height);
    params(spec, period);
    spec.putObject("projection").put("type", "identity").put("reflectY", true);
    ArrayNode layers = spec.putArray("layer");
    ObjectNode regions = layers.addObject();
    regions.putObject("data").set("values", JSON.valueToTree(nuts2));
    regions.putArray("transform").addObject().put("filter", "datum.properties.period == period");
    // invalid: null keeps the regions without a share (Vega-Lite drops them by default) so that they are drawn grey
    regions.putObject("mark").put("type", "geoshape").put("stroke", "#ffffff").put("strokeWidth", 0.6).put("tooltip", true)
        .putNull("invalid");
    ObjectNode renc = regions.putObject("encoding");
    ObjectNode colour = field("properties.ici_share", "quantitative", null);
    colour.putObject("scale").put("scheme", "blues").putArray("domain").add(0).add(1);
    colour.putObject("legend").put("title", "ICI share of the projects with a partner in the region").put("format", ".0%")
        .put("orient", "bottom").put("direction", "horizontal").put("gradientLength", 320).put("titleLimit", 500);
    colour.putObject("condition").put("test", "!isValid(datum.properties.ici_share)").put("value", NO_VALUE);
    renc.set("color", colour);
    renc.set("tooltip", tooltip(new String[][] {{"properties.nuts_id", "NUTS 2"}, {"properties.name", "name"},
        {"properties.ici_projects", "ICI projects"}, {"properties.ici_share", "ICI share", ".1%"}}));
    ObjectNode lines = layers.addObject();
    lines.putObject("data").set("values", JSON.valueToTree(outlines));
    lines.putArray("transform").addObject().put("filter", "datum.properties.period == period");
    // not interactive: an unfilled shape still catches the pointer over its whole area and would hide the regions' tooltips
    lines.putObject("mark").put("type", "geoshape").put("filled", false).put("interactive", false);
    lines.putObject("encoding").putObject("stroke").put("value", "#222222");
    // the chosen region's outline in a layer of its own, on top, so that no neighbour's outline covers it
    ObjectNode chosen = layers.addObject();
    chosen.putObject("data").set("values", JSON.valueToTree(outlines));
    chosen.putArray("transform").addObject().put("filter", "datum.properties.period == period && datum.properties.region_id == region");
    chosen.putObject("mark").put("type", "geoshape").put("filled", false).put("interactive", false).put("stroke", "#d62728")
        .put("strokeWidth", 3.5);
    return spec;
  }

  /**
   * The urbanization scatter: each NUTS 2 region's ICI share against its urban population share, with the least-squares
   * line of the period (two points per period, fitted by the caller: Vega-Lite's own regression warns on a period
   * without points).
   */
  static ObjectNode urbanization(List<Map<String, Object>> points, List<Map<String, Object>> fittedLines, String period,
      double maxShare) {
    ObjectNode spec = base(points, period, 640);
    spec.put("height", 360);
    filter(spec, "datum.period == period && isValid(datum.ici_share) && isValid(datum.urban)");
    ArrayNode layers = spec.putArray("layer");
    ObjectNode dots = layers.addObject();
    dots.putObject("mark").put("type", "circle").put("size", 70).put("opacity", 0.8).put("tooltip", true);
    ObjectNode enc = dots.putObject("encoding");
    ObjectNode x = field("urban", "quantitative", "population in predominantly urban NUTS 3 regions (%)");
    x.putObject("scale").putArray("domain").add(0).add(100);
    enc.set("x", x);
    enc.set("y", percent("ici_share", "ICI share of the projects with a partner in the region", maxShare));
    enc.set("color", highlight("indexof(datum.regions, region) >= 0"));
    enc.set("tooltip", tooltip(new String[][] {{"unit_id", "NUTS 2"}, {"name", "name"}, {"urban", "urban population (%)", ".1f"},
        {"ici_projects", "ICI projects"}, {"ici_share", "ICI share", ".1%"}, {"region_names", "cross-border regions"}}));
    ObjectNode fit = layers.addObject();
    fit.putObject("data").set("values", JSON.valueToTree(fittedLines));
    fit.putArray("transform").addObject().put("filter", "datum.period == period");
    fit.putObject("mark").put("type", "line").put("color", "#d62728").put("strokeWidth", 2);
    ObjectNode fenc = fit.putObject("encoding");
    fenc.set("x", field("urban", "quantitative", null));
    fenc.set("y", field("ici_share", "quantitative", null));
    return spec;
  }

  /** Regions from the largest share down; the same object in both layers of Figure 2, so that their sorts agree. */
  private static ObjectNode byShare() {
    ObjectNode y = field("region_name", "nominal", null);
    y.putObject("sort").put("field", "share").put("op", "max").put("order", "descending");
    return y;
  }

  private static ObjectNode base(List<Map<String, Object>> rows, String period, int width) {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("width", width);
    spec.putObject("data").set("values", JSON.valueToTree(rows));
    params(spec, period);
    return spec;
  }

  private static void params(ObjectNode spec, String period) {
    ArrayNode params = spec.putArray("params");
    params.addObject().put("name", "period").put("value", period);
    params.addObject().put("name", "region").put("value", "");
  }

  private static void filter(ObjectNode spec, String expression) {
    spec.putArray("transform").addObject().put("filter", expression);
  }

  private static ObjectNode field(String name, String type, String title) {
    ObjectNode f = JSON.createObjectNode().put("field", name).put("type", type);
    if (title == null) {
      f.putNull("title");
    } else {
      f.put("title", title);
    }
    return f;
  }

  /**
   * A share on an axis from 0 to the largest value of any period (so that periods compare, and an empty period
   * still has a scale).
   */
  private static ObjectNode percent(String name, String title, double max) {
    ObjectNode f = field(name, "quantitative", title);
    f.putObject("axis").put("format", ".0%");
    f.putObject("scale").putArray("domain").add(0).add(max);
    return f;
  }

  /** The upper end of a share axis: the largest value rounded up to the next 10 %, at least 10 %. */
  static double axisEnd(double largest) {
    return Math.max(0.1, Math.min(1.0, Math.ceil(largest * 10 - 1e-9) / 10));
  }

  /** Blue for every mark when no region is chosen, else blue for the chosen region's marks and light blue for the others. */
  private static ObjectNode highlight(String chosen) {
    ObjectNode c = JSON.createObjectNode().put("value", DIMMED);
    c.putObject("condition").put("test", "region == '' || " + chosen).put("value", HIGHLIGHT);
    return c;
  }

  /** Tooltip fields: {field, title} or {field, title, number format}. */
  private static ArrayNode tooltip(String[][] fields) {
    ArrayNode out = JSON.createArrayNode();
    for (String[] f : fields) {
      ObjectNode t = out.addObject().put("field", f[0]).put("title", f[1]);
      if (f.length > 2) {
        t.put("type", "quantitative").put("format", f[2]);
      }
    }
    return out;
  }

  /** JSON for a script element: '<' escaped so that no text of the data can close the element. */
  static String scriptJson(ObjectNode spec) {
    try {
      return JSON.writeValueAsString(spec).replace("<", "\\u003c");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a chart specification: " + e.getMessage(), e);
    }
  }
}
