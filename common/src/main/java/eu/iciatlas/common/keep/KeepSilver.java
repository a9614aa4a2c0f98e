package eu.iciatlas.common.keep;

import static eu.iciatlas.common.keep.KeepNormalise.blankToNull;
import static eu.iciatlas.common.quality.RejectReason.BAD_DATE;
import static eu.iciatlas.common.quality.RejectReason.BAD_LEAD_FLAG;
import static eu.iciatlas.common.quality.RejectReason.BAD_NUMBER;
import static eu.iciatlas.common.quality.RejectReason.DUPLICATE_ROW;
import static eu.iciatlas.common.quality.RejectReason.MALFORMED_RECORD;
import static eu.iciatlas.common.quality.RejectReason.MISSING_KEY;
import static eu.iciatlas.common.quality.RejectReason.UNKNOWN_NUTS_CODE;
import static eu.iciatlas.common.quality.RejectReason.UNKNOWN_PERIOD;
import static eu.iciatlas.common.quality.RejectReason.UNTERMINATED_QUOTE;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.quality.Validation;
import eu.iciatlas.common.quality.Validation.Rule;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Keep.eu bronze -> silver: validation rules (each failing row goes to quarantine with a reason
 * code) and the conformed tables silver_projects, silver_participations, silver_calls. Pure
 * Dataset -> Dataset functions: no reads, writes or actions.
 */
public final class KeepSilver {
  private KeepSilver() {}

  // ---------------------------------------------------------------- shared pieces

  /** Adds _programme, _programme_key, _period, _acronym and _project_id. */
  static Dataset<Row> withProjectKey(Dataset<Row> bronze) {
    Column programme = KeepNormalise.programme(col("programme"));
    Column periodCell = List.of(bronze.columns()).contains("period")
        ? KeepNormalise.periodFromProgramme(col("period")) : lit(null).cast(DataTypes.StringType);
    return bronze
        .withColumn("_programme", programme)
        .withColumn("_programme_key", KeepNormalise.programmeKey(col("_programme")))
        .withColumn("_period", coalesce(KeepNormalise.periodFromProgramme(col("_programme")), periodCell))
        .withColumn("_acronym", blankToNull(col("acronym")))
        .withColumn("_project_id", projectId(col("_programme_key"), col("_acronym")));
  }

  /** Stable project key: programme (normalised) + acronym (case, quotes and spacing ignored). */
  public static Column projectId(Column programmeKey, Column acronym) {
    Column acronymKey = trim(lower(regexp_replace(acronym, "[\"\\s]+", " ")));
    return when(programmeKey.isNotNull().and(acronymKey.isNotNull()),
        substring(sha2(concat_ws("|", programmeKey, acronymKey), 256), 1, 16));
  }

  private static List<Rule> recordRules() {
    Column corrupt = col(CsvSources.CORRUPT);
    Column quotes = length(corrupt).minus(length(regexp_replace(corrupt, "\"", "")));
    return new ArrayList<>(List.of(
        new Rule(UNTERMINATED_QUOTE, corrupt.isNotNull().and(quotes.mod(2).equalTo(1)),
            lit("odd number of '\"' in the record: a quoted field is not closed")),
        new Rule(MALFORMED_RECORD, corrupt.isNotNull(),
            lit("the record does not split into the header's number of fields"))));
  }

  private static Rule missing(String column, String what) {
    return new Rule(MISSING_KEY, blankToNull(col(column)).isNull(), lit(column + " is empty: " + what));
  }

  private static Rule unknownPeriod() {
    return new Rule(UNKNOWN_PERIOD, col("_period").isNull(),
        concat(lit("no period in programme name '"), coalesce(col("programme"), lit("")),
            lit("' (expected a 'YYYY - YYYY ...' prefix)")));
  }

  private static Rule badNumber(String column, String typedColumn) {
    return new Rule(BAD_NUMBER, blankToNull(col(column)).isNotNull().and(col(typedColumn).isNull()),
        concat(lit(column + " is not a number: '"), col(column), lit("'")));
  }

