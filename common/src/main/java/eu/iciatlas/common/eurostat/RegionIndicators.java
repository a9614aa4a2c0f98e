package eu.iciatlas.common.eurostat;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.nuts.NutsCodeLists;
import eu.iciatlas.common.nuts.NutsRecoder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * silver_region_indicators: NUTS 2 x year x indicator in the output NUTS version, from the
 * accepted Eurostat observations and the definitions in conf/indicators.csv; and the report of
 * every region value that could not be recoded (nuts_recode_report).
 */
public final class RegionIndicators {
  private static final List<String> KEYS = List.of("indicator", "year", "definition_order", "source_dataset",
      "unit", "additive", "area_weighted");

  public record Result(Dataset<Row> indicators, Dataset<Row> report) {}

  private RegionIndicators() {}

  /**
   * The indicators of {@code definitions} in the {@code target} NUTS version, and the report of the values that could
   * not be recoded. It runs no Spark job: the code lists ({@link NutsCodeLists#level2ByVersion}, which must hold the
   * target version) and each file's version ({@link NutsCodeLists#versionOfEachFile}) come as values, and {@code keep}
   * persists the two intermediate tables both outputs read.
   */
  public static Result build(Dataset<Row> observations, List<IndicatorDefinition> definitions,
      Dataset<Row> regions, Dataset<Row> conversions, int target, double minCoverage, Map<Integer, Set<String>> level2,
      Map<String, Integer> versions, UnaryOperator<Dataset<Row>> keep) {
    List<Column> fileVersion = new ArrayList<>();
    versions.forEach((file, v) -> {
      fileVersion.add(lit(file));
      fileVersion.add(lit(v));
    });
    Column sourceVersion = fileVersion.isEmpty() ? lit(null).cast(DataTypes.IntegerType)
        : element_at(map(fileVersion.toArray(new Column[0])), col(CsvSources.SOURCE_FILE));
    Dataset<Row> obs = observations.filter(col("value").isNotNull()).withColumn("source_version", sourceVersion);

    Dataset<Row> series = null;
    Dataset<Row> typology = null;
    for (IndicatorDefinition d : definitions) {
      if (d.typologyVersion() != null) {
        Dataset<Row> t = urbanShare(regions, conversions, d, target, level2.get(target));
        typology = typology == null ? t : typology.unionByName(t);
        continue;
      }
      Dataset<Row> s = series(obs, d, level2);
      series = series == null ? s : series.unionByName(s);
    }
    // the recoded values and the report of what could not be recoded both start from these values: computed once
    // (each definition is its own scan of the observations), kept until the caller's job ends
    series = keep.apply(series);
    Set<String> targetCodes = level2.get(target);
    NutsRecoder.Result recoded = NutsRecoder.recode(series, KEYS, NutsRecoder.oriented(conversions, 2, target, targetCodes),
        targetCodes, target, minCoverage);
    Dataset<Row> all = recoded.recoded();
    if (typology != null) {
      all = all.unionByName(typology);
    }
    // One value per indicator, region and year: the first definition row with a value wins.
    Column rank = row_number().over(Window.partitionBy("indicator", "nuts2", "year")
        .orderBy(col("definition_order"), col("source_version")));
    // both outputs come from the same recoding: computed once, kept until the caller's job ends
    Dataset<Row> ranked = keep.apply(all.withColumn("_rank", rank));
    Dataset<Row> indicators = ranked.filter(col("_rank").equalTo(1)).select(
        lit(target).as("nuts_version"), col("nuts2"), col("year"), col("indicator"), col("value"), col("unit"),
        col("source_dataset"), col("source_version").as("source_nuts_version"), col("method").as("recode_method"),
        col("coverage"));
    Dataset<Row> superseded = ranked.filter(col("_rank").gt(1)).select(col("indicator"), col("year"),
        col("source_dataset"), col("source_version"), col("nuts2").as("code"),
        lit("superseded_by_earlier_definition").as("status"), col("coverage"));
    Dataset<Row> report = recoded.notRecoded()
        .select(col("indicator"), col("year"), col("source_dataset"), col("source_version"), col("code"),
            col("status"), col("coverage"))
        .unionByName(superseded)
        .withColumn("target_nuts_version", lit(target));
    return new Result(indicators, report);
  }

