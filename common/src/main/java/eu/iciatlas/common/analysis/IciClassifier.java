package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.io.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * The explainable ICI classifier: weighted rules over themes, multilingual text and the
 * partnership (conf/classifier/ici_rules.csv, partner_types.csv) and the specialization taxonomy
 * (conf/classifier/specializations.csv). Spark built-in functions, except the text patterns, which
 * {@link TextPatterns} matches in one pass per project (two UDFs; its class comment says why).
 */
public final class IciClassifier {
  /**
   * The specializations, code to words, in the taxonomy's order (the rank of a project's
   * specializations), after the paper's list of industries (environmental tech, life science, ICT,
   * ..., cross-sector R&amp;D), for readers of the report and the star schema.
   */
  public static final Map<String, String> SPECIALIZATION_LABELS = labels("cleantech", "Environmental technologies",
      "life_science", "Life science", "ict", "ICT", "energy", "Energy", "maritime", "Maritime", "logistics", "Logistics",
      "tourism", "Tourism", "food", "Food", "forestry", "Forestry", "manufacturing", "Manufacturing",
      "construction", "Construction", "creative", "Creative industries", "nanotech", "Nanotech and new materials",
      "research", "Cross-sector R&D", "other", "Other");
  /** The specialization codes in the taxonomy's order (those of {@link #SPECIALIZATION_LABELS}). */
  public static final List<String> SPECIALIZATIONS = List.copyOf(SPECIALIZATION_LABELS.keySet());

