package eu.iciatlas.jobs.report;

import java.util.Locale;

/**
 * HTML escaping for text from the data (project and organisation names are free text), which the
 * report's template applies to every value ({@link ReportPage}), and the report's number formats.
 */
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

  /** A whole number with thousands separators ("12,345"); empty for null. */
  static String count(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
  }

  /** A share as a percentage to one decimal ("12.3 %"); empty for null. */
  static String percent(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.1f %%", ((Number) v).doubleValue() * 100);
  }

  /** A share with its interval, e.g. "12.3 % (8.1-17.0)"; empty when the share or a bound is null. */
  static String percentInterval(Object v, Object low, Object high) {
    return v == null || low == null || high == null ? "" : String.format(Locale.ROOT, "%.1f %% (%.1f-%.1f)",
        ((Number) v).doubleValue() * 100, ((Number) low).doubleValue() * 100, ((Number) high).doubleValue() * 100);
  }

  /** A coefficient to three decimals; empty for null. */
  static String decimal(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
  }
}
