package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.CountVectorizer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The learned ICI classifier: a logistic regression (Spark MLlib) over what the rules see and
 * more: the words and word pairs of every text field in every language, the Keep.eu themes, the
 * rules that fired (their names, from {@code ici_reasons}), the programme's strand and the
 * partnership (partners, private partners, business-support and research partners, countries).
 * Its output is {@code ici_probability}. It is measured by {@code train-classifier} and not yet used
 * by the analysis (it does not beat the rules yet: data/evaluation/learned_classifier/). The text-free
 * variant ({@link Features#TEXT_FREE}, conf/classifier/text_free_model/) feeds gold_ici_share_estimated
 * ({@link EstimatedShares}) for the periods without project text.
 *
 * <p>Fitting and saving run Spark jobs (train-classifier's, at its edges); {@link #probability} is a lazy
 * transformation that the analysis chains like the others.
 *
 * <p>The feature stages are Spark ML built-ins saved with the model (one PipelineModel folder).
 * Vocabularies are capped (words and word pairs in at least 10 texts, the 4,000 and 2,000 most
 * frequent): 600 labelled projects cannot weigh more terms than that.
 */
public final class IciModel {
  /** Numeric and indicator features, in the assembler's order after the vocabularies. */
  static final List<String> NUMERIC = List.of("f_partners", "f_private_partners", "f_business_support", "f_research",
      "f_countries", "f_has_text", "f_strand_cross_border", "f_strand_transnational", "f_strand_interregional",
      "f_strand_eni_enpi", "f_strand_ipa");
  private static final List<String> STRANDS = List.of("cross_border", "transnational", "interregional", "eni_enpi", "ipa");
  private static final String TEXT_FIELDS = "acronym, title, title_lang2, title_lang3, description_en, description_1,"
      + " description_2, expected_results_en, expected_results_1, expected_results_2";

  private IciModel() {}

  /**
   * What a model sees. TEXT: everything; NO_TEXT: themes, rule hits, strand and partnership; TEXT_FREE:
   * only what the exports without project text have (the 2000-2013 partner export: acronym, lead
   * partner's name, programme strand; legal status is 'unknown' for 99 % of its partners and the
   * cross-border programmes list only the lead partner, so neither partnership nor rule hits).
   */
  public enum Features { TEXT, NO_TEXT, TEXT_FREE }

  /** Columns the model reads: silver_projects with the rules' columns (silver_project_classification) and the programme's strand. */
  static SQLTransformer features(Features set) {
    StringBuilder sql = new StringBuilder("SELECT *, ");
    if (set == Features.TEXT_FREE) {
      sql.append("lower(concat_ws(' ', acronym, array_join(coalesce(lead_partners, array()), ' '))) AS m_text");
    } else {
      sql.append("lower(concat_ws(' ', ").append(TEXT_FIELDS).append(")) AS m_text, ")
          .append("coalesce(themes, array()) AS m_themes, ")
          .append("transform(coalesce(ici_reasons, array()), r -> regexp_extract(r, '^([A-Za-z0-9_]+)', 1)) AS m_rules, ")
          .append("cast(coalesce(partners, 0) AS double) AS f_partners, ")
          .append("cast(coalesce(private_partners, 0) AS double) AS f_private_partners, ")
          .append("cast(coalesce(has_business_support, 0) AS double) AS f_business_support, ")
          .append("cast(coalesce(has_research, 0) AS double) AS f_research, ")
          .append("cast(coalesce(partner_countries, 0) AS double) AS f_countries, ")
          .append("CASE WHEN has_text THEN 1.0 ELSE 0.0 END AS f_has_text");
    }
    for (String strand : STRANDS) {
      sql.append(", CASE WHEN coalesce(strand, 'cross_border') = '").append(strand).append("' THEN 1.0 ELSE 0.0 END AS f_strand_")
          .append(strand);
    }
    return new SQLTransformer().setStatement(sql.append(" FROM __THIS__").toString());
  }

  /**
   * The unfitted feature stages: columns, tokens, vocabularies, one vector. The vocabularies are fitted
   * on texts only (every project of the export, labelled or not), never on labels.
   */
  public static Pipeline featurePipeline(Features set) {
    RegexTokenizer words = new RegexTokenizer().setInputCol("m_text").setOutputCol("m_words")
        .setPattern("[^\\p{L}\\p{N}]+").setMinTokenLength(3).setToLowercase(false);
    NGram pairs = new NGram().setN(2).setInputCol("m_words").setOutputCol("m_pairs");
    CountVectorizer wordVocabulary = new CountVectorizer().setInputCol("m_words").setOutputCol("v_words")
        .setMinDF(set == Features.TEXT_FREE ? 5 : 10).setVocabSize(4_000).setBinary(true);
    CountVectorizer pairVocabulary = new CountVectorizer().setInputCol("m_pairs").setOutputCol("v_pairs")
        .setMinDF(10).setVocabSize(2_000).setBinary(true);
    CountVectorizer themes = new CountVectorizer().setInputCol("m_themes").setOutputCol("v_themes").setMinDF(1).setBinary(true);
    CountVectorizer rules = new CountVectorizer().setInputCol("m_rules").setOutputCol("v_rules").setMinDF(1).setBinary(true);
    List<PipelineStage> stages = new ArrayList<>(List.of(features(set)));
    List<String> inputs = new ArrayList<>();
    switch (set) {
      case TEXT -> {
        stages.addAll(List.of(words, pairs, wordVocabulary, pairVocabulary, themes, rules));
        inputs.addAll(List.of("v_words", "v_pairs", "v_themes", "v_rules"));
        inputs.addAll(NUMERIC);
      }
      case NO_TEXT -> {
        stages.addAll(List.of(themes, rules));
        inputs.addAll(List.of("v_themes", "v_rules"));
        inputs.addAll(NUMERIC);
      }
      case TEXT_FREE -> {
        stages.addAll(List.of(words, wordVocabulary));
        inputs.add("v_words");
        STRANDS.forEach(strand -> inputs.add("f_strand_" + strand));
      }
    }
    stages.add(new VectorAssembler().setInputCols(inputs.toArray(new String[0])).setOutputCol("m_features"));
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0]));
  }

  /** The logistic regression over m_features, weighted by the sample weights (so probabilities refer to the export). */
  public static LogisticRegression regression(double regParam) {
    return new LogisticRegression().setFeaturesCol("m_features").setLabelCol("label").setWeightCol("weight")
        .setRegParam(regParam).setElasticNetParam(0.0).setStandardization(true).setMaxIter(100).setTol(1e-6)
        .setProbabilityCol("m_probability").setRawPredictionCol("m_raw").setPredictionCol("m_prediction");
  }

  /** One model of fitted feature stages and a regression fitted on {@code labelled} (the feature stages are not refitted). */
  public static PipelineModel model(PipelineModel features, double regParam, Dataset<Row> labelled) {
    List<PipelineStage> stages = new ArrayList<>(List.of(features.stages()));
    stages.add(regression(regParam));
    return new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(labelled);
  }

  /** ici_probability (probability of the ICI class) added to {@code rows}; the model's helper columns dropped. */
  public static Dataset<Row> probability(Transformer model, Dataset<Row> rows) {
    Dataset<Row> scored = model.transform(rows);
    return scored.withColumn("ici_probability", org.apache.spark.ml.functions.vector_to_array(col("m_probability"), "float64")
        .getItem(1));
  }

  /** The name of every feature of a fitted model, in the order of its coefficients. */
  public static List<String> featureNames(PipelineModel model) {
    List<String> names = new ArrayList<>();
    java.util.Map<String, String[]> label = java.util.Map.of("v_words", new String[] {"word '", "'"},
        "v_pairs", new String[] {"words '", "'"}, "v_themes", new String[] {"theme '", "'"}, "v_rules", new String[] {"rule ", ""});
    for (Transformer stage : model.stages()) {
      if (stage instanceof CountVectorizerModel cv) {
        String[] around = label.get(cv.getOutputCol());
        for (String term : cv.vocabulary()) {
          names.add(around[0] + term + around[1]);
        }
      }
    }
    for (Transformer stage : model.stages()) {
      if (stage instanceof VectorAssembler assembler) {
        java.util.Arrays.stream(assembler.getInputCols()).filter(c -> c.startsWith("f_")).forEach(names::add);
      }
    }
    return names;
  }

  public static void save(PipelineModel model, String folder) {
    try {
      model.write().overwrite().save(folder);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the model to " + folder + ": " + e.getMessage(), e);
    }
  }
}
