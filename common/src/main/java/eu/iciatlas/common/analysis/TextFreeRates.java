package eu.iciatlas.common.analysis;

import eu.iciatlas.common.config.ConfRow;
import eu.iciatlas.common.io.InputException;
import java.util.List;
import java.util.Locale;

/**
 * The text-free model's measured sensitivity and specificity (conf/classifier/text_free_model/text_free_rates.csv):
 * out-of-fold on the reference labels of the 2014-2020 export with the text hidden, at the
 * threshold of best Youden's J (sensitivity + specificity - 1, what a prevalence correction needs),
 * weighted to the export, each with its effective number of labelled projects (Kish) so that its own
 * uncertainty is known. {@link EstimatedShares} corrects the share of predicted ICIs of a period
 * without text by them (Rogan-Gladen).
 */
public record TextFreeRates(double threshold, WeightedProportion sensitivity, WeightedProportion specificity, String labels) {
  public static final String FILE = TextFreeModel.RATES;

  private static final String WRITTEN_BY = "bin/ici-atlas train-classifier --text-free";

  /** One labelled project: the model's probability, the label and the project's weight. */
  public record Scored(double probability, boolean labelledIci, double weight) {}

  /** The rates at the threshold (of 0.01 ... 0.99) with the best weighted Youden's J on these out-of-fold scores. */
  public static TextFreeRates measure(List<Scored> scored, String labels) {
    double bestJ = Double.NEGATIVE_INFINITY;
    TextFreeRates best = null;
    for (int t = 1; t <= 99; t++) {
      double threshold = t / 100.0;
      WeightedProportion sensitivity = rate(scored, true, threshold);
      WeightedProportion specificity = rate(scored, false, threshold);
      double j = sensitivity.value() + specificity.value() - 1;
      if (j > bestJ + 1e-12) {
        bestJ = j;
        best = new TextFreeRates(threshold, sensitivity, specificity, labels);
      }
    }
    return best;
  }

  /** Among the labelled projects of one class, the weighted share the model puts in that class at the threshold. */
  private static WeightedProportion rate(List<Scored> scored, boolean ici, double threshold) {
    WeightedProportion.Tally tally = new WeightedProportion.Tally();
    for (Scored s : scored) {
      if (s.labelledIci() == ici) {
        tally.add(s.weight(), (s.probability() >= threshold) == ici);
      }
    }
    return tally.proportion("labelled " + (ici ? "ICI" : "non-ICI") + " project");
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

  private void row(StringBuilder s, String cls, WeightedProportion r) {
    s.append(cls).append(';').append(r.cells()).append(';').append(String.format(Locale.ROOT, "%.2f", threshold))
        .append(';').append(labels).append('\n');
  }

  /** The rates of the configuration's text_free_rates.csv (rows read by {@code ConfFiles.table}). */
  public static TextFreeRates parse(List<ConfRow> rows) {
    WeightedProportion sensitivity = null;
    WeightedProportion specificity = null;
    Double threshold = null;
    String labels = null;
    for (ConfRow r : rows) {
      WeightedProportion rate = WeightedProportion.parse(r, "weighted_correct", WRITTEN_BY);
      double t;
      try {
        t = Double.parseDouble(r.required("threshold"));
      } catch (NumberFormatException e) {
        throw r.error("threshold '" + r.get("threshold") + "' is not a number; write the file with " + WRITTEN_BY);
      }
      if (!(t > 0 && t < 1) || (threshold != null && threshold != t)) {
        throw r.error("needs one threshold in (0, 1); write the file with " + WRITTEN_BY);
      }
      threshold = t;
      String rowLabels = r.required("labels");
      if (labels != null && !labels.equals(rowLabels)) {
        throw r.error("labels differ from the row before");
      }
      labels = rowLabels;
      switch (r.required("class")) {
        case "ici" -> sensitivity = rate;
        case "not_ici" -> specificity = rate;
        default -> throw r.error("class is 'ici' or 'not_ici'");
      }
    }
    if (sensitivity == null || specificity == null) {
      throw new InputException("configuration file " + FILE + " needs one row with class 'ici' and one with 'not_ici'");
    }
    return new TextFreeRates(threshold, sensitivity, specificity, labels);
  }
}
