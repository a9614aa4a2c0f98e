package eu.iciatlas.jobs.report;

import java.util.Locale;

/** HTML escaping for text from the data (project and organisation names are free text) and the table cells of numbers. */
final class Html {
  private Html() {}

  static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String num(Object v) {
    return "<td class='n'>" + (v == null ? "" : String.format(Locale.ROOT, "%,d", ((Number) v).longValue())) + "</td>";
  }

  static String pct(Object v) {
    return "<td class='n'>" + (v == null ? "" : String.format(Locale.ROOT, "%.1f %%", ((Number) v).doubleValue() * 100)) + "</td>";
  }

  /** A share with its interval, e.g. "12.3 % (8.1-17.0)"; empty when the share is null. */
  static String pctInterval(Object v, Object low, Object high) {
    return "<td class='n'>" + (v == null || low == null || high == null ? "" : String.format(Locale.ROOT, "%.1f %% (%.1f-%.1f)",
        ((Number) v).doubleValue() * 100, ((Number) low).doubleValue() * 100, ((Number) high).doubleValue() * 100)) + "</td>";
  }

  static String dec(Object v) {
    return "<td class='n'>" + (v == null ? "" : String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue())) + "</td>";
  }
}
