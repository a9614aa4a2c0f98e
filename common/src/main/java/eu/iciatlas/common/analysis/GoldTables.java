package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Columns;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The gold tables: Dataset -> Dataset functions over silver_projects with their classification,
 * silver_project_regions, silver_participations and silver_region_indicators. No reads, writes or
 * actions; the statistics tables are in {@link StatisticsTables}.
 */
public final class GoldTables {
  private GoldTables() {}

  private static Dataset<Row> regionalProjects(Dataset<Row> projects, Dataset<Row> projectRegions) {
    return projects.select("project_id", "is_ici", "has_text", "specializations", "primary_specialization")
        .join(projectRegions.filter(col("region_id").isNotNull())
            .select("project_id", "period", "region_id", "region_name", "region_kind"), Columns.names("project_id"));
  }

  /** Below this share of projects with text, a region's ICI share is null (see share_null_reason). */
  public static final double MIN_TEXT_COMPLETENESS = 0.5;

  /**
   * ICI projects / projects, null where fewer than {@link #MIN_TEXT_COMPLETENESS} of the projects have text: a share
   * resting mostly on projects without text (acronym and partners only) is no measurement (gold_ici_share, and the NUTS 2
   * regions of gold_region_profile).
   */
  static Column shareWithText(Column iciProjects, Column projects, Column projectsWithText) {
    return when(projects.gt(0).and(projectsWithText.divide(projects).geq(MIN_TEXT_COMPLETENESS)), iciProjects.divide(projects));
  }

  /** Why {@link #shareWithText} is null: how few projects have text (null where the share is not). */
  static Column shareNullReason(Column share, Column projects, Column projectsWithText) {
    return when(share.isNull(), concat(lit("only "), projectsWithText.cast("string"), lit(" of "), projects.cast("string"),
        lit(" projects have a description or expected results in the input; a share from acronyms, titles and partners alone"
            + " is not comparable")));
  }

  /** gold_ici_share (Figure 2): region x period with exact numerator, denominator and input completeness. */
  public static Dataset<Row> iciShare(Dataset<Row> projects, Dataset<Row> projectRegions, Dataset<Row> participations,
      RuleErrorRates rates) {
    Dataset<Row> partnerCounts = participations.groupBy("project_id").agg(count(lit(1)).as("_partners"));
    return regionalProjects(projects, projectRegions)
        .join(partnerCounts, Columns.names("project_id"), "left")
        .groupBy("region_id", "region_name", "region_kind", "period")
        .agg(count(lit(1)).as("projects"),
            sum(when(col("is_ici"), 1).otherwise(0)).as("ici_projects"),
            sum(when(col("has_text"), 1).otherwise(0)).as("projects_with_text"),
            sum(when(col("is_ici").and(col("has_text").unary_$bang()), 1).otherwise(0)).as("ici_projects_without_text"),
            sum(when(coalesce(col("_partners"), lit(0L)).gt(1), 1).otherwise(0)).as("projects_with_more_than_lead_partner"))
        .withColumn("text_completeness", col("projects_with_text").divide(col("projects")))
        .withColumn("share", shareWithText(col("ici_projects"), col("projects"), col("projects_with_text")))
        .withColumn("share_null_reason", shareNullReason(col("share"), col("projects"), col("projects_with_text")))
        .withColumn("completeness_note", concat_ws("; ",
            when(col("share").isNotNull().and(col("text_completeness").lt(1)), concat(
                col("projects").minus(col("projects_with_text")).cast("string"),
                lit(" of the projects have no text: classified from acronym, title and partners only"))),
            when(col("projects_with_more_than_lead_partner").equalTo(0), lit("only lead partners in the input"))))
        .transform(d -> withExpectedShare(d, rates, col("ici_projects"), col("projects"), col("share").isNotNull(), "expected_share",
            "expected_ici_projects", "no count share to correct (see share_null_reason)"));
  }

