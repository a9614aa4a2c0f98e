package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import eu.iciatlas.common.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The star schema for BI tools: a participation fact table and dimensions of projects,
 * programmes, NUTS 2 regions (with indicators) and specializations. Surrogate keys are xxhash64
 * of the natural key with a per-dimension prefix, so they are stable across runs, dumps and
 * periods and need no lookup table; they are cut to 53 bits, so that every client (JavaScript,
 * Excel, pandas reading them as floats) keeps them exact: n keys collide with odds of about
 * n^2 / 2^54 (36,445 participations: 7e-8), and the tests check uniqueness. A participation
 * without a NUTS 2 region points at the period's explicit "unknown" region, never at null.
 * Dataset -> Dataset functions only.
 */
public final class StarSchema {
  /** 2^53 - 1: the largest integer a double holds exactly. */
  private static final long SAFE_INTEGER = (1L << 53) - 1;
  /** The nuts2 value the unknown region's key is made from (no NUTS code looks like it). */
  private static final String UNKNOWN = "unknown";
  /** The rule id of a classifier reason "rule_id(+1.5)", as IciClassifier writes them. */
  private static final String RULE_OF_REASON = "^(.*)\\([-+][0-9.]+\\)$";

  private StarSchema() {}

  /**
   * The periods of a star table, other than {@code analysed}, whose {@code keyColumn} holds keys of
   * the earlier 64-bit scheme (outside [0, 2^53)): an analysis of some periods only would leave
   * them unjoinable with the dimensions it rewrites whole.
   */
  public static Dataset<String> periodsWithOldKeys(Dataset<Row> starTable, String keyColumn, List<String> analysed) {
    return starTable.filter(col("period").isin(analysed.toArray()).unary_$bang())
        .filter(col(keyColumn).lt(0).or(col(keyColumn).gt(SAFE_INTEGER)))
        .select("period").distinct().orderBy("period").as(Encoders.STRING());
  }

  private static Column key(Column... parts) {
    return xxhash64(parts).bitwiseAND(lit(SAFE_INTEGER));
  }

  public static Column projectKey(Column projectId) {
    return key(lit("project"), projectId);
  }

  public static Column programmeKey(Column programmeKey) {
    return key(lit("programme"), programmeKey);
  }

  /** The region's key; a null nuts2 gives the key of the period's unknown region. */
  public static Column regionKey(Column nuts2, Column period) {
    return key(lit("nuts2"), coalesce(nuts2, lit(UNKNOWN)), period);
  }

  public static Column specializationKey(Column code) {
    return key(lit("specialization"), code);
  }

  public static Dataset<Row> factParticipation(Dataset<Row> participations, Dataset<Row> projects) {
    return participations.join(projects.select(col("project_id"), col("is_ici")), Columns.names("project_id"), "left")
        .select(key(lit("participation"), col("participation_id")).as("participation_key"),
            col("participation_id"), projectKey(col("project_id")).as("project_key"),
            programmeKey(col("programme_key")).as("programme_sk"), regionKey(col("nuts2"), col("period")).as("region_key"),
            col("period"), col("country_code"), col("nuts2"), GoldTables.organisationKey().as("organisation_key"),
            col("organisation"), col("legal_status"),
            when(col("is_lead"), 1).otherwise(0).as("is_lead"),
            when(col("is_ici"), 1).otherwise(0).as("is_ici_project"), lit(1).as("participation_count"));
  }

  public static Dataset<Row> dimProject(Dataset<Row> projects, Dataset<Row> projectRegions) {
    return projects.join(projectRegions.select("project_id", "region_id", "region_name", "region_kind"),
            Columns.names("project_id"), "left")
        .select(projectKey(col("project_id")).as("project_key"), col("project_id"),
            programmeKey(col("programme_key")).as("programme_sk"), col("programme"), col("period"), col("acronym"),
            col("title"), col("project_start"), col("project_end"), col("total_budget"), col("eu_funding"),
            col("is_ici"), col("ici_score"), listText(col("ici_reasons")).as("ici_reason_list"), col("primary_specialization"),
            col("has_text"),
            col("partners"), col("region_id"), col("region_name"), col("region_kind"));
  }

  public static Dataset<Row> dimProgramme(Dataset<Row> programmes) {
    return programmes.select(programmeKey(col("programme_key")).as("programme_sk"), col("programme_key"),
        col("programme"), col("period"), col("strand"), listText(col("countries")).as("country_list"), col("project_count"));
  }

