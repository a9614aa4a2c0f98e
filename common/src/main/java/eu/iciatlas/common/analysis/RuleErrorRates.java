package eu.iciatlas.common.analysis;

import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import eu.iciatlas.common.io.InputException;
import java.util.List;
import java.util.Locale;

/**
 * How often the rules are wrong, measured on the reference labels and kept in
 * conf/classifier/rule_error_rates.csv: among the labelled projects the rules call ICI, the share
 * that are ICIs (precision); among those they do not, the share that are ICIs all the same (the
 * false-omission rate). Both are weighted to the export the labels were drawn from (post-stratification
 * weights of data/evaluation/ici_labels_v2.csv), each with its effective number of labelled projects
 * (Kish: (sum w)^2 / sum w^2), so their own uncertainty is known.
 *
 * <p>{@link GoldTables#iciShare} turns a region's count share into an expected share and a 95 %
 * interval that carries this measured error. The rates hold for the rules they were measured on
 * only: the file names the digest of those rules ({@link IciClassifier#decisionDigest()}); when the
 * configured rules differ, {@link #unusableReason()} says so and the expected shares are null.
 */
public record RuleErrorRates(WeightedProportion ici, WeightedProportion notIci, String rulesDigest, String labels,
    String unusableReason) {
  public static final String FILE = "classifier/rule_error_rates.csv";
  private static final String WRITTEN_BY = "bin/ici-atlas train-classifier";

  /** One labelled project: the rules' decision, the label and the project's weight. */
  public record Decision(boolean predictedIci, boolean labelledIci, double weight) {}

  /**
   * The rates of these labelled decisions: among the projects of each rule decision, the weighted
   * share of labelled ICIs (both decisions must have labelled projects).
   */
  public static RuleErrorRates measure(List<Decision> decisions, String rulesDigest, String labels) {
    WeightedProportion.Tally ici = new WeightedProportion.Tally();
    WeightedProportion.Tally notIci = new WeightedProportion.Tally();
    for (Decision d : decisions) {
      (d.predictedIci() ? ici : notIci).add(d.weight(), d.labelledIci());
    }
    return new RuleErrorRates(ici.proportion("labelled project the rules call ICI"),
        notIci.proportion("labelled project the rules do not call ICI"), rulesDigest, labels, null);
  }

  /**
   * The rates of conf/classifier/rule_error_rates.csv, usable when they were measured on the rules
   * whose digest is {@code configuredRulesDigest}; otherwise with the reason they are not.
   */
  public static RuleErrorRates load(ConfFiles conf, String configuredRulesDigest) {
    WeightedProportion ici = null;
    WeightedProportion notIci = null;
    String digest = null;
    String labels = null;
    for (ConfRow r : conf.table(FILE, "rule_decision", "rules_digest", "labels", "labelled_projects", "weighted_projects",
        "weighted_icis", "effective_projects")) {
      WeightedProportion rate = WeightedProportion.parse(r, "weighted_icis", WRITTEN_BY);
      switch (r.required("rule_decision")) {
        case "ici" -> ici = rate;
        case "not_ici" -> notIci = rate;
        default -> throw r.error("rule_decision is 'ici' or 'not_ici'");
      }
      String rowDigest = r.required("rules_digest");
      String rowLabels = r.required("labels");
      if ((digest != null && !digest.equals(rowDigest)) || (labels != null && !labels.equals(rowLabels))) {
        throw r.error("rules_digest and labels differ from the row before; both rows come from one measurement"
            + " (write the file with " + WRITTEN_BY + ")");
      }
      digest = rowDigest;
      labels = rowLabels;
    }
    if (ici == null || notIci == null) {
      throw new InputException("configuration file " + FILE + " needs one row with rule_decision 'ici' and one with 'not_ici'");
    }
    String unusable = digest.equals(configuredRulesDigest) ? null
        : "the configured rules (conf/classifier, ici.threshold) are not those whose error " + FILE + " measured;"
            + " measure them with bin/ici-atlas train-classifier and copy its rule_error_rates.csv there";
    return new RuleErrorRates(ici, notIci, digest, labels, unusable);
  }

  /** The file conf/classifier/rule_error_rates.csv holding these rates. */
  public String csv() {
    StringBuilder s = new StringBuilder()
        .append("# The rules' error on the reference labels, weighted to the export they were drawn from (RuleErrorRates):\n")
        .append("# weighted_icis / weighted_projects is the rules' precision (rule_decision ici) and false-omission rate\n")
        .append("# (not_ici). Written by bin/ici-atlas train-classifier; valid for the rules whose digest is rules_digest.\n")
        .append("rule_decision;labelled_projects;weighted_projects;weighted_icis;effective_projects;rules_digest;labels\n");
    row(s, "ici", ici);
    row(s, "not_ici", notIci);
    return s.toString();
  }

  private void row(StringBuilder s, String decision, WeightedProportion r) {
    s.append(decision).append(';').append(r.cells()).append(';').append(rulesDigest).append(';').append(labels).append('\n');
  }

  /** What an expected share rests on, for expected_share_basis. */
  public String basis() {
    return String.format(Locale.ROOT, "count share corrected by the rules' measured error: %.1f %% of the projects they call ICI"
        + " are ICIs (%d labelled), %.1f %% of the others are (%d labelled); %s, weighted to the export; 95 %% interval by"
        + " normal approximation over both the classification of each project and the uncertainty of the two rates",
        100 * ici.value(), ici.labelledProjects(), 100 * notIci.value(), notIci.labelledProjects(), labels);
  }
}