  /**
   * Adds the expected share (the count share corrected by the rules' measured error, {@link
   * RuleErrorRates}), its 95 % interval and what it rests on. With k of n projects called ICI, the
   * expected number of ICIs is k p + (n - k) q (p: precision, q: false-omission rate) and its variance
   * k p(1-p) + (n-k) q(1-q) (which projects are wrong) + k^2 var(p) + (n-k)^2 var(q) (the rates'
   * own error, shared by every region, hence squared counts). Over pooled counts the same formula
   * holds, as the first part is linear in k and n - k.
   */
  private static Dataset<Row> withExpectedShare(Dataset<Row> d, RuleErrorRates rates, Column icis, Column projects,
      Column measured, String name, String countName, String unmeasuredBasis) {
    if (rates.unusableReason() != null) {
      return d.withColumn(countName, lit(null).cast("double")).withColumn(name, lit(null).cast("double"))
          .withColumn(name + "_low", lit(null).cast("double")).withColumn(name + "_high", lit(null).cast("double"))
          .withColumn("expected_share_basis", lit("no expected share: " + rates.unusableReason()));
    }
    double p = rates.ici().value();
    double q = rates.notIci().value();
    Column others = projects.minus(icis);
    Column expected = icis.multiply(p).plus(others.multiply(q));
    Column variance = icis.multiply(p * (1 - p)).plus(others.multiply(q * (1 - q)))
        .plus(icis.multiply(icis).multiply(rates.ici().variance())).plus(others.multiply(others).multiply(rates.notIci().variance()));
    Column margin = sqrt(variance).multiply(1.959964);
    return d.withColumn(countName, when(measured, expected))
        .withColumn(name, when(measured, expected.divide(projects)))
        .withColumn(name + "_low", when(measured, greatest(lit(0.0), expected.minus(margin).divide(projects))))
        .withColumn(name + "_high", when(measured, least(lit(1.0), expected.plus(margin).divide(projects))))
        .withColumn("expected_share_basis", when(measured, lit(rates.basis())).otherwise(lit(unmeasuredBasis)));
  }

  /** gold_ici_share_summary: per period and region kind, the mean of regional shares and the pooled share. */
  public static Dataset<Row> iciShareSummary(Dataset<Row> iciShare, RuleErrorRates rates) {
    Column measured = col("share").isNotNull();
    return iciShare.groupBy("period", "region_kind")
        .agg(count(lit(1)).as("regions"),
            sum(when(col("ici_projects").gt(0), 1).otherwise(0)).as("regions_with_ici"),
            sum(when(measured, 1).otherwise(0)).as("regions_with_share"),
            avg("share").as("mean_regional_share"),
            sum("ici_projects").as("ici_projects"), sum("projects").as("projects"),
            sum(when(measured, col("ici_projects"))).as("_measured_ici"), sum(when(measured, col("projects"))).as("_measured"))
        // both shares over the regions that have one (null when none has): see gold_ici_share.share_null_reason
        .withColumn("pooled_share", col("_measured_ici").divide(col("_measured")))
        .withColumn("share_null_reason", when(col("regions_with_share").equalTo(0),
            lit("no region of this kind has a measurable share: most projects have no text in the input")))
        .transform(d -> withExpectedShare(d, rates, col("_measured_ici"), col("_measured"), col("pooled_share").isNotNull(),
            "pooled_expected_share", "_expected_icis", "no pooled share to correct (see share_null_reason)"))
        .drop("_measured_ici", "_measured", "_expected_icis");
  }

  private static Dataset<Row> regionSpecializations(Dataset<Row> projects, Dataset<Row> projectRegions) {
    return regionalProjects(projects, projectRegions).filter(col("is_ici"))
        .withColumn("specialization", explode(IciClassifier.specializationCodes()))
        .groupBy("region_id", "region_kind", "period", "specialization")
        .agg(count(lit(1)).as("ici_projects"));
  }

