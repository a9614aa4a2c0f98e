package eu.iciatlas.common.config;

import eu.iciatlas.common.io.InputException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * conf/pipeline.properties (key=value, '#' comments) with optional --set key=value overrides.
 * The defaults live in that file only: a missing key, an unknown key and a bad value fail at start,
 * naming the key.
 */
public record PipelineSettings(int keepNutsVersion, int outputNutsVersion, double minRecodeCoverage, double iciThreshold,
    int specializationMinMatches, int bootstrapResamples, long bootstrapSeed, int betweennessExactMaxNodes,
    int betweennessSampleSources, boolean networksEnabled, boolean biSilverCopies) {
  public static final String KEEP_NUTS_VERSION = "keep.nuts.version";
  public static final String OUTPUT_NUTS_VERSION = "output.nuts.version";
  /** NUTS versions an output can be written in: those with JRC matrices and GISCO code lists bundled. */
  public static final List<Integer> OUTPUT_NUTS_VERSIONS = List.of(2013, 2016, 2021, 2024);
  public static final String MIN_RECODE_COVERAGE = "nuts.recode.min.coverage";
  public static final String ICI_THRESHOLD = "ici.threshold";
  public static final String SPECIALIZATION_MIN_MATCHES = "specialization.min.matches";
  public static final String BOOTSTRAP_RESAMPLES = "bootstrap.resamples";
  public static final String BOOTSTRAP_SEED = "bootstrap.seed";
  public static final String BETWEENNESS_EXACT_MAX_NODES = "network.betweenness.exact.max.nodes";
  public static final String BETWEENNESS_SAMPLE_SOURCES = "network.betweenness.sample.sources";
  public static final String NETWORKS_ENABLED = "network.enabled";
  public static final String BI_SILVER = "bi.silver";
  private static final Set<String> KEYS = new TreeSet<>(List.of(KEEP_NUTS_VERSION, OUTPUT_NUTS_VERSION, MIN_RECODE_COVERAGE,
      ICI_THRESHOLD, SPECIALIZATION_MIN_MATCHES, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, BETWEENNESS_EXACT_MAX_NODES,
      BETWEENNESS_SAMPLE_SOURCES, NETWORKS_ENABLED, BI_SILVER));

  public static PipelineSettings load(ConfFiles conf) {
    return load(conf, List.of());
  }

  /** Whether one of the --set overrides sets {@code key} (read as {@link #load} reads them). */
  public static boolean overrides(List<String> overrides, String key) {
    return overrides.stream().map(o -> o.split("=", 2)).anyMatch(kv -> kv.length == 2 && kv[0].trim().equals(key));
  }

  public static PipelineSettings load(ConfFiles conf, List<String> overrides) {
    Map<String, String> values = new TreeMap<>(conf.properties("pipeline.properties"));
    for (String key : values.keySet()) {
      if (!KEYS.contains(key)) {
        throw new InputException("configuration file pipeline.properties in " + conf.describe() + ": setting '" + key
            + "' is unknown" + suggestion(key) + "; known keys: " + KEYS);
      }
    }
    for (String o : overrides) {
      String[] kv = o.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new InputException("--set " + o + ": expected KEY=VALUE, e.g. --set ici.threshold=3.5; known keys: " + KEYS);
      }
      String key = kv[0].trim();
      if (!KEYS.contains(key)) {
        throw new InputException("--set " + o + ": '" + key + "' is no pipeline setting" + suggestion(key)
            + "; known keys: " + KEYS);
      }
      values.put(key, kv[1].trim());
    }
    for (String key : KEYS) {
      if (!values.containsKey(key)) {
        throw new InputException("configuration file pipeline.properties in " + conf.describe() + ": setting '" + key
            + "' is missing; copy its line from the repository's conf/pipeline.properties");
      }
    }
    double outputVersion = number(values, OUTPUT_NUTS_VERSION);
    if (!OUTPUT_NUTS_VERSIONS.contains((int) outputVersion) || outputVersion != Math.rint(outputVersion)) {
      throw new InputException("NUTS version " + values.get(OUTPUT_NUTS_VERSION) + " (--nuts-version or " + OUTPUT_NUTS_VERSION
          + ") is not one the outputs can be written in; use one of " + OUTPUT_NUTS_VERSIONS);
    }
    double coverage = number(values, MIN_RECODE_COVERAGE);
    if (coverage <= 0 || coverage > 1) {
      throw new InputException(MIN_RECODE_COVERAGE + " = " + coverage + " must be in (0, 1]");
    }
    int resamples = (int) number(values, BOOTSTRAP_RESAMPLES);
    if (resamples < 100) {
      throw new InputException(BOOTSTRAP_RESAMPLES + " = " + resamples + " must be at least 100");
    }
    int exactMaxNodes = (int) number(values, BETWEENNESS_EXACT_MAX_NODES);
    int sampleSources = (int) number(values, BETWEENNESS_SAMPLE_SOURCES);
    if (sampleSources < 10 || exactMaxNodes < sampleSources) {
      throw new InputException(BETWEENNESS_SAMPLE_SOURCES + " = " + sampleSources + " must be at least 10 and not above "
          + BETWEENNESS_EXACT_MAX_NODES + " = " + exactMaxNodes);
    }
    return new PipelineSettings((int) number(values, KEEP_NUTS_VERSION), (int) outputVersion, coverage,
        number(values, ICI_THRESHOLD), (int) number(values, SPECIALIZATION_MIN_MATCHES), resamples,
        (long) number(values, BOOTSTRAP_SEED), exactMaxNodes, sampleSources, bool(values, NETWORKS_ENABLED),
        bool(values, BI_SILVER));
  }

  private static boolean bool(Map<String, String> values, String key) {
    String v = values.get(key);
    if (!v.equals("true") && !v.equals("false")) {
      throw new InputException("pipeline setting " + key + " = '" + v + "' must be true or false");
    }
    return Boolean.parseBoolean(v);
  }

  /** ", did you mean 'x'?" for a key one or two edits away from a known one. */
  private static String suggestion(String key) {
    org.apache.commons.text.similarity.LevenshteinDistance distance = new org.apache.commons.text.similarity.LevenshteinDistance(2);
    return KEYS.stream().filter(k -> distance.apply(k, key) >= 0).findFirst()
        .map(k -> " (did you mean '" + k + "'?)").orElse("");
  }

  private static double number(Map<String, String> values, String key) {
    String v = values.get(key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new InputException("pipeline setting " + key + " = '" + v + "' is not a number");
    }
  }

  @Override
  public String toString() {
    return KEEP_NUTS_VERSION + "=" + keepNutsVersion + ", " + OUTPUT_NUTS_VERSION + "=" + outputNutsVersion + ", " + MIN_RECODE_COVERAGE + "=" + minRecodeCoverage + ", "
        + ICI_THRESHOLD + "=" + iciThreshold + ", " + SPECIALIZATION_MIN_MATCHES + "=" + specializationMinMatches + ", "
        + BOOTSTRAP_RESAMPLES + "=" + bootstrapResamples + ", " + BOOTSTRAP_SEED + "=" + bootstrapSeed + ", "
        + BETWEENNESS_EXACT_MAX_NODES + "=" + betweennessExactMaxNodes + ", " + BETWEENNESS_SAMPLE_SOURCES + "="
        + betweennessSampleSources + ", " + NETWORKS_ENABLED + "=" + networksEnabled + ", " + BI_SILVER + "=" + biSilverCopies;
  }
}
