package eu.iciatlas.common.analysis;

import eu.iciatlas.common.io.InputException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text-free model's measured sensitivity and specificity (conf/classifier/text_free_model/text_free_rates.csv):
 * out-of-fold on the reference labels of the 2014-2020 export with the text hidden, at the
 * threshold of best Youden's J (sensitivity + specificity - 1, what a prevalence correction needs),
 * weighted to the export, each with its effective number of labelled projects (Kish) so that its own
 * uncertainty is known. {@link EstimatedShares} corrects the share of predicted ICIs of a period
 * without text by them (Rogan-Gladen).
 */
public record TextFreeRates(double threshold, Rate sensitivity, Rate specificity, String labels) {
  public static final String FILE = TextFreeModel.RATES;

  /** Labelled projects of one class: how many, their weight, the weight the model gets right, Kish's effective number. */
  public record Rate(long labelledProjects, double weightedProjects, double weightedCorrect, double effectiveProjects) {
    public double value() {
      return weightedCorrect / weightedProjects;
    }
  }

  /** One labelled project: the model's probability, the label and the project's weight. */
  public record Scored(double probability, boolean labelledIci, double weight) {}

  /** The rates at the threshold (of 0.01 ... 0.99) with the best weighted Youden's J on these out-of-fold scores. */
  public static TextFreeRates measure(List<Scored> scored, String labels) {
    double bestJ = Double.NEGATIVE_INFINITY;
    TextFreeRates best = null;
    for (int t = 1; t <= 99; t++) {
      double threshold = t / 100.0;
      Rate sensitivity = rate(scored, true, threshold);
      Rate specificity = rate(scored, false, threshold);
      double j = sensitivity.value() + specificity.value() - 1;
      if (j > bestJ + 1e-12) {
        bestJ = j;
        best = new TextFreeRates(threshold, sensitivity, specificity, labels);
      }
    }
    return best;
  }

  private static Rate rate(List<Scored> scored, boolean ici, double threshold) {
    long n = 0;
    double weight = 0;
    double correct = 0;
    double squares = 0;
    for (Scored s : scored) {
      if (s.labelledIci() == ici) {
        n++;
        weight += s.weight();
        squares += s.weight() * s.weight();
        correct += (s.probability() >= threshold) == ici ? s.weight() : 0;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("no labelled " + (ici ? "ICI" : "non-ICI") + " project");
    }
    return new Rate(n, weight, correct, weight * weight / squares);
  }

  public double youden() {
    return sensitivity.value() + specificity.value() - 1;
  }

  /** The file's rows: one per labelled class (ici: sensitivity, not_ici: specificity). */
  public String csv() {
    StringBuilder s = new StringBuilder()
        .append("# The text-free model's error on the reference labels with the text hidden, out of fold, weighted to the export\n")
        .append("# (TextFreeRates): weighted_correct / weighted_projects is the sensitivity (class ici) and the specificity\n")
        .append("# (not_ici) at the threshold. Written by bin/ici-atlas train-classifier --text-free into the model's folder.\n")
        .append("class;labelled_projects;weighted_projects;weighted_correct;effective_projects;threshold;labels\n");
    row(s, "ici", sensitivity);
    row(s, "not_ici", specificity);
    return s.toString();
  }

  private void row(StringBuilder s, String cls, Rate r) {
    s.append(String.format(Locale.ROOT, "%s;%d;%.4f;%.4f;%.2f;%.2f;%s%n", cls, r.labelledProjects(), r.weightedProjects(),
        r.weightedCorrect(), r.effectiveProjects(), threshold, labels));
  }

  /** The rates of the configuration's text_free_rates.csv (rows read by {@code ConfFiles.table}). */
  public static TextFreeRates parse(List<Map<String, String>> rows) {
    Rate sensitivity = null;
    Rate specificity = null;
    Double threshold = null;
    String labels = null;
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      Rate rate;
      double t;
      try {
        rate = new Rate(Long.parseLong(required(r, "labelled_projects", i)), Double.parseDouble(required(r, "weighted_projects", i)),
            Double.parseDouble(required(r, "weighted_correct", i)), Double.parseDouble(required(r, "effective_projects", i)));
        t = Double.parseDouble(required(r, "threshold", i));
      } catch (NumberFormatException e) {
        throw new InputException("configuration file " + FILE + ", row " + (i + 1) + ": " + e.getMessage()
            + "; the counts are numbers (write the file with bin/ici-atlas train-classifier --text-free)");
      }
      if (rate.weightedProjects() <= 0 || rate.weightedCorrect() < 0 || rate.weightedCorrect() > rate.weightedProjects()
          || rate.effectiveProjects() <= 0 || !(t > 0 && t < 1) || (threshold != null && threshold != t)) {
        throw new InputException("configuration file " + FILE + ", row " + (i + 1) + ": needs 0 <= weighted_correct <="
            + " weighted_projects, effective_projects > 0 and one threshold in (0, 1)");
      }
      threshold = t;
      String rowLabels = required(r, "labels", i);
      if (labels != null && !labels.equals(rowLabels)) {
        throw new InputException("configuration file " + FILE + ", row " + (i + 1) + ": labels differ from the row before");
      }
      labels = rowLabels;
      switch (required(r, "class", i)) {
        case "ici" -> sensitivity = rate;
        case "not_ici" -> specificity = rate;
        default -> throw new InputException("configuration file " + FILE + ", row " + (i + 1) + ": class is 'ici' or 'not_ici'");
      }
    }
    if (sensitivity == null || specificity == null) {
      throw new InputException("configuration file " + FILE + " needs one row with class 'ici' and one with 'not_ici'");
    }
    return new TextFreeRates(threshold, sensitivity, specificity, labels);
  }

  private static String required(Map<String, String> row, String column, int index) {
    return eu.iciatlas.common.config.ConfFiles.required(row, column, FILE, index);
  }
}