  /** gold_specialization_share (Figure 3): share of regions with ICIs of each specialization. */
  public static Dataset<Row> specializationShare(Dataset<Row> projects, Dataset<Row> projectRegions, Dataset<Row> iciShare) {
    Dataset<Row> totals = iciShare.groupBy("period", "region_kind")
        .agg(count(lit(1)).as("regions"), sum(when(col("ici_projects").gt(0), 1).otherwise(0)).as("regions_with_ici"));
    return regionSpecializations(projects, projectRegions)
        .groupBy("period", "region_kind", "specialization")
        .agg(countDistinct("region_id").as("regions_with_specialization"), sum("ici_projects").as("ici_projects"))
        .join(totals, Columns.names("period", "region_kind"))
        .withColumn("share_of_regions", col("regions_with_specialization").divide(col("regions")))
        .withColumn("share_of_regions_with_ici", col("regions_with_specialization").divide(col("regions_with_ici")));
  }

  /**
   * gold_country_specialization (Table 1): per country, the number of regions it takes part in
   * (any participation in the region's projects) that have ICIs of each specialization, and the
   * number of specializations per country.
   */
  public static Dataset<Row> countrySpecialization(Dataset<Row> projects, Dataset<Row> projectRegions,
      Dataset<Row> participations) {
    Dataset<Row> countryRegions = participations.filter(col("country_code").isNotNull())
        .select("project_id", "country_code")
        .join(projectRegions.filter(col("region_id").isNotNull()).select("project_id", "period", "region_id", "region_kind"),
            Columns.names("project_id"))
        .select("country_code", "period", "region_id", "region_kind").distinct();
    Dataset<Row> perCountry = countryRegions.join(regionSpecializations(projects, projectRegions),
            Columns.names("period", "region_id", "region_kind"))
        .groupBy("period", "region_kind", "country_code", "specialization")
        .agg(countDistinct("region_id").as("regions"), sum("ici_projects").as("ici_projects"));
    Column specs = count(lit(1)).over(Window.partitionBy("period", "region_kind", "country_code"));
    Dataset<Row> regionsPerCountry = countryRegions.groupBy("period", "region_kind", "country_code")
        .agg(countDistinct("region_id").as("country_regions"));
    return perCountry.withColumn("country_specializations", specs)
        .join(regionsPerCountry, Columns.names("period", "region_kind", "country_code"));
  }

  /**
   * gold_cluster_comparison (Table 2): region x specialization: ICI projects and the established
   * international clusters of the same region and specialization.
   */
  public static Dataset<Row> clusterComparison(Dataset<Row> projects, Dataset<Row> projectRegions, Dataset<Row> clusters) {
    Dataset<Row> regions = projectRegions.filter(col("region_id").isNotNull())
        .select("period", "region_id", "region_name", "region_kind").distinct();
    Dataset<Row> clusterSpecs = regions.crossJoin(clusters)
        .filter(array_contains(col("cluster_regions"), col("region_id")).or(array_contains(col("cluster_regions"), "*")))
        .withColumn("specialization", explode(col("cluster_specializations")))
        .groupBy("period", "region_id", "specialization")
        .agg(array_sort(collect_set(col("cluster"))).as("established_clusters"));
    Dataset<Row> ici = regionSpecializations(projects, projectRegions).drop("region_kind");
    return ici.join(clusterSpecs, Columns.names("period", "region_id", "specialization"), "full_outer")
        .join(regions, Columns.names("period", "region_id"), "left")
        .select(col("period"), col("region_id"), col("region_name"), col("region_kind"), col("specialization"),
            coalesce(col("ici_projects"), lit(0L)).as("ici_projects"),
            col("established_clusters"),
            coalesce(size(col("established_clusters")), lit(0)).as("established_cluster_count"))
        .withColumn("overlap", col("ici_projects").gt(0).and(col("established_cluster_count").gt(0)));
  }

  /** Region id -> has an established cluster of its own (a '*' cluster covers every region, so it does not count). */
  public static Dataset<Row> regionsWithClusters(Dataset<Row> projectRegions, Dataset<Row> clusters) {
    Dataset<Row> regions = projectRegions.filter(col("region_id").isNotNull()).select("period", "region_id").distinct();
    return regions.crossJoin(clusters.select("cluster_regions"))
        .groupBy("period", "region_id")
        .agg(max(when(array_contains(col("cluster_regions"), col("region_id")), 1).otherwise(0)).as("_with"))
        .withColumn("has_established_cluster", col("_with").equalTo(1)).drop("_with");
  }

