package eu.iciatlas.common;

import eu.iciatlas.common.keep.KeepColumns.Kind;

/** Names of every table the pipeline writes; the layer is part of the name. */
public final class Tables {
  public static final String BRONZE_KEEP_PROJECTS = "bronze_keep_projects";
  public static final String BRONZE_KEEP_PARTNERS = "bronze_keep_partners";
  public static final String BRONZE_KEEP_CALLS = "bronze_keep_calls";
  public static final String BRONZE_EUROSTAT = "bronze_eurostat";

  public static final String SILVER_PROJECTS = "silver_projects";
  public static final String SILVER_PARTICIPATIONS = "silver_participations";
  public static final String SILVER_PROGRAMMES = "silver_programmes";
  public static final String SILVER_CALLS = "silver_calls";
  public static final String SILVER_NUTS_REGIONS = "silver_nuts_regions";
  public static final String SILVER_NUTS_CONVERSION = "silver_nuts_conversion";
  public static final String SILVER_REGION_INDICATORS = "silver_region_indicators";

  public static final String SILVER_PROJECT_CLASSIFICATION = "silver_project_classification";
  public static final String SILVER_PROJECT_REGIONS = "silver_project_regions";

  public static final String GOLD_ICI_SHARE = "gold_ici_share";
  public static final String GOLD_ICI_SHARE_ESTIMATED = "gold_ici_share_estimated";
  public static final String GOLD_ICI_SHARE_SUMMARY = "gold_ici_share_summary";
  public static final String GOLD_SPECIALIZATION_SHARE = "gold_specialization_share";
  public static final String GOLD_COUNTRY_SPECIALIZATION = "gold_country_specialization";
  public static final String GOLD_CLUSTER_COMPARISON = "gold_cluster_comparison";
  public static final String GOLD_REGION_PROFILE = "gold_region_profile";
  public static final String GOLD_CORRELATIONS = "gold_correlations";
  public static final String GOLD_HYPOTHESIS_TESTS = "gold_hypothesis_tests";
  public static final String GOLD_REGION_LINKS = "gold_region_links";
  public static final String GOLD_ORGANISATIONS = "gold_organisations";
  public static final String GOLD_CORRELATION_POINTS = "gold_correlation_points";
  public static final String GOLD_REGION_FOOTPRINT = "gold_region_footprint";
  public static final String GOLD_NETWORK_SUMMARY = "gold_network_summary";
  public static final String GOLD_NETWORK_ORGANISATIONS = "gold_network_organisations";
  public static final String GOLD_NETWORK_COMMUNITIES = "gold_network_communities";
  public static final String GOLD_PARTNER_NUTS_RECODING = "gold_partner_nuts_recoding";

  public static final String STAR_FACT_PARTICIPATION = "star_fact_participation";
  public static final String STAR_DIM_PROJECT = "star_dim_project";
  public static final String STAR_DIM_PROGRAMME = "star_dim_programme";
  public static final String STAR_DIM_REGION = "star_dim_region";
  public static final String STAR_DIM_SPECIALIZATION = "star_dim_specialization";
  public static final String STAR_BRIDGE_PROJECT_SPECIALIZATION = "star_bridge_project_specialization";
  public static final String STAR_BRIDGE_PROGRAMME_COUNTRY = "star_bridge_programme_country";
  public static final String STAR_BRIDGE_PROJECT_REASON = "star_bridge_project_reason";

  public static final String DUMP_PROVENANCE = "dump_provenance";

  public static final String QUARANTINE_KEEP_PROJECTS = "quarantine_keep_projects";
  public static final String QUARANTINE_KEEP_PARTNERS = "quarantine_keep_partners";
  public static final String QUARANTINE_KEEP_CALLS = "quarantine_keep_calls";
  public static final String QUARANTINE_EUROSTAT = "quarantine_eurostat";

  public static final String INGEST_AUDIT = "ingest_audit";
  public static final String RUN_MANIFEST = "run_manifest";
  public static final String NUTS_RECODE_REPORT = "nuts_recode_report";

  private Tables() {}

  /** The bronze table of one kind of Keep.eu export. */
  public static String bronzeKeep(Kind kind) {
    return switch (kind) {
      case PROJECTS -> BRONZE_KEEP_PROJECTS;
      case PARTNERS -> BRONZE_KEEP_PARTNERS;
      case CALLS -> BRONZE_KEEP_CALLS;
    };
  }

  /** The quarantine table of one kind of Keep.eu export. */
  public static String quarantineKeep(Kind kind) {
    return switch (kind) {
      case PROJECTS -> QUARANTINE_KEEP_PROJECTS;
      case PARTNERS -> QUARANTINE_KEEP_PARTNERS;
      case CALLS -> QUARANTINE_KEEP_CALLS;
    };
  }
}
