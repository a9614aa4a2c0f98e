package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.analysis.IciClassifier;
import eu.iciatlas.common.analysis.IciModel;
import eu.iciatlas.common.analysis.TextFreeRates;
import eu.iciatlas.common.analysis.RuleErrorRates;
import eu.iciatlas.common.io.FileDigest;
import eu.iciatlas.common.output.OutputTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * TrainClassifierJob: fits the learned ICI classifier ({@link IciModel}) on the labelled projects
 * and measures it honestly.
 *
 * <p>Inputs: silver_projects, silver_participations and silver_programmes of an --output that holds the
 * bundled 2014-2020 export, classified here by the rules of the configuration, and a label file (data/evaluation/ici_labels_v2.csv:
 * project_id, is_ici, weight). Stratified 10-fold cross-validation (folds by label, seeded) picks
 * the regularisation and the probability threshold that give the best F1 weighted to the export,
 * and reports out-of-fold precision, recall, F1, Brier score and a reliability table for the model,
 * next to the rules and the theme-only baseline on the same projects. The model is then fitted on
 * every labelled project and written, with model.json (settings, data digest, figures),
 * evaluation.md and rule_error_rates.csv (the rules' measured error, {@link RuleErrorRates}: copy it
 * to conf/classifier/ when the rules change), to --model (default conf/classifier/model).
 */
public final class TrainClassifierJob {
  public record Config(String output, Path labels, String model, List<Double> regParams, int folds, long seed,
      IciModel.Features features, IciClassifier rules) {}

  /** One project's out-of-fold probability. */
  record Scored(String evalId, boolean truth, double weight, double probability, boolean rules, boolean theme) {}

  /** A labelled ICI the rules call ICI too: its weight, the readers' codes (primary first), the rules' codes and primary. */
  record Specializations(double weight, List<String> labelled, List<String> assigned, String primary) {}

  /** Weighted precision, recall, F1, Brier score. */
  record Figures(double precision, double recall, double f1, double brier, double positives) {}

  private final Config config;
  private final SparkSession spark;
  private final Progress progress;

  public TrainClassifierJob(Config config, SparkSession spark, Progress progress) {
    this.config = config;
    this.spark = spark;
    this.progress = progress;
  }

  public Map<String, Object> run() {
    // the labelled features are persisted for the folds and released when training ends, failed or not
    try (Persisted persisted = new Persisted()) {
      return train(persisted);
    }
  }

  /**
   * The projects of the labels' periods with the decisions of {@code rules}, classified here rather than read from
   * silver_project_classification: the rules' error rates this job writes are named by the rules of the configuration,
   * and the table holds what the last analysis decided (other rules, or texts an 'ingest' has since replaced).
   */
  static Dataset<Row> classifiedProjectsOfLabelledPeriods(OutputTables tables, Dataset<Row> labels, IciClassifier rules) {
    Dataset<Row> silver = tables.read(Tables.SILVER_PROJECTS);
    Dataset<Row> periods = silver.join(labels.select("project_id").distinct(), "project_id").select("period").distinct();
    Dataset<Row> projects = silver.join(periods, "period");
    return IciClassifier.withClassification(projects,
        rules.classification(projects, tables.read(Tables.SILVER_PARTICIPATIONS).join(periods, "period")));
  }