  private static Rule badDate(String column, String typedColumn) {
    return new Rule(BAD_DATE, blankToNull(col(column)).isNotNull().and(col(typedColumn).isNull()),
        concat(lit(column + " is not a yyyy/MM/dd date: '"), col(column), lit("'")));
  }

  private static Column duplicateRank(List<String> keyColumns) {
    List<Column> keys = new ArrayList<>();
    for (String c : keyColumns) {
      keys.add(coalesce(col(c).cast(DataTypes.StringType), lit("\u0000")));
    }
    WindowSpec w = Window.partitionBy(keys.toArray(new Column[0]))
        .orderBy(col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW));
    return row_number().over(w);
  }

  // ---------------------------------------------------------------- projects

  public static Dataset<Row> checkProjects(Dataset<Row> bronze) {
    Dataset<Row> typed = withProjectKey(bronze)
        .withColumn("_total_budget", KeepNormalise.money(col("total_budget")))
        .withColumn("_eu_funding", KeepNormalise.money(col("eu_funding")))
        .withColumn("_project_start", KeepNormalise.date(col("project_start")))
        .withColumn("_project_end", KeepNormalise.date(col("project_end")));
    List<Rule> rules = recordRules();
    rules.add(missing("programme", "a project needs its programme"));
    rules.add(missing("acronym", "a project needs its acronym"));
    rules.add(unknownPeriod());
    rules.add(badNumber("total_budget", "_total_budget"));
    rules.add(badNumber("eu_funding", "_eu_funding"));
    rules.add(badDate("project_start", "_project_start"));
    rules.add(badDate("project_end", "_project_end"));
    return Validation.check(typed, rules);
  }

  /**
   * One row per project. Rows of the same project (a project with two lead partners appears
   * twice) are merged: fields come from the first row in file order, lead partners from all.
   */
  public static Dataset<Row> projectsFromExport(Dataset<Row> acceptedProjects) {
    Column themes = array_distinct(array_compact(array(
        blankToNull(col("theme_1")), blankToNull(col("theme_2")), blankToNull(col("theme_3")))));
    Column fields = struct(
        col("_programme").as("programme"), col("_programme_key").as("programme_key"),
        col("_period").as("period"), col("_acronym").as("acronym"),
        blankToNull(col("project_name")).as("title"),
        blankToNull(col("project_name_lang2")).as("title_lang2"),
        blankToNull(col("project_name_lang3")).as("title_lang3"),
        blankToNull(col("description_en")).as("description_en"),
        blankToNull(col("description_1")).as("description_1"),
        blankToNull(col("description_2")).as("description_2"),
        blankToNull(col("expected_results_en")).as("expected_results_en"),
        blankToNull(col("expected_results_1")).as("expected_results_1"),
        blankToNull(col("expected_results_2")).as("expected_results_2"),
        themes.as("themes"),
        col("_project_start").as("project_start"), col("_project_end").as("project_end"),
        col("_total_budget").as("total_budget"), col("_eu_funding").as("eu_funding"));
    Column order = struct(col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW));
    Dataset<Row> merged = acceptedProjects
        .groupBy(col("_project_id").as("project_id"))
        .agg(min_by(fields, order).as("f"),
            array_sort(collect_set(blankToNull(col("lead_partner")))).as("lead_partners"),
            array_sort(collect_list(struct(col(CsvSources.SOURCE_FILE).as("file"),
                col(CsvSources.SOURCE_ROW).as("row")))).as("_source_records"));
    return merged.select(col("project_id"), col("f.*"), col("lead_partners"), col("_source_records"))
        .withColumn("has_project_record", lit(true))
        .withColumn("has_text", coalesce(col("description_en"), col("description_1"),
            col("description_2"), col("expected_results_en")).isNotNull());
  }

  /**
   * silver_projects: the projects of the projects exports plus, flagged has_project_record =
   * false, the projects known only from partner exports (older periods ship no projects sheet).
   */
  public static Dataset<Row> projects(Dataset<Row> fromExport, Dataset<Row> participations) {
    Dataset<Row> partnerOnly = participations
        .join(fromExport.select("project_id"), participations.col("project_id").equalTo(fromExport.col("project_id")), "left_anti")
        .groupBy("project_id")
        .agg(min_by(struct(col("programme"), col("programme_key"), col("period"), col("acronym")),
                struct(col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW))).as("f"),
            array_sort(collect_set(when(col("is_lead"), col("organisation")))).as("lead_partners"));
    Dataset<Row> partnerOnlyProjects = partnerOnly.select(col("project_id"), col("f.*"), col("lead_partners"))
        .withColumn("has_project_record", lit(false))
        .withColumn("has_text", lit(false));
    return fromExport.unionByName(partnerOnlyProjects, true);
  }

  // ---------------------------------------------------------------- partners

  /** Validation of partner rows against the NUTS codes of the Keep.eu NUTS version. */
  public static Dataset<Row> checkPartners(Dataset<Row> bronze, List<String> nuts1, List<String> nuts2,
      List<String> nuts3) {
    Dataset<Row> typed = withProjectKey(bronze)
        .withColumn("_is_lead", KeepNormalise.yesNo(col("lead_partner")))
        .withColumn("_nuts1", KeepNormalise.nutsCode(col("nuts1")))
        .withColumn("_nuts2", KeepNormalise.nutsCode(col("nuts2")))
        .withColumn("_nuts3", KeepNormalise.nutsCode(col("nuts3")))
        .withColumn("_dup_rank", duplicateRank(List.of("_project_id", "organisation", "town", "postal_code",
            "department", "lead_partner", "nuts3", "street")));
    List<Rule> rules = recordRules();
    rules.add(missing("programme", "a participation needs its programme"));
    rules.add(missing("acronym", "a participation needs its project acronym"));
    rules.add(missing("organisation", "a participation needs the partner organisation"));
    rules.add(unknownPeriod());
    rules.add(new Rule(BAD_LEAD_FLAG, blankToNull(col("lead_partner")).isNotNull().and(col("_is_lead").isNull()),
        concat(lit("lead partner flag is not Yes/No: '"), col("lead_partner"), lit("' (swapped fields?)"))));
    rules.add(unknownNuts("nuts3", "_nuts3", nuts3));
    rules.add(unknownNuts("nuts2", "_nuts2", nuts2));
    rules.add(unknownNuts("nuts1", "_nuts1", nuts1));
    rules.add(new Rule(DUPLICATE_ROW, col("_dup_rank").gt(1),
        lit("same partner row as an earlier row (same project, organisation, town, department, lead flag, NUTS 3)")));
    return Validation.check(typed, rules);
  }

  private static Rule unknownNuts(String column, String typedColumn, List<String> known) {
    Column cell = blankToNull(col(column));
    Column fails = cell.isNotNull().and(col(typedColumn).isNull().or(col(typedColumn).isin(known.toArray()).unary_$bang()));
    return new Rule(UNKNOWN_NUTS_CODE, coalesce(fails, lit(false)),
        concat(lit(column + " '"), col(column), lit("' is no NUTS code of the Keep.eu NUTS version")));
  }

  public static Dataset<Row> participations(Dataset<Row> acceptedPartners) {
    Column nuts3 = col("_nuts3");
    Column nuts2 = coalesce(col("_nuts2"), when(length(nuts3).equalTo(5), substring(nuts3, 1, 4)));
    Column nuts1 = coalesce(col("_nuts1"), when(length(nuts2).equalTo(4), substring(nuts2, 1, 3)));
    Column countryCode = coalesce(KeepNormalise.countryCode(col("country_code")), substring(nuts1, 1, 2));
    Column organisation = blankToNull(col("organisation"));
    Column participationId = substring(sha2(concat_ws("|", col("_project_id"), lower(organisation),
        coalesce(lower(trim(col("town"))), lit("")), coalesce(nuts3, lit("")),
        coalesce(lower(trim(col("department"))), lit("")), coalesce(col("_is_lead").cast("string"), lit("")),
        coalesce(trim(col("postal_code")), lit("")), coalesce(lower(trim(col("street"))), lit(""))), 256), 1, 16);
    return acceptedPartners.select(
        participationId.as("participation_id"),
        col("_project_id").as("project_id"),
        col("_programme").as("programme"), col("_programme_key").as("programme_key"),
        col("_period").as("period"), col("_acronym").as("acronym"),
        organisation.as("organisation"),
        col("_is_lead").as("is_lead"),
        blankToNull(col("department")).as("department"),
        blankToNull(col("street")).as("street"),
        blankToNull(col("postal_code")).as("postal_code"),
        blankToNull(col("town")).as("town"),
        blankToNull(col("country")).as("country_name"),
        countryCode.as("country_code"),
        nuts1.as("nuts1"), nuts2.as("nuts2"), nuts3.as("nuts3"),
        KeepNormalise.legalStatus(col("legal_status")).as("legal_status"),
        blankToNull(col("website")).as("website"),
        col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW));
  }

  // ---------------------------------------------------------------- calls

  public static Dataset<Row> checkCalls(Dataset<Row> bronze) {
    Dataset<Row> typed = bronze
        .withColumn("_programme", KeepNormalise.programme(col("programme")))
        .withColumn("_programme_key", KeepNormalise.programmeKey(col("_programme")))
        .withColumn("_period", KeepNormalise.periodFromProgramme(col("_programme")))
        .withColumn("_call_start", KeepNormalise.date(col("call_start")))
        .withColumn("_call_end", KeepNormalise.date(col("call_end")))
        .withColumn("_call_budget", KeepNormalise.money(col("call_budget")))
        .withColumn("_dup_rank", duplicateRank(List.of("_programme_key", "call_serial_number", "call_start",
            "call_end", "call_budget")));
    List<Rule> rules = recordRules();
    rules.add(missing("programme", "a call needs its programme"));
    rules.add(missing("call_serial_number", "a call needs its serial number"));
    rules.add(unknownPeriod());
    rules.add(badDate("call_start", "_call_start"));
    rules.add(badDate("call_end", "_call_end"));
    rules.add(badNumber("call_budget", "_call_budget"));
    rules.add(new Rule(DUPLICATE_ROW, col("_dup_rank").gt(1),
        lit("same call (programme, serial number, dates, budget) as an earlier row")));
    return Validation.check(typed, rules);
  }

  public static Dataset<Row> calls(Dataset<Row> acceptedCalls) {
    return acceptedCalls.select(
        col("_programme").as("programme"), col("_programme_key").as("programme_key"),
        col("_period").as("period"),
        trim(col("call_serial_number")).as("call_serial_number"),
        col("_call_start").as("call_start"), col("_call_end").as("call_end"),
        col("_call_budget").as("call_budget"),
        col(CsvSources.SOURCE_FILE), col(CsvSources.SOURCE_ROW));
  }

  // ---------------------------------------------------------------- programmes

  /** silver_programmes: one row per programme with its strand, countries and counts. */
  public static Dataset<Row> programmes(Dataset<Row> projects, Dataset<Row> participations,
      ProgrammeRules rules) {
    Dataset<Row> perProgramme = projects.groupBy("programme_key")
        .agg(min_by(struct(col("programme"), col("period")), col("programme")).as("p"),
            count(lit(1)).as("project_count"),
            sum(when(col("has_project_record"), 1).otherwise(0)).as("projects_with_project_record"),
            sum(when(col("has_text"), 1).otherwise(0)).as("projects_with_text"));
    Dataset<Row> partners = participations.groupBy("programme_key")
        .agg(count(lit(1)).as("participation_count"),
            sum(when(col("is_lead"), 1).otherwise(0)).as("lead_participation_count"),
            countDistinct(col("project_id")).as("projects_with_partners"));
    Dataset<Row> joined = perProgramme.join(partners, "programme_key", "left")
        .select(col("programme_key"), col("p.programme").as("programme"), col("p.period").as("period"),
            col("project_count"), col("projects_with_project_record"), col("projects_with_text"),
            coalesce(col("participation_count"), lit(0L)).as("participation_count"),
            coalesce(col("lead_participation_count"), lit(0L)).as("lead_participation_count"),
            coalesce(col("projects_with_partners"), lit(0L)).as("projects_with_partners"));
    return joined
        .withColumn("strand", rules.strand(col("programme")))
        .withColumn("countries", rules.countries(col("programme")))
        .withColumn("partners_only_lead", col("participation_count").gt(0)
            .and(col("participation_count").equalTo(col("lead_participation_count"))));
  }
}
