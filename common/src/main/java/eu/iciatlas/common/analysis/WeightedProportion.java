package eu.iciatlas.common.analysis;

import eu.iciatlas.common.config.ConfRow;
import java.util.Locale;

/**
 * A proportion measured on weighted labelled projects (weights that carry a stratified sample to
 * the export): how many projects, their weight, the weight of those counted, and Kish's effective
 * number of projects ((sum w)^2 / sum w^2), so that the proportion's own uncertainty is known. The
 * rules' error rates ({@link RuleErrorRates}) and the text-free model's sensitivity and
 * specificity ({@link TextFreeRates}) are such proportions, kept in the configuration as rows of
 * {@code labelled_projects;weighted_projects;weighted_<counted>;effective_projects}.
 */
public record WeightedProportion(long labelledProjects, double weightedProjects, double weightedCounted,
    double effectiveProjects) {

  /** The weighted proportion counted. */
  public double value() {
    return weightedCounted / weightedProjects;
  }

  /** The sampling variance of {@link #value()}: p(1-p) / effective projects. */
  public double variance() {
    double p = value();
    return p * (1 - p) / effectiveProjects;
  }

  /** Adds labelled projects one by one. */
  public static final class Tally {
    private long n;
    private double weight;
    private double counted;
    private double squares;

    public void add(double projectWeight, boolean isCounted) {
      n++;
      weight += projectWeight;
      squares += projectWeight * projectWeight;
      counted += isCounted ? projectWeight : 0;
    }

    /** The proportion, or IllegalArgumentException naming {@code what} when no project was added. */
    public WeightedProportion proportion(String what) {
      if (n == 0) {
        throw new IllegalArgumentException("no " + what);
      }
      return new WeightedProportion(n, weight, counted, weight * weight / squares);
    }
  }

  /** The four cells of a configuration row, formatted as {@link #parse} reads them. */
  public String cells() {
    return String.format(Locale.ROOT, "%d;%.4f;%.4f;%.2f", labelledProjects, weightedProjects, weightedCounted, effectiveProjects);
  }

  /**
   * The proportion of one row of a configuration table, with
   * the counted weight in {@code countedColumn}; a bad row fails naming the file, the line and
   * {@code howToWrite} (the command that writes the file).
   */
  public static WeightedProportion parse(ConfRow row, String countedColumn, String howToWrite) {
    WeightedProportion p;
    try {
      p = new WeightedProportion(Long.parseLong(row.required("labelled_projects")),
          Double.parseDouble(row.required("weighted_projects")), Double.parseDouble(row.required(countedColumn)),
          Double.parseDouble(row.required("effective_projects")));
    } catch (NumberFormatException e) {
      throw row.error(e.getMessage() + "; the counts are numbers (write the file with " + howToWrite + ")");
    }
    if (p.weightedProjects <= 0 || p.weightedCounted < 0 || p.weightedCounted > p.weightedProjects || p.effectiveProjects <= 0) {
      throw row.error("needs 0 <= " + countedColumn + " <= weighted_projects and effective_projects > 0");
    }
    return p;
  }
}