  /** Source-level NUTS 2 values of one definition: the KEYS, source_version, geo, value. */
  static Dataset<Row> series(Dataset<Row> obs, IndicatorDefinition d, Map<Integer, Set<String>> level2) {
    Dataset<Row> rows = obs.filter(col("dataset").equalTo(d.dataset()));
    for (Map.Entry<String, List<String>> f : d.filter().entrySet()) {
      rows = rows.filter(element_at(col("dimensions"), lit(f.getKey())).isin(f.getValue().toArray()));
    }
    Set<String> anyLevel2 = new HashSet<>();
    level2.values().forEach(anyLevel2::addAll);
    rows = rows.filter(col("geo").isin(anyLevel2.toArray()));
    Dataset<Row> values;
    if (d.isRatio()) {
      Map.Entry<String, List<String>> num = d.numerator().entrySet().iterator().next();
      Map.Entry<String, List<String>> den = d.denominator().entrySet().iterator().next();
      Column dimNum = element_at(col("dimensions"), lit(num.getKey()));
      Column dimDen = element_at(col("dimensions"), lit(den.getKey()));
      values = rows.groupBy("source_version", "geo", "year")
          .agg(sum(when(dimNum.isin(num.getValue().toArray()), col("value"))).as("num"),
              sum(when(dimDen.isin(den.getValue().toArray()), col("value"))).as("den"),
              // a ratio needs every numerator part: B-E and F, not just one of them
              org.apache.spark.sql.functions.count_distinct(when(dimNum.isin(num.getValue().toArray()), dimNum)).as("num_parts"))
          .filter(col("den").gt(0).and(col("num_parts").equalTo(num.getValue().size())))
          .select(col("source_version"), col("geo"), col("year"),
              col("num").divide(col("den")).multiply(d.scale()).as("value"));
    } else {
      values = rows.select(col("source_version"), col("geo"), col("year"), col("value").multiply(d.scale()).as("value"));
    }
    return values.select(lit(d.indicator()).as("indicator"), col("year"), lit(d.order()).as("definition_order"),
        lit(d.sourceDataset()).as("source_dataset"), lit(d.unit()).as("unit"),
        lit(d.recode().additive()).as("additive"), lit(d.recode().areaWeighted()).as("area_weighted"),
        col("source_version"), col("geo"), col("value"));
  }

  /**
   * Share of a NUTS 2 region's population living in predominantly urban NUTS 3 regions
   * (URBN_TYPE = 1 of the typology version), weighted with the JRC population of each NUTS 3
   * intersection, computed directly at the target version.
   */
  static Dataset<Row> urbanShare(Dataset<Row> regions, Dataset<Row> conversions, IndicatorDefinition d, int target,
      Set<String> targetLevel2) {
    int typologyVersion = d.typologyVersion();
    String weight = d.typologyWeight();
    int year = weight.equals("pop11") ? 2011 : 2021;
    Dataset<Row> typology = regions.filter(col("nuts_version").equalTo(typologyVersion).and(col("level").equalTo(3)))
        .select(col("nuts_id").as("typology_code"), col("urbn_type"));
    Dataset<Row> n3 = conversions.filter(col("level").equalTo(3));
    Dataset<Row> pairs;
    if (typologyVersion == target) {
      // any matrix with the typology version on one side gives its NUTS 3 weights
      Dataset<Row> asFrom = n3.filter(col("from_version").equalTo(typologyVersion))
          .select(col("to_version").as("other"), col("from_code").as("typology_code"), col(weight).as("w"));
      Dataset<Row> asTo = n3.filter(col("to_version").equalTo(typologyVersion))
          .select(col("from_version").as("other"), col("to_code").as("typology_code"), col(weight).as("w"));
      Dataset<Row> both = asFrom.unionByName(asTo);
      // the matrices toward the lowest other version (a join with that one-row minimum, not a Spark job here)
      pairs = both.join(both.agg(org.apache.spark.sql.functions.min("other").as("other")), Columns.names("other"))
          .select(col("typology_code").as("target_code"), col("typology_code"), col("w"));
    } else {
      Dataset<Row> forward = n3.filter(col("from_version").equalTo(target).and(col("to_version").equalTo(typologyVersion)))
          .select(col("from_code").as("target_code"), col("to_code").as("typology_code"), col(weight).as("w"));
      Dataset<Row> backward = n3.filter(col("from_version").equalTo(typologyVersion).and(col("to_version").equalTo(target)))
          .select(col("to_code").as("target_code"), col("from_code").as("typology_code"), col(weight).as("w"));
      pairs = forward.unionByName(backward);
    }
    Dataset<Row> typed = pairs.join(typology, Columns.names("typology_code"), "left")
        .withColumn("nuts2", NutsRecoder.nuts2Of(col("target_code"), targetLevel2))
        .filter(col("nuts2").isNotNull());
    Dataset<Row> perRegion = typed.groupBy("nuts2")
        .agg(sum(when(col("urbn_type").equalTo(1), col("w")).otherwise(0.0)).as("urban_w"),
            sum(when(col("urbn_type").isin(1, 2, 3), col("w")).otherwise(0.0)).as("typed_w"),
            sum("w").as("all_w"));
    return perRegion.filter(col("typed_w").gt(0)).select(
        lit(d.indicator()).as("indicator"), lit(year).as("year"), lit(d.order()).as("definition_order"),
        lit(d.sourceDataset()).as("source_dataset"), lit(d.unit()).as("unit"), lit(false).as("additive"),
        lit(false).as("area_weighted"), col("nuts2"),
        col("urban_w").divide(col("typed_w")).multiply(d.scale()).as("value"),
        col("typed_w").divide(col("all_w")).as("coverage"),
        lit("urbn_type_" + typologyVersion + "_" + weight + "_weights").as("method"),
        lit(typologyVersion).as("source_version"));
  }
}
