package eu.iciatlas.common.eurostat;

import eu.iciatlas.common.config.ConfFiles;
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
    List<Map<String, String>> rows = conf.table(file);
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> row = rows.get(i);
      String dataset = ConfFiles.required(row, "dataset", file, i).toLowerCase(Locale.ROOT);
      if (dataset.startsWith("@") && !URBN.matcher(dataset).matches()) {
        throw new InputException("configuration file " + file + ", row " + (i + 1) + ": dataset '" + dataset
            + "' is unknown; the only computed source is @urbn_type_<version>_<pop11|pop21>");
      }
      Recode recode;
      try {
        recode = Recode.valueOf(ConfFiles.required(row, "recode", file, i).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InputException("configuration file " + file + ", row " + (i + 1) + ": recode '" + row.get("recode")
            + "' is not one of count, area_count, per_capita, per_area");
      }
      double scale;
      try {
        scale = Double.parseDouble(row.getOrDefault("scale", "1").isEmpty() ? "1" : row.get("scale"));
      } catch (NumberFormatException e) {
        throw new InputException("configuration file " + file + ", row " + (i + 1) + ": scale '" + row.get("scale")
            + "' is not a number");
      }
      Map<String, List<String>> numerator = pairs(row.getOrDefault("numerator", ""), file, i);
      Map<String, List<String>> denominator = pairs(row.getOrDefault("denominator", ""), file, i);
      if (numerator.isEmpty() != denominator.isEmpty() || numerator.size() > 1 || denominator.size() > 1) {
        throw new InputException("configuration file " + file + ", row " + (i + 1)
            + ": a ratio needs one numerator and one denominator dim=value[|value] pair");
      }
      out.add(new IndicatorDefinition(i, ConfFiles.required(row, "indicator", file, i), dataset,
          pairs(row.getOrDefault("filter", ""), file, i), numerator, denominator, scale, recode,
          row.getOrDefault("unit", ""), row.getOrDefault("description", "")));
    }
    if (out.stream().allMatch(d -> d.typologyVersion() != null)) {
      // the recoding, the report and every analysis start from Eurostat series: without one there is nothing to read
      throw new InputException("configuration file " + file + " in " + conf.describe() + " defines no indicator from a"
          + " Eurostat dataset (only computed @urbn_type_* rows, or none). Add at least one row with a Eurostat dataset"
          + " code, as in the repository's conf/indicators.csv.");
    }
    return out;
  }

  static Map<String, List<String>> pairs(String spec, String file, int row) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String pair : spec.split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new InputException("configuration file " + file + ", row " + (row + 1) + ": '" + pair
            + "' is not dim=value[|value...]");
      }
      out.put(kv[0].trim().toLowerCase(Locale.ROOT), List.of(kv[1].trim().split("\\|")));
    }
    return out;
  }
}