  private Map<String, Object> train(Persisted persisted) {
    Instant start = Instant.now();
    OutputTables tables = new OutputTables(spark, config.output());
    Dataset<Row> labelFile = spark.read().option("header", "true").option("multiLine", "true").option("escape", "\"")
        .csv(config.labels().toString());
    Dataset<Row> labels = labelFile
        .select(col("eval_id"), col("project_id"), col("is_ici").cast("double").as("label"), col("weight").cast("double"));
    Dataset<Row> projects = persisted.keep(classifiedProjectsOfLabelledPeriods(tables, labels, config.rules())
        .join(tables.read(Tables.SILVER_PROGRAMMES).select("programme_key", "strand"), "programme_key"), StorageLevel.MEMORY_AND_DISK());
    // vocabularies from the texts of every project of the labelled export (its period), never from labels
    Dataset<Row> export = projects.join(labels.select("project_id"), "project_id").select("period").distinct()
        .join(projects, "period").filter(col("has_project_record"));
    // the text-free model learns with the text hidden: its feature stages read only acronym, lead partner and strand
    PipelineModel features = IciModel.featurePipeline(config.features()).fit(export);
    Dataset<Row> labelled = persisted.keep(features.transform(labels.join(projects, "project_id"))
        .withColumn("fold", row_number().over(Window.partitionBy("label").orderBy(xxhash64(col("eval_id"), lit(config.seed()))))
            .minus(1).mod(config.folds()))
        .withColumn("theme_baseline", array_contains(col("themes"), "Clustering and economic cooperation"))
        .select("eval_id", "label", "weight", "fold", "is_ici", "theme_baseline", "m_features"),
        StorageLevel.MEMORY_AND_DISK());
    long n = labelled.count();
    long expected = labels.count();
    if (n != expected) {
      throw new eu.iciatlas.common.io.InputException("--labels " + config.labels() + ": " + (expected - n) + " of " + expected
          + " labelled projects are not in silver_projects of " + config.output() + "; run the pipeline on the export they come from");
    }
    progress.stage("features of the labelled projects", n + " projects, " + IciModel.featureNames(features).size()
        + " features, " + config.folds() + " folds", start);

    Map<Double, List<Scored>> outOfFold = new LinkedHashMap<>();
    for (double reg : config.regParams()) {
      Instant cvStart = Instant.now();
      List<Scored> scored = new ArrayList<>();
      for (int k = 0; k < config.folds(); k++) {
        var regression = IciModel.regression(reg).fit(labelled.filter(col("fold").notEqual(k)));
        for (Row r : IciModel.probability(regression, labelled.filter(col("fold").equalTo(k)))
            .select("eval_id", "label", "weight", "ici_probability", "is_ici", "theme_baseline").collectAsList()) {
          scored.add(new Scored(r.getString(0), r.getDouble(1) == 1.0, r.getDouble(2), r.getDouble(3), r.getBoolean(4),
              r.getBoolean(5)));
        }
      }
      outOfFold.put(reg, scored);
      progress.stage("cross-validate regParam " + reg, config.folds() + " fits, best F1 " + String.format(Locale.ROOT, "%.3f",
          bestF1(scored)), cvStart);
    }
    double bestReg = Double.NaN;
    double bestThreshold = 0.5;
    Figures best = null;
    for (Map.Entry<Double, List<Scored>> e : outOfFold.entrySet()) {
      for (int t = 5; t <= 95; t++) {
        Figures f = figures(e.getValue(), t / 100.0);
        if (best == null || f.f1() > best.f1() + 1e-12) {
          best = f;
          bestReg = e.getKey();
          bestThreshold = t / 100.0;
        }
      }
    }
    List<Scored> chosen = outOfFold.get(bestReg);

    Instant fitStart = Instant.now();
    PipelineModel model = IciModel.model(features, bestReg, labels.join(projects, "project_id"));
    IciModel.save(model, config.model());
    progress.stage("fit on every labelled project", "regParam " + bestReg + ", threshold " + bestThreshold, fitStart);

    Map<String, Object> card = new LinkedHashMap<>();
    card.put("model", switch (config.features()) {
      case TEXT -> "logistic regression over words, word pairs, themes, rule hits, strand and partnership (IciModel)";
      case NO_TEXT -> "logistic regression over themes, rule hits, strand and partnership (IciModel, no text features)";
      case TEXT_FREE -> "logistic regression over the words of the acronym and the lead partner's name and the strand"
          + " (IciModel, text-free: what the exports without project text have)";
    });
    card.put("trained_at", Instant.now().toString());
    card.put("labels", config.labels().getFileName().toString());
    card.put("labels_sha256", sha256(config.labels()));
    card.put("labelled_projects", n);
    card.put("reg_param", bestReg);
    card.put("threshold", bestThreshold);
    card.put("folds", config.folds());
    card.put("seed", config.seed());
    card.put("features", IciModel.featureNames(model).size());
    card.put("features_used", config.features().name().toLowerCase(Locale.ROOT));
    card.put("cross_validated_weighted", asMap(best));
    card.put("cross_validated_unweighted", asMap(figuresUnweighted(chosen, bestThreshold)));
    card.put("rules_weighted", asMap(decisionFigures(chosen, true, true)));
    card.put("theme_baseline_weighted", asMap(decisionFigures(chosen, false, true)));
    card.put("reliability", reliability(chosen));
    card.put("specializations_of_the_rules", specializationFigures(labelFile.filter(col("is_ici").equalTo("1"))
        .select(col("project_id"), col("weight").cast("double").as("weight"),
            split(coalesce(col("specializations"), lit("")), "\\|").as("labelled"))
        .join(projects.filter(col("is_ici")).select(col("project_id"), IciClassifier.specializationCodes().as("assigned"),
            col("primary_specialization")), "project_id")
        .select("weight", "labelled", "assigned", "primary_specialization").collectAsList().stream()
        .map(r -> new Specializations(r.getDouble(0), r.getList(1), r.getList(2), r.getString(3))).toList()));
    card.put("command", "bin/ici-atlas train-classifier --output " + eu.iciatlas.common.io.InputSniffer.display(config.output()) + " --labels "
        + config.labels() + " --model " + config.model());
    RuleErrorRates errorRates = RuleErrorRates.measure(chosen.stream()
        .map(x -> new RuleErrorRates.Decision(x.rules(), x.truth(), x.weight())).toList(), config.rules().decisionDigest(),
        labelsName(config.labels(), (String) card.get("labels_sha256")));
    TextFreeRates textFree = null;
    if (config.features() == IciModel.Features.TEXT_FREE) {
      textFree = TextFreeRates.measure(chosen.stream().map(x -> new TextFreeRates.Scored(x.probability(), x.truth(), x.weight()))
          .toList(), labelsName(config.labels(), (String) card.get("labels_sha256")));
      card.put("text_free_threshold", textFree.threshold());
      card.put("text_free_sensitivity", textFree.sensitivity().value());
      card.put("text_free_specificity", textFree.specificity().value());
      card.put("text_free_youden_j", textFree.youden());
    }
    writeCard(card, chosen, bestThreshold, errorRates, textFree);
    return card;
  }

