package eu.iciatlas.jobs.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Lays a {@link ReportModel} out as the report's one HTML page with the packaged Mustache templates
 * ({@code ici-atlas-report/report.mustache}, the linkage section in {@code network.mustache}): no
 * queries and no data logic here, only the page. Every value is escaped as HTML text, but the charts'
 * JSON, the network SVG and the inlined scripts, which the template marks as raw.
 */
final class ReportPage {
  private static final Mustache TEMPLATE = new DefaultMustacheFactory("ici-atlas-report") {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(Html.escape(value)); // the escaping the report always had ('=' and '`' stay as they are)
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }.compile("report.mustache");

  private ReportPage() {}

  static String render(ReportModel model) {
    StringWriter out = new StringWriter(1 << 22);
    TEMPLATE.execute(out, model);
    return out.toString();
  }
}