  /** Per project, its distinct NUTS 2 regions. */
  private static Dataset<Row> projectNuts2(Dataset<Row> participations) {
    return participations.filter(col("nuts2").isNotNull()).select("project_id", "period", "nuts2").distinct();
  }

  /**
   * gold_region_profile: NUTS 2 x period: participations, projects and ICI projects with a partner
   * there, the ICI share (null with the reason where most of those projects have no text), plus every indicator at its reference year (the latest year not after the period's end
   * and not more than 6 years before its start) and that year.
   */
  public static Dataset<Row> regionProfile(Dataset<Row> projects, Dataset<Row> participations, Dataset<Row> indicators) {
    Dataset<Row> withIci = participations.filter(col("nuts2").isNotNull())
        .join(projects.select("project_id", "is_ici", "has_text"), Columns.names("project_id"));
    Dataset<Row> activity = withIci.groupBy("nuts2", "period")
        .agg(count(lit(1)).as("participations"), countDistinct("project_id").as("projects"),
            countDistinct(when(col("is_ici"), col("project_id"))).as("ici_projects"),
            countDistinct(when(col("has_text"), col("project_id"))).as("projects_with_text"),
            sum(when(col("is_ici"), 1).otherwise(0)).as("ici_participations"));
    Column start = substring(col("period"), 1, 4).cast("int");
    Column end = substring(col("period"), 6, 4).cast("int");
    Dataset<Row> periods = activity.select("period").distinct();
    Dataset<Row> ref = indicators.crossJoin(periods)
        .filter(col("year").leq(end).and(col("year").geq(start.minus(6))))
        .withColumn("_rank", row_number().over(Window.partitionBy("nuts2", "period", "indicator").orderBy(col("year").desc())))
        .filter(col("_rank").equalTo(1));
    Dataset<Row> wide = ref.groupBy("nuts2", "period").pivot("indicator")
        .agg(first("value").as("value"), first("year").as("year"));
    Dataset<Row> out = activity.join(wide, Columns.names("nuts2", "period"), "left");
    for (String c : out.columns()) {
      if (c.endsWith("_value")) {
        out = out.withColumnRenamed(c, c.substring(0, c.length() - "_value".length()));
      }
    }
    return out.withColumn("ici_share", shareWithText(col("ici_projects"), col("projects"), col("projects_with_text")))
        .withColumn("ici_share_null_reason", shareNullReason(col("ici_share"), col("projects"), col("projects_with_text")));
  }

  /** gold_region_links: NUTS 2 x NUTS 2 x period: projects and ICI projects shared by partners in both. */
  public static Dataset<Row> regionLinks(Dataset<Row> projects, Dataset<Row> participations) {
    Dataset<Row> a = projectNuts2(participations).withColumnRenamed("nuts2", "nuts2_a");
    Dataset<Row> b = projectNuts2(participations).select(col("project_id"), col("nuts2").as("nuts2_b"));
    return a.join(b, Columns.names("project_id")).filter(col("nuts2_a").lt(col("nuts2_b")))
        .join(projects.select("project_id", "is_ici"), Columns.names("project_id"))
        .groupBy("nuts2_a", "nuts2_b", "period")
        .agg(count(lit(1)).as("shared_projects"), sum(when(col("is_ici"), 1).otherwise(0)).as("shared_ici_projects"));
  }

  /** Normalised organisation key: name, town and country without case, punctuation or extra spaces. */
  public static Column organisationKey() {
    Column norm = trim(regexp_replace(lower(coalesce(col("organisation"), lit(""))), "[^\\p{L}\\p{N}]+", " "));
    Column town = trim(regexp_replace(lower(coalesce(col("town"), lit(""))), "[^\\p{L}\\p{N}]+", " "));
    return substring(sha2(concat_ws("|", norm, town, coalesce(col("country_code"), lit(""))), 256), 1, 16);
  }

  /** The name an organisation key shows: the first of its spellings, so that every table shows the same one. */
  public static Column organisationName() {
    return min("organisation").as("organisation");
  }

  /** The town an organisation key shows (first spelling, as {@link #organisationName()}). */
  public static Column organisationTown() {
    return min("town").as("town");
  }