  private static Map<String, String> labels(String... codesAndLabels) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (int i = 0; i < codesAndLabels.length; i += 2) {
      labels.put(codesAndLabels[i], codesAndLabels[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(labels);
  }

  /** The specialization in words; the code itself when it has no label. */
  public static String specializationLabel(String code) {
    return code == null ? null : SPECIALIZATION_LABELS.getOrDefault(code, code);
  }

  private static final Set<String> PARTNER_SIGNALS = Set.of("private_partner", "three_private_partners",
      "business_support_partner", "research_with_private", "three_countries");

  record Rule(String name, String kind, double weight, String pattern) {}

  record Specialization(String code, String pattern, List<String> themes) {}

  private final List<Rule> rules = new ArrayList<>();
  private final List<Rule> textRules = new ArrayList<>();

  /** Every rule's weight in ici_score, by rule id (what ici_reasons names). */
  public java.util.Map<String, Double> ruleWeights() {
    java.util.Map<String, Double> weights = new java.util.LinkedHashMap<>();
    rules.forEach(r -> weights.put(r.name(), r.weight()));
    return weights;
  }
  private final List<Specialization> specializations = new ArrayList<>();
  private final String businessSupportPattern;
  private final String researchPattern;
  private final double threshold;
  private final int minMatches;

  public IciClassifier(ConfFiles conf, PipelineSettings settings) {
    this.threshold = settings.iciThreshold();
    this.minMatches = settings.specializationMinMatches();
    for (ConfRow r : conf.table("classifier/ici_rules.csv", "rule", "kind", "pattern", "weight")) {
      String kind = r.required("kind");
      String pattern = r.required("pattern");
      if (kind.equals("text")) {
        r.checkedRegex(pattern);
      } else if (kind.equals("partner") && !PARTNER_SIGNALS.contains(pattern)) {
        throw r.error("partner signal '" + pattern + "' is not one of " + PARTNER_SIGNALS);
      } else if (!kind.equals("theme") && !kind.equals("partner")) {
        throw r.error("kind '" + kind + "' is not theme, text or partner");
      }
      Rule rule = new Rule(r.required("rule"), kind, r.number("weight"), pattern);
      rules.add(rule);
      if (kind.equals("text")) {
        textRules.add(rule);
      }
    }
    for (ConfRow r : conf.table("classifier/specializations.csv", "code", "pattern")) {
      String code = r.required("code");
      if (!SPECIALIZATIONS.contains(code)) {
        throw r.error("code '" + code + "' is not one of " + SPECIALIZATIONS);
      }
      String themes = r.get("themes");
      specializations.add(new Specialization(code, r.regex("pattern"), themes.isEmpty() ? List.of() : List.of(themes.split("\\|"))));
    }
    String support = null;
    String research = null;
    for (ConfRow r : conf.table("classifier/partner_types.csv", "type", "pattern")) {
      if ("business_support".equals(r.get("type"))) {
        support = r.regex("pattern");
      } else if ("research".equals(r.get("type"))) {
        research = r.regex("pattern");
      }
    }
    if (support == null || research == null) {
      throw new InputException("configuration file classifier/partner_types.csv needs the types business_support and research");
    }
    this.businessSupportPattern = support;
    this.researchPattern = research;
  }

  /**
   * SHA-256 of what decides is_ici: the rules, ici.threshold and the partner-type patterns. It names
   * the rules an error rate was measured on ({@link RuleErrorRates}).
   */
  public String decisionDigest() {
    StringBuilder s = new StringBuilder();
    for (Rule r : rules) {
      s.append(r.name()).append('\t').append(r.kind()).append('\t').append(r.weight()).append('\t').append(r.pattern()).append('\n');
    }
    s.append(threshold).append('\n').append(businessSupportPattern).append('\n').append(researchPattern);
    return eu.iciatlas.common.output.RunGuard.sha256(List.of(s.toString())).substring(0, 16);
  }

  /** Per project: the partnership signals the partner rules use. */
  public Dataset<Row> partnerSignals(Dataset<Row> participations) {
    Column name = lower(coalesce(col("organisation"), lit("")));
    Column isPrivate = col("legal_status").equalTo("private");
    return participations.groupBy("project_id").agg(
        count(lit(1)).as("partners"),
        sum(when(isPrivate, 1).otherwise(0)).as("private_partners"),
        max(when(name.rlike("(?i)" + businessSupportPattern), 1).otherwise(0)).as("has_business_support"),
        max(when(name.rlike("(?i)" + researchPattern), 1).otherwise(0)).as("has_research"),
        countDistinct(col("country_code")).as("partner_countries"));
  }

  /**
   * The columns of silver_project_classification beside its keys (period, project_id), in the order
   * {@link #classify} appends them: the partnership signals, the rules' score, reasons and decision,
   * and the specializations.
   */
  public static final List<String> CLASSIFICATION_COLUMNS = List.of("partners", "private_partners", "has_business_support",
      "has_research", "partner_countries", "ici_score", "ici_reasons", "is_ici", "classified_without_text", "specializations",
      "primary_specialization");

  /** silver_project_classification's column that names the rules a row was classified with ({@link #decisionDigest}). */
  public static final String RULES_DIGEST = "rules_digest";

  /**
   * silver_project_classification: per project (period, project_id), the {@link #CLASSIFICATION_COLUMNS}
   * of {@link #classify} and the digest of the rules that decided them.
   */
  public Dataset<Row> classification(Dataset<Row> projects, Dataset<Row> participations) {
    List<Column> columns = new ArrayList<>(List.of(col("period"), col("project_id")));
    CLASSIFICATION_COLUMNS.forEach(c -> columns.add(col(c)));
    columns.add(lit(decisionDigest()).as(RULES_DIGEST));
    return classify(projects, participations).select(columns.toArray(new Column[0]));
  }

  /**
   * The projects with their classification, in the column order silver_projects had when it carried
   * the classification itself (what the gold, star and network tables read); a project without a row
   * in the classification keeps nulls. Classification columns already on the projects (an output of
   * a version before the classification had its own table) are replaced. Joined by column names, so
   * that a classification computed from the same projects does not make the keys ambiguous.
   */
  public static Dataset<Row> withClassification(Dataset<Row> projects, Dataset<Row> classification) {
    List<String> columns = new ArrayList<>();
    for (String c : projects.columns()) {
      if (!CLASSIFICATION_COLUMNS.contains(c)) {
        columns.add(c);
      }
    }
    columns.addAll(CLASSIFICATION_COLUMNS);
    List<String> classified = new ArrayList<>(List.of("period", "project_id"));
    classified.addAll(CLASSIFICATION_COLUMNS);
    return projects.drop(CLASSIFICATION_COLUMNS.toArray(new String[0]))
        .join(classification.select(Columns.cols(classified)), Columns.names("period", "project_id"), "left")
        .select(Columns.cols(columns));
  }

  /**
   * Adds the {@link #CLASSIFICATION_COLUMNS} to silver projects: the partnership signals, is_ici,
   * ici_score, ici_reasons, classified_without_text, specializations (array of code, matches,
   * evidence) and primary_specialization.
   */
  public Dataset<Row> classify(Dataset<Row> projects, Dataset<Row> participations) {
    Dataset<Row> signals = partnerSignals(participations);
    Dataset<Row> base = projects.drop(CLASSIFICATION_COLUMNS.toArray(new String[0]))
        .join(signals, Columns.names("project_id"), "left")
        .withColumn("_text", lower(concat_ws(" ", splitCamelCase(col("acronym")), col("title"), col("title_lang2"), col("title_lang3"),
            col("description_en"), col("description_1"), col("description_2"), col("expected_results_en"),
            col("expected_results_1"), col("expected_results_2"))));
    Column themes = coalesce(col("themes"), array().cast(DataTypes.createArrayType(DataTypes.StringType)));
    Column privatePartners = coalesce(col("private_partners"), lit(0L));
    // The text rules' hits are one UDF column and each rule fires into a column of its own, read by both
    // ici_score and ici_reasons: the optimizer keeps a costly column that is used twice where it is, so
    // the matching runs once per project.
    Map<String, Column> ruleColumns = new LinkedHashMap<>();
    List<Column> fired = new ArrayList<>();
    Column score = lit(0.0);
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      Column fires = switch (rule.kind()) {
        case "theme" -> array_contains(themes, rule.pattern());
        case "text" -> element_at(col("_text_hits"), textRules.indexOf(rule) + 1);
        default -> switch (rule.pattern()) {
          case "private_partner" -> privatePartners.geq(1);
          case "three_private_partners" -> privatePartners.geq(3);
          case "business_support_partner" -> coalesce(col("has_business_support"), lit(0)).equalTo(1);
          case "research_with_private" -> coalesce(col("has_research"), lit(0)).equalTo(1).and(privatePartners.geq(1));
          default -> coalesce(col("partner_countries"), lit(0L)).geq(3);
        };
      };
      String ruleColumn = "_rule_" + i;
      ruleColumns.put(ruleColumn, coalesce(fires, lit(false)));
      fired.add(when(col(ruleColumn), lit(String.format(Locale.ROOT, "%s(%+.1f)", rule.name(), rule.weight()))));
      score = score.plus(when(col(ruleColumn), lit(rule.weight())).otherwise(lit(0.0)));
    }
    Dataset<Row> scored = base.withColumn("_text_hits", textRuleHits(col("_text"))).withColumns(ruleColumns)
        .withColumn("ici_score", score)
        .withColumn("ici_reasons", array_compact(array(fired.toArray(new Column[0]))))
        .withColumn("is_ici", col("ici_score").geq(threshold))
        .withColumn("classified_without_text", coalesce(col("has_text"), lit(false)).unary_$bang())
        .drop(ruleColumns.keySet().toArray(new String[0])).drop("_text_hits");

    // Every match of each specialization's pattern gives both the match count (their number, which
    // is how Spark defines regexp_count) and the evidence; non-ICIs run no specialization pattern.
    Map<String, Column> matchColumns = new LinkedHashMap<>();
    for (int i = 0; i < specializations.size(); i++) {
      matchColumns.put("_spec_" + i, element_at(col("_spec_matches"), i + 1));
    }
    scored = scored.withColumn("_spec_matches", when(col("is_ici"), specializationMatches(col("_text"))))
        .withColumns(matchColumns).drop("_spec_matches");
    List<Column> specs = new ArrayList<>();
    for (int i = 0; i < specializations.size(); i++) {
      Specialization s = specializations.get(i);
      Column found = col("_spec_" + i);
      Column themeMatches = lit(0);
      for (String t : s.themes()) {
        themeMatches = themeMatches.plus(when(array_contains(themes, t), lit(2)).otherwise(lit(0)));
      }
      Column matches = size(found).plus(themeMatches);
      Column evidence = slice(array_distinct(found), 1, 3);
      specs.add(struct(lit(s.code()).as("code"), matches.cast(DataTypes.IntegerType).as("matches"),
          lit(SPECIALIZATIONS.indexOf(s.code())).as("rank"), evidence.as("evidence"),
          concat_ws("|", filter(lit(s.themes().toArray(new String[0])).cast(DataTypes.createArrayType(DataTypes.StringType)),
              t -> array_contains(themes, t))).as("themes")));
    }
    Column all = array(specs.toArray(new Column[0]));
    Column assigned = filter(all, s -> s.getField("matches").geq(minMatches));
    // the primary has most matches, taxonomy order breaking ties, and is research only when
    // nothing else is assigned
    Column assignedOnce = col("_assigned");
    Column nonResearchOnce = filter(assignedOnce, s -> s.getField("code").notEqual("research"));
    Column poolOnce = when(size(nonResearchOnce).gt(0), nonResearchOnce).otherwise(assignedOnce);
    Column bestOnce = element_at(sort_array(transform(poolOnce, s -> struct(lit(0).minus(s.getField("matches")).as("neg"),
        s.getField("rank").as("rank"), s.getField("code").as("code"))), true), 1);
    return scored
        .withColumn("_assigned", when(col("is_ici"), assigned))
        .withColumn("specializations", transform(assignedOnce, s -> struct(s.getField("code").as("code"),
            s.getField("matches").as("matches"), s.getField("evidence").as("evidence"), s.getField("themes").as("themes"))))
        .withColumn("primary_specialization", when(col("is_ici"),
            when(size(assignedOnce).gt(0), bestOnce.getField("code")).otherwise(lit("other"))))
        .drop("_text", "_assigned")
        .drop(matchColumns.keySet().toArray(new String[0]));
  }

  /** Per project, whether each text rule fires (in {@link #textRules} order), all in one pass. */
  Column textRuleHits(Column text) {
    TextPatterns patterns = new TextPatterns(textRules.stream().map(Rule::pattern).toList());
    UDF1<String, List<Boolean>> hits = t -> {
      if (t == null) {
        return null;
      }
      boolean[] found = patterns.find(t);
      List<Boolean> list = new ArrayList<>(found.length);
      for (boolean f : found) {
        list.add(f);
      }
      return list;
    };
    return udf(hits, DataTypes.createArrayType(DataTypes.BooleanType, false)).apply(text);
  }

  /** Per project, every match of each specialization's pattern (in taxonomy file order), in one pass. */
  Column specializationMatches(Column text) {
    TextPatterns patterns = new TextPatterns(specializations.stream().map(Specialization::pattern).toList());
    UDF1<String, List<List<String>>> matches = t -> t == null ? null : patterns.findAll(t);
    return udf(matches, DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.StringType, false), false))
        .apply(text);
  }

  /** "EstRuClusterDevelopment" -> "Est Ru Cluster Development", so that words in acronyms are words. */
  static Column splitCamelCase(Column acronym) {
    return org.apache.spark.sql.functions.regexp_replace(acronym, "(\\p{Ll})(\\p{Lu})", "$1 $2");
  }

  /** Codes of an ICI's specializations, 'other' when none was assigned (for the gold tables). */
  public static Column specializationCodes() {
    return when(col("is_ici"), when(size(col("specializations")).gt(0),
        transform(col("specializations"), s -> s.getField("code"))).otherwise(array(lit("other"))));
  }

}