  /**
   * A list as one text ('|'-separated, as in the CSVs): the dimensions hold no list columns, which the Power BI and
   * Tableau Parquet connectors read poorly; the bridges below hold the lists as rows.
   */
  private static Column listText(Column list) {
    return array_join(list, "|");
  }

  /** Programmes x the countries their names mention (silver_programmes.countries): the list star_dim_programme.country_list as rows. */
  public static Dataset<Row> bridgeProgrammeCountry(Dataset<Row> programmes) {
    return programmes.select(col("programme_key"), col("period"), explode(col("countries")).as("country_code"))
        .select(programmeKey(col("programme_key")).as("programme_sk"), col("country_code"), col("programme_key"), col("period"));
  }

  /**
   * Projects x the classifier rules that fired for them, in the classifier's order: star_dim_project.ici_reason_list as
   * rows, with each rule's weight as configured (the reason text rounds it to one decimal).
   */
  public static Dataset<Row> bridgeProjectReason(Dataset<Row> projects, java.util.Map<String, Double> ruleWeights) {
    List<Column> weights = new ArrayList<>();
    ruleWeights.forEach((rule, weight) -> {
      weights.add(lit(rule));
      weights.add(lit(weight));
    });
    Column weightOf = map(weights.toArray(new Column[0]));
    return projects.select(col("project_id"), col("period"), posexplode(col("ici_reasons")).as(new String[] {"position", "reason"}))
        .withColumn("rule_id", regexp_extract(col("reason"), RULE_OF_REASON, 1))
        .select(projectKey(col("project_id")).as("project_key"), col("position").plus(1).as("reason_rank"), col("rule_id"),
            element_at(weightOf, col("rule_id")).as("weight"), col("reason"), col("project_id"), col("period"));
  }

  /**
   * NUTS 2 x period with the region's name and urban-rural type and the indicators of
   * gold_region_profile, and one unknown member per period of the participations.
   */
  public static Dataset<Row> dimRegion(Dataset<Row> regionProfile, Dataset<Row> participations, Dataset<Row> nutsRegions,
      int nutsVersion) {
    Dataset<Row> names = nutsRegions.filter(col("nuts_version").equalTo(nutsVersion).and(col("level").equalTo(2)))
        .select(col("nuts_id").as("nuts2"), col("name").as("nuts2_name"), col("country_code"), col("urbn_type"));
    List<Column> columns = new ArrayList<>(List.of(regionKey(col("nuts2"), col("period")).as("region_key"),
        col("nuts2"), col("period"), col("nuts2_name"), col("country_code"), col("urbn_type")));
    for (String c : regionProfile.columns()) {
      if (!List.of("nuts2", "period").contains(c)) {
        columns.add(col(c));
      }
    }
    Dataset<Row> known = regionProfile.join(names, Columns.names("nuts2"), "left").select(columns.toArray(new Column[0]));
    // one unknown member per period, for the participations without a NUTS 2 region of the version
    Dataset<Row> unknown = participations.select("period").distinct()
        .select(regionKey(lit(null).cast("string"), col("period")).as("region_key"), lit(null).cast("string").as("nuts2"),
            col("period"), lit("unknown (no NUTS 2 region in this NUTS version)").as("nuts2_name"));
    if (java.util.Arrays.asList(known.columns()).contains("nuts_version")) {
      unknown = unknown.withColumn("nuts_version", lit(nutsVersion));
    }
    return known.unionByName(unknown, true);
  }

  public static Dataset<Row> dimSpecialization(SparkSession spark) {
    List<Row> labelled = IciClassifier.SPECIALIZATION_LABELS.entrySet().stream()
        .map(e -> org.apache.spark.sql.RowFactory.create(e.getKey(), e.getValue())).toList();
    return spark.createDataFrame(labelled, new org.apache.spark.sql.types.StructType()
            .add("specialization", DataTypes.StringType, false).add("label", DataTypes.StringType, false))
        .select(specializationKey(col("specialization")).as("specialization_key"), col("specialization"), col("label"));
  }

  /** ICI projects x their specializations ('other' when none), the classifier's primary one flagged. */
  public static Dataset<Row> bridgeProjectSpecialization(Dataset<Row> projects) {
    return projects.filter(col("is_ici"))
        .select(col("project_id"), col("period"), col("primary_specialization"), explode(IciClassifier.specializationCodes()).as("specialization"))
        .select(projectKey(col("project_id")).as("project_key"), specializationKey(col("specialization")).as("specialization_key"),
            col("project_id"), col("period"), col("specialization"),
            col("specialization").eqNullSafe(col("primary_specialization")).as("is_primary"));
  }
}