  /** How rule_error_rates.csv and expected_share_basis name the labels: file name and the start of its SHA-256. */
  static String labelsName(Path labels, String sha256) {
    return labels.getFileName() + " (sha256 " + sha256.substring(0, 12) + ")";
  }

  private void writeCard(Map<String, Object> card, List<Scored> chosen, double threshold, RuleErrorRates errorRates,
      TextFreeRates textFree) {
    org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(config.model());
    try {
      org.apache.hadoop.fs.FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (var out = fs.create(new org.apache.hadoop.fs.Path(folder, "model.json"), true)) {
        out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(card));
      }
      try (var out = fs.create(new org.apache.hadoop.fs.Path(folder, "evaluation.md"), true)) {
        out.write(evaluation(card, chosen, threshold, textFree).getBytes(StandardCharsets.UTF_8));
      }
      if (textFree == null) {
        // the rules' error for the expected shares of gold_ici_share: copied to conf/classifier/ when the rules change
        try (var out = fs.create(new org.apache.hadoop.fs.Path(folder, "rule_error_rates.csv"), true)) {
          out.write(errorRates.csv().getBytes(StandardCharsets.UTF_8));
        }
      } else {
        // the text-free model's sensitivity and specificity, for the corrected shares of periods without text
        try (var out = fs.create(new org.apache.hadoop.fs.Path(folder, "text_free_rates.csv"), true)) {
          out.write(textFree.csv().getBytes(StandardCharsets.UTF_8));
        }
      }
      // the model folder is committed to the repository: no Hadoop checksums or markers in it
      eu.iciatlas.common.output.BiCopies.removeHadoopLitter(fs, folder);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + folder + "/model.json: " + e.getMessage(), e);
    }
  }

  private static String evaluation(Map<String, Object> card, List<Scored> chosen, double threshold, TextFreeRates textFree) {
    StringBuilder md = new StringBuilder();
    md.append("# The learned ICI classifier: cross-validated evaluation\n\n")
        .append(String.format(Locale.ROOT, "%d labelled projects (`%s`, sha256 %s), stratified %d-fold cross-validation "
            + "(seed %d); regularisation %.3g and threshold %.2f chosen on the out-of-fold predictions (best F1 weighted to the export). "
            + "Every figure of the model is out of fold: no project was scored by a model that had seen its label. "
            + "\"Weighted\" uses the post-stratification weights of the sample, so it estimates the figures over the whole export. "
            + "Made by `%s`.%n%n", card.get("labelled_projects"), card.get("labels"), ((String) card.get("labels_sha256")).substring(0, 12),
            card.get("folds"), card.get("seed"), card.get("reg_param"), threshold, card.get("command")))
        .append("| classifier | precision | recall | F1 | Brier | weighted ICIs predicted / labelled |\n|---|---|---|---|---|---|\n");
    double labelledIcis = chosen.stream().filter(Scored::truth).mapToDouble(Scored::weight).sum();
    row(md, "learned model, weighted", figures(chosen, threshold), labelledIcis);
    row(md, "rules (`ici.threshold`), weighted", decisionFigures(chosen, true, true), labelledIcis);
    row(md, "theme-only baseline, weighted", decisionFigures(chosen, false, true), labelledIcis);
    row(md, "learned model, unweighted", figuresUnweighted(chosen, threshold), chosen.stream().filter(Scored::truth).count());
    row(md, "rules, unweighted", decisionFigures(chosen, true, false), chosen.stream().filter(Scored::truth).count());
    md.append("\nBrier score of the rules and the baseline: their 0/1 decision as the probability (= weighted error rate).\n");
    if (textFree != null) {
      md.append(String.format(Locale.ROOT, "%nThe model saw no project text (acronym, lead partner's name and strand only: what the"
          + " 2000-2013 export has), so its figures show what a period without text can be measured with; the rules' rows use the"
          + " text. For the corrected shares of such periods (text_free_rates.csv), at the threshold of best Youden's J (%.2f):"
          + " sensitivity %.3f (%d labelled ICIs, effective %.1f), specificity %.3f (%d labelled others, effective %.1f),"
          + " J = %.3f.%n", textFree.threshold(), textFree.sensitivity().value(), textFree.sensitivity().labelledProjects(),
          textFree.sensitivity().effectiveProjects(), textFree.specificity().value(), textFree.specificity().labelledProjects(),
          textFree.specificity().effectiveProjects(), textFree.youden()));
    }
    md.append("\n")
        .append("## Reliability (calibration), out of fold, weighted\n\n| predicted probability | projects | weight | mean predicted | observed ICI share |\n|---|---|---|---|---|\n");
    for (Map<String, Object> bin : reliability(chosen)) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.3f | %s |%n", bin.get("bin"), bin.get("projects"), bin.get("weight"),
          bin.get("mean_predicted"), bin.get("observed") == null ? "" : String.format(Locale.ROOT, "%.3f", bin.get("observed"))));
    }
    md.append("\n## Specializations of the rules, on the labelled ICIs they call ICI too\n\n"
        + "Counts are of projects; precision and recall are weighted to the export.\n\n"
        + "| specialization | labelled | assigned by the rules | precision | recall |\n|---|---|---|---|---|\n");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> specs = (List<Map<String, Object>>) card.get("specializations_of_the_rules");
    for (Map<String, Object> sp : specs) {
      md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s |%n", sp.get("specialization"), sp.get("labelled"),
          sp.get("assigned_by_rules"), figure(sp.get("precision")), figure(sp.get("recall"))));
    }
    return md.toString();
  }

  private static String figure(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.2f", (Double) v);
  }

  /**
   * Per specialization, over the labelled ICIs that the rules call ICI too: how many carry it by label and by the rules, and the rules' weighted precision and recall for it
   * (null where nothing to divide by); the last entry is the weighted share whose primary agrees.
   */
  static List<Map<String, Object>> specializationFigures(List<Specializations> rows) {
    java.util.TreeSet<String> codes = new java.util.TreeSet<>();
    for (Specializations r : rows) {
      r.labelled().stream().filter(c -> !c.isEmpty()).forEach(codes::add);
      codes.addAll(r.assigned());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String code : codes) {
      long labelled = 0;
      long assigned = 0;
      double both = 0;
      double labelledWeight = 0;
      double assignedWeight = 0;
      for (Specializations r : rows) {
        boolean l = r.labelled().contains(code);
        boolean a = r.assigned().contains(code);
        labelled += l ? 1 : 0;
        assigned += a ? 1 : 0;
        labelledWeight += l ? r.weight() : 0;
        assignedWeight += a ? r.weight() : 0;
        both += l && a ? r.weight() : 0;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("specialization", code);
      m.put("labelled", labelled);
      m.put("assigned_by_rules", assigned);
      m.put("precision", assignedWeight == 0 ? null : both / assignedWeight);
      m.put("recall", labelledWeight == 0 ? null : both / labelledWeight);
      out.add(m);
    }
    double agree = 0;
    double total = 0;
    for (Specializations r : rows) {
      total += r.weight();
      agree += r.labelled().get(0).equals(r.primary()) ? r.weight() : 0;
    }
    Map<String, Object> primary = new LinkedHashMap<>();
    primary.put("specialization", "primary agrees");
    primary.put("labelled", (long) rows.size());
    primary.put("assigned_by_rules", (long) rows.size());
    primary.put("precision", total == 0 ? null : agree / total);
    primary.put("recall", total == 0 ? null : agree / total);
    out.add(primary);
    return out;
  }

  private static void row(StringBuilder md, String name, Figures f, double labelledIcis) {
    md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.0f / %.0f |%n", name, f.precision(), f.recall(),
        f.f1(), f.brier(), f.positives(), labelledIcis));
  }

  private static double bestF1(List<Scored> scored) {
    double best = 0;
    for (int t = 5; t <= 95; t++) {
      double f1 = figures(scored, t / 100.0).f1();
      best = Double.isNaN(f1) ? best : Math.max(best, f1); // NaN: no project predicted ICI at this threshold
    }
    return best;
  }

  static Figures figures(List<Scored> scored, double threshold) {
    return score(scored, s -> s.probability() >= threshold, Scored::probability, true);
  }

  static Figures figuresUnweighted(List<Scored> scored, double threshold) {
    return score(scored, s -> s.probability() >= threshold, Scored::probability, false);
  }

  static Figures decisionFigures(List<Scored> scored, boolean rules, boolean weighted) {
    java.util.function.Predicate<Scored> decision = rules ? Scored::rules : Scored::theme;
    return score(scored, decision, s -> decision.test(s) ? 1.0 : 0.0, weighted);
  }

  private static Figures score(List<Scored> scored, java.util.function.Predicate<Scored> predicted,
      java.util.function.ToDoubleFunction<Scored> probability, boolean weighted) {
    double tp = 0;
    double fp = 0;
    double fn = 0;
    double brier = 0;
    double total = 0;
    for (Scored s : scored) {
      double w = weighted ? s.weight() : 1;
      boolean p = predicted.test(s);
      tp += p && s.truth() ? w : 0;
      fp += p && !s.truth() ? w : 0;
      fn += !p && s.truth() ? w : 0;
      double err = probability.applyAsDouble(s) - (s.truth() ? 1 : 0);
      brier += w * err * err;
      total += w;
    }
    double precision = tp + fp == 0 ? Double.NaN : tp / (tp + fp);
    double recall = tp / (tp + fn);
    return new Figures(precision, recall, 2 * precision * recall / (precision + recall), brier / total, tp + fp);
  }

  /** Ten equal-width bins of the predicted probability: weighted mean prediction against the observed share. */
  static List<Map<String, Object>> reliability(List<Scored> scored) {
    List<Map<String, Object>> bins = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      double lo = b / 10.0;
      double hi = (b + 1) / 10.0;
      int count = 0;
      double w = 0;
      double predicted = 0;
      double observed = 0;
      for (Scored s : scored) {
        if (s.probability() >= lo && (s.probability() < hi || (b == 9 && s.probability() <= 1))) {
          count++;
          w += s.weight();
          predicted += s.weight() * s.probability();
          observed += s.truth() ? s.weight() : 0;
        }
      }
      Map<String, Object> bin = new LinkedHashMap<>();
      bin.put("bin", String.format(Locale.ROOT, "%.1f-%.1f", lo, hi));
      bin.put("projects", count);
      bin.put("weight", w);
      bin.put("mean_predicted", w == 0 ? 0.0 : predicted / w);
      bin.put("observed", w == 0 ? null : observed / w);
      bins.add(bin);
    }
    return bins;
  }

  private static Map<String, Object> asMap(Figures f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("precision", f.precision());
    m.put("recall", f.recall());
    m.put("f1", f.f1());
    m.put("brier", f.brier());
    return m;
  }

  private String sha256(Path file) {
    return FileDigest.of(file.toAbsolutePath().toString(), spark.sparkContext().hadoopConfiguration()).sha256();
  }
}