  /**
   * gold_organisations: organisations de-duplicated by normalised name, town and country, per
   * period: projects, ICI projects, partner countries and degree in the co-participation network.
   */
  public static Dataset<Row> organisations(Dataset<Row> projects, Dataset<Row> participations) {
    Dataset<Row> orgs = participations.withColumn("organisation_key", organisationKey())
        .join(projects.select("project_id", "is_ici"), Columns.names("project_id"));
    Dataset<Row> base = orgs.groupBy("organisation_key", "period")
        .agg(organisationName(), organisationTown(), min("country_code").as("country_code"),
            countDistinct("project_id").as("projects"),
            countDistinct(when(col("is_ici"), col("project_id"))).as("ici_projects"),
            count(lit(1)).as("participations"));
    Dataset<Row> pairs = orgs.select(col("project_id"), col("organisation_key").as("a"))
        .join(orgs.select(col("project_id"), col("organisation_key").as("b"), col("country_code").as("b_country")),
            Columns.names("project_id"))
        .filter(col("a").notEqual(col("b")))
        .join(orgs.select(col("project_id"), col("period")).distinct(), Columns.names("project_id"));
    Dataset<Row> network = pairs.groupBy(col("a").as("organisation_key"), col("period"))
        .agg(countDistinct("b").as("degree"), countDistinct("b_country").as("partner_countries"));
    return base.join(network, Columns.names("organisation_key", "period"), "left")
        .withColumn("degree", coalesce(col("degree"), lit(0L)))
        .withColumn("partner_countries", coalesce(col("partner_countries"), lit(0L)));
  }

  /** Share of a region's participations a NUTS 2 region must hold to count in the outline of a region without a footprint. */
  public static final double FOOTPRINT_MIN_SHARE = 0.05;

  /**
   * gold_region_footprint: the NUTS codes that outline each region on a map: the definition's
   * footprint where it has one (basis 'definition'; 'definition_approximate' where its conversion
   * to the output NUTS version leaves out or reaches beyond part of it, a column
   * {@code approximate} of the footprints), else the NUTS 2 regions holding at least
   * {@link #FOOTPRINT_MIN_SHARE} of the region's participations (basis 'participations').
   */
  public static Dataset<Row> regionFootprint(Dataset<Row> projectRegions, Dataset<Row> participations,
      Dataset<Row> definitionFootprints) {
    Dataset<Row> counts = participations.filter(col("nuts2").isNotNull()).select("project_id", "nuts2")
        .join(projectRegions.filter(col("region_id").isNotNull()).select("project_id", "period", "region_id"),
            Columns.names("project_id"))
        .groupBy("period", "region_id", "nuts2").agg(count(lit(1)).as("participations"))
        .withColumn("share_of_participations", col("participations").divide(
            sum("participations").over(Window.partitionBy("period", "region_id"))));
    Column definitionBasis = Arrays.asList(definitionFootprints.columns()).contains("approximate")
        ? when(col("approximate"), lit("definition_approximate")).otherwise(lit("definition")) : lit("definition");
    Dataset<Row> defined = definitionFootprints.select(col("period"), col("region_id"), explode(col("footprint")).as("nuts_code"),
        definitionBasis.as("basis"));
    Dataset<Row> fromDefinition = defined.join(counts.withColumnRenamed("nuts2", "nuts_code"),
            Columns.names("period", "region_id", "nuts_code"), "left")
        .select(col("period"), col("region_id"), col("nuts_code"), coalesce(col("participations"), lit(0L)).as("participations"),
            col("share_of_participations"), col("basis"));
    Dataset<Row> fromParticipations = counts.join(definitionFootprints.select("period", "region_id"),
            Columns.names("period", "region_id"), "left_anti")
        .filter(col("share_of_participations").geq(FOOTPRINT_MIN_SHARE))
        .select(col("period"), col("region_id"), col("nuts2").as("nuts_code"), col("participations"),
            col("share_of_participations"), lit("participations").as("basis"));
    return fromDefinition.unionByName(fromParticipations);
  }
}
