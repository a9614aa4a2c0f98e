package eu.iciatlas.jobs.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The browser code and licence texts the report inlines, so that the page works offline and
 * fetches nothing at view time: Vega, Vega-Lite and Vega-Embed from their webjars (Maven Central),
 * and the third-party licence texts their BSD, ISC and MIT licences ask to travel with them.
 */
final class ReportAssets {
  /** Webjar resources in load order: Vega-Lite needs Vega, Vega-Embed needs both. */
  static final List<String> SCRIPTS = List.of(
      "/META-INF/resources/webjars/vega/5.32.0/vega.min.js",
      "/META-INF/resources/webjars/vega-lite/5.23.0/vega-lite.min.js",
      "/META-INF/resources/webjars/vega-embed/6.29.0/vega-embed.min.js");
  static final String LICENCES = "/ici-atlas-report/THIRD-PARTY-LICENSES.txt";
  static final String PAGE_SCRIPT = "/ici-atlas-report/report.js";

  private ReportAssets() {}

  /** The three bundles, each in its own script element, without their source-map comments (the maps are not shipped). */
  static String scripts() {
    StringBuilder out = new StringBuilder(900_000);
    for (String resource : SCRIPTS) {
      String js = read(resource).replaceAll("(?m)^//# sourceMappingURL=.*$", "");
      if (js.toLowerCase(java.util.Locale.ROOT).contains("</script")) {
        throw new IllegalStateException(resource + " contains '</script' and cannot be inlined as it is");
      }
      out.append("<script>\n").append(js).append("\n</script>\n");
    }
    return out.toString();
  }

  /**
   * The page's behaviour (report.js): draws the four charts (Vega-Embed, SVG renderer, no actions, so nothing is fetched),
   * and on a change of the period or region selector sets both parameters of every chart, shows the tables of the period
   * and highlights (Figure 2's table) or keeps (Table 2) the rows of the region; body's data-rendered and data-state say
   * when the charts are drawn and which selection they show.
   */
  static String pageScript() {
    return read(PAGE_SCRIPT);
  }

  static String licences() {
    return read(LICENCES);
  }

  private static String read(String resource) {
    try (InputStream in = ReportAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the report's resource " + resource + " is missing from the application jar"
            + " (built without the org.webjars dependencies?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the report's resource " + resource + ": " + e.getMessage(), e);
    }
  }
}
