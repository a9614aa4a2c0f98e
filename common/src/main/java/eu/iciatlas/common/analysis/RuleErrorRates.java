package eu.iciatlas.common.analysis;

import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.io.InputException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
public record RuleErrorRates(Rate ici, Rate notIci, String rulesDigest, String labels, String unusableReason) {
  public static final String FILE = "classifier/rule_error_rates.csv";

  /** The labelled projects of one rule decision. */
  public record Rate(long labelledProjects, double weightedProjects, double weightedIcis, double effectiveProjects) {
    /** The weighted share of labelled ICIs. */
    public double share() {
      return weightedIcis / weightedProjects;
    }

    /** The sampling variance of {@link #share()}: p(1-p) / effective projects. */
    public double variance() {
      double p = share();
      return p * (1 - p) / effectiveProjects;
    }
  }

  /** One labelled project: the rules' decision, the label and the project's weight. */
  public record Decision(boolean predictedIci, boolean labelledIci, double weight) {}

  /** The rates of these labelled decisions (the two rule decisions must each have labelled projects). */
  public static RuleErrorRates measure(List<Decision> decisions, String rulesDigest, String labels) {
    return new RuleErrorRates(rate(decisions, true), rate(decisions, false), rulesDigest, labels, null);
  }

  private static Rate rate(List<Decision> decisions, boolean predicted) {
    long n = 0;
    double weight = 0;
    double icis = 0;
    double squares = 0;
    for (Decision d : decisions) {
      if (d.predictedIci() == predicted) {
        n++;
        weight += d.weight();
        icis += d.labelledIci() ? d.weight() : 0;
        squares += d.weight() * d.weight();
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("no labelled project the rules " + (predicted ? "call" : "do not call") + " ICI");
    }
    return new Rate(n, weight, icis, weight * weight / squares);
  }

  /**
   * The rates of conf/classifier/rule_error_rates.csv, usable when they were measured on the rules
   * whose digest is {@code configuredRulesDigest}; otherwise with the reason they are not.
   */
  public static RuleErrorRates load(ConfFiles conf, String configuredRulesDigest) {
    List<Map<String, String>> rows = conf.table(FILE);
    Rate ici = null;
    Rate notIci = null;
    String digest = null;
    String labels = null;
    for (int i = 0; i < rows.size(); i++) {
      Map<String, String> r = rows.get(i);
      Rate rate;
      try {
        rate = new Rate(Long.parseLong(ConfFiles.required(r, "labelled_projects", FILE, i)),
            Double.parseDouble(ConfFiles.required(r, "weighted_projects", FILE, i)),
            Double.parseDouble(ConfFiles.required(r, "weighted_icis", FILE, i)),
            Double.parseDouble(ConfFiles.required(r, "effective_projects", FILE, i)));
      } catch (NumberFormatException e) {
        throw new InputException("configuration file " + FILE + ", row " + (i + 1) + ": " + e.getMessage()
            + "; the counts are numbers (write the file with bin/ici-atlas train-classifier)");
      }
      if (rate.weightedProjects() <= 0 || rate.weightedIcis() < 0 || rate.weightedIcis() > rate.weightedProjects()
          || rate.effectiveProjects() <= 0) {
        throw new InputException("configuration file " + FILE + ", row " + (i + 1)
            + ": needs 0 <= weighted_icis <= weighted_projects and effective_projects > 0");
      }
      switch (ConfFiles.required(r, "rule_decision", FILE, i)) {
        case "ici" -> ici = rate;
        case "not_ici" -> notIci = rate;
        default -> throw new InputException("configuration file " + FILE + ", row " + (i + 1)
            + ": rule_decision is 'ici' or 'not_ici'");
      }
      String rowDigest = ConfFiles.required(r, "rules_digest", FILE, i);
      String rowLabels = ConfFiles.required(r, "labels", FILE, i);
      if ((digest != null && !digest.equals(rowDigest)) || (labels != null && !labels.equals(rowLabels))) {
        throw new InputException("configuration file " + FILE + ", row " + (i + 1) + ": rules_digest and labels differ from"
            + " the row before; both rows come from one measurement (write the file with bin/ici-atlas train-classifier)");
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

  private void row(StringBuilder s, String decision, Rate r) {
    s.append(String.format(Locale.ROOT, "%s;%d;%.4f;%.4f;%.2f;%s;%s%n", decision, r.labelledProjects(), r.weightedProjects(),
        r.weightedIcis(), r.effectiveProjects(), rulesDigest, labels));
  }

  /** What an expected share rests on, for expected_share_basis. */
  public String basis() {
    return String.format(Locale.ROOT, "count share corrected by the rules' measured error: %.1f %% of the projects they call ICI"
        + " are ICIs (%d labelled), %.1f %% of the others are (%d labelled); %s, weighted to the export; 95 %% interval by"
        + " normal approximation over both the classification of each project and the uncertainty of the two rates",
        100 * ici.share(), ici.labelledProjects(), 100 * notIci.share(), notIci.labelledProjects(), labels);
  }
}
