package eu.iciatlas.common.config;

import eu.iciatlas.common.io.InputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * conf/pipeline.properties (key=value, '#' comments) with optional --set key=value overrides.
 * Unknown keys and bad values fail at start, naming the key.
 */
public record PipelineSettings(int keepNutsVersion, double minRecodeCoverage) {
  public static final String KEEP_NUTS_VERSION = "keep.nuts.version";
  public static final String MIN_RECODE_COVERAGE = "nuts.recode.min.coverage";
  private static final Set<String> KEYS = Set.of(KEEP_NUTS_VERSION, MIN_RECODE_COVERAGE);

  public static PipelineSettings load(ConfFiles conf) {
    return load(conf, List.of());
  }

  public static PipelineSettings load(ConfFiles conf, List<String> overrides) {
    Map<String, String> values = new TreeMap<>(conf.properties("pipeline.properties"));
    for (String o : overrides) {
      String[] kv = o.split("=", 2);
      if (kv.length != 2) {
        throw new InputException("--set " + o + ": expected key=value");
      }
      values.put(kv[0].trim(), kv[1].trim());
    }
    for (String key : values.keySet()) {
      if (!KEYS.contains(key)) {
        throw new InputException("pipeline setting '" + key + "' is unknown; known keys: " + new TreeMap<>(
            Map.of(KEEP_NUTS_VERSION, "", MIN_RECODE_COVERAGE, "")).keySet());
      }
    }
    int version;
    double coverage;
    try {
      version = Integer.parseInt(values.getOrDefault(KEEP_NUTS_VERSION, "2013"));
    } catch (NumberFormatException e) {
      throw new InputException(KEEP_NUTS_VERSION + " = '" + values.get(KEEP_NUTS_VERSION) + "' is not a NUTS version year");
    }
    try {
      coverage = Double.parseDouble(values.getOrDefault(MIN_RECODE_COVERAGE, "0.95"));
    } catch (NumberFormatException e) {
      throw new InputException(MIN_RECODE_COVERAGE + " = '" + values.get(MIN_RECODE_COVERAGE) + "' is not a number");
    }
    if (coverage <= 0 || coverage > 1) {
      throw new InputException(MIN_RECODE_COVERAGE + " = " + coverage + " must be in (0, 1]");
    }
    return new PipelineSettings(version, coverage);
  }

  @Override
  public String toString() {
    return KEEP_NUTS_VERSION + "=" + keepNutsVersion + ", " + MIN_RECODE_COVERAGE + "=" + minRecodeCoverage;
  }
}
