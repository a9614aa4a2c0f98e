package eu.iciatlas.common.eurostat;

import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import eu.iciatlas.common.io.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One row of conf/indicators.csv. */
public record IndicatorDefinition(int order, String indicator, String dataset, Map<String, List<String>> filter,
    Map<String, List<String>> numerator, Map<String, List<String>> denominator, double scale, Recode recode,
    String unit, String description) {

  /** How a value moves between NUTS versions (see conf/indicators.csv). */
  public enum Recode {
    COUNT, AREA_COUNT, PER_CAPITA, PER_AREA;

    public boolean additive() {
      return this == COUNT || this == AREA_COUNT;
    }

    public boolean areaWeighted() {
      return this == AREA_COUNT || this == PER_AREA;
    }
  }

  private static final Pattern URBN = Pattern.compile("@urbn_type_(\\d{4})_(pop11|pop21)");

  public boolean isRatio() {
    return !numerator.isEmpty();
  }

  /** For @urbn_type_2016_pop11: the typology version, else null. */
  public Integer typologyVersion() {
    Matcher m = URBN.matcher(dataset);
    return m.matches() ? Integer.valueOf(m.group(1)) : null;
  }

  /**
   * The source named in the output tables: the Eurostat dataset code, or the computed source
   * without its '@' ("urbn_type_2016_pop11"), since values the pipeline makes never start with a
   * spreadsheet formula character (the BI CSVs would have to quote them, and then differ from Parquet).
   */
  public String sourceDataset() {
    return dataset.startsWith("@") ? dataset.substring(1) : dataset;
  }

  public String typologyWeight() {
    Matcher m = URBN.matcher(dataset);
    return m.matches() ? m.group(2) : null;
  }

  public static List<IndicatorDefinition> load(ConfFiles conf) {
    String file = "indicators.csv";
    List<IndicatorDefinition> out = new ArrayList<>();
    List<ConfRow> rows = conf.table(file, "indicator", "dataset", "recode");
    for (int i = 0; i < rows.size(); i++) {
      ConfRow row = rows.get(i);
      String dataset = row.required("dataset").toLowerCase(Locale.ROOT);
      if (dataset.startsWith("@") && !URBN.matcher(dataset).matches()) {
        throw row.error("dataset '" + dataset + "' is unknown; the only computed source is @urbn_type_<version>_<pop11|pop21>");
      }
      Recode recode;
      try {
        recode = Recode.valueOf(row.required("recode").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw row.error("recode '" + row.get("recode") + "' is not one of count, area_count, per_capita, per_area");
      }
      double scale = row.get("scale").isEmpty() ? 1 : row.number("scale");
      Map<String, List<String>> numerator = pairs(row, "numerator");
      Map<String, List<String>> denominator = pairs(row, "denominator");
      if (numerator.isEmpty() != denominator.isEmpty() || numerator.size() > 1 || denominator.size() > 1) {
        throw row.error("a ratio needs one numerator and one denominator dim=value[|value] pair");
      }
      out.add(new IndicatorDefinition(i, row.required("indicator"), dataset, pairs(row, "filter"), numerator, denominator,
          scale, recode, row.get("unit"), row.get("description")));
    }
    if (out.stream().allMatch(d -> d.typologyVersion() != null)) {
      // the recoding, the report and every analysis start from Eurostat series: without one there is nothing to read
      throw new InputException("configuration file " + file + " in " + conf.describe() + " defines no indicator from a"
          + " Eurostat dataset (only computed @urbn_type_* rows, or none). Add at least one row with a Eurostat dataset"
          + " code, as in the repository's conf/indicators.csv.");
    }
    return out;
  }

  /** A column's dim=value[|value...] pairs, separated by ','. */
  static Map<String, List<String>> pairs(ConfRow row, String column) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String spec = row.get(column);
    if (spec.isBlank()) {
      return out;
    }
    for (String pair : spec.split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw row.error(column + " '" + pair + "' is not dim=value[|value...]");
      }
      out.put(kv[0].trim().toLowerCase(Locale.ROOT), List.of(kv[1].trim().split("\\|")));
    }
    return out;
  }
}
