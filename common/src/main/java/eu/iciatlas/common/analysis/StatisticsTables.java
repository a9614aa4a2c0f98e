package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.schema.TableSchemas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * gold_correlations and gold_hypothesis_tests. The samples are regions (a few hundred rows at
 * most), so they are collected to the driver and tested with Commons Math ({@link Statistics}).
 */
public final class StatisticsTables {
  /** Urbanization first: it is the paper's claim. */
  public static final List<String> INDICATOR_ORDER = List.of("urban_population_share", "population_density",
      "employment_industry_share", "gdp_pps_per_inhabitant_eu100", "gerd_pct_gdp", "researchers_pct_employment",
      "epo_patents_per_million", "population", "area_km2", "gdp_pps_per_inhabitant_eu27_2020_100");
  private static final List<String> ADDITIVE = List.of("population", "area_km2");

  /** gold_correlations as computed here; the stage adds nuts_version. */
  private static final StructType CORRELATIONS = TableSchemas.withoutColumns(Tables.GOLD_CORRELATIONS, "nuts_version");

  private static final StructType TESTS = TableSchemas.of(Tables.GOLD_HYPOTHESIS_TESTS);

  private StatisticsTables() {}

  /** The indicator columns of gold_region_profile, in the order of {@link #INDICATOR_ORDER}. */
  static List<String> indicatorColumns(Dataset<Row> profile) {
    List<String> present = new ArrayList<>();
    List<String> cols = List.of(profile.columns());
    for (String i : INDICATOR_ORDER) {
      if (cols.contains(i)) {
        present.add(i);
      }
    }
    for (String c : cols) {
      if (c.endsWith("_year") && !present.contains(c.substring(0, c.length() - 5)) && cols.contains(c.substring(0, c.length() - 5))) {
        present.add(c.substring(0, c.length() - 5));
      }
    }
    return present;
  }

  /**
   * Region-level profile of cross-border regions: ICI counts and shares from gold_ici_share, and
   * each indicator over the NUTS 2 regions where the region's partners are: population and area
   * summed, density as summed population over summed area, rates population-weighted.
   */
  public static Dataset<Row> regionLevelProfile(Dataset<Row> iciShare, Dataset<Row> projectRegions,
      Dataset<Row> participations, Dataset<Row> nutsProfile) {
    List<String> indicators = indicatorColumns(nutsProfile);
    Dataset<Row> footprint = participations.filter(col("nuts2").isNotNull()).select("project_id", "nuts2")
        .join(projectRegions.filter(col("region_id").isNotNull()).select("project_id", "period", "region_id"),
            Columns.names("project_id"))
        .select("region_id", "period", "nuts2").distinct()
        .join(nutsProfile, Columns.names("nuts2", "period"), "left");
    Column weight = when(col("population").isNotNull(), col("population")).otherwise(lit(1.0));
    List<Column> aggs = new ArrayList<>();
    for (String i : indicators) {
      if (ADDITIVE.contains(i)) {
        aggs.add(sum(col(i)).as(i));
      } else if (i.equals("population_density") && indicators.contains("population") && indicators.contains("area_km2")) {
        aggs.add(sum(when(col("area_km2").isNotNull(), col("population"))).divide(sum(when(col("population").isNotNull(),
            col("area_km2")))).as(i));
      } else {
        aggs.add(sum(when(col(i).isNotNull(), col(i).multiply(weight))).divide(sum(when(col(i).isNotNull(), weight))).as(i));
      }
    }
    Dataset<Row> agg = footprint.groupBy("region_id", "period")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    return iciShare.filter(col("region_kind").isin("cross_border", "eni_enpi", "ipa"))
        .select("region_id", "region_name", "period", "projects", "ici_projects", "share")
        .join(agg, Columns.names("region_id", "period"), "left");
  }

  /**
   * gold_correlation_points: the observations behind gold_correlations (one per NUTS 2 region with
   * projects, and one per cross-border region), for scatter plots.
   */
  public static Dataset<Row> correlationPoints(Dataset<Row> nutsProfile, Dataset<Row> regionProfile) {
    List<String> indicators = indicatorColumns(nutsProfile);
    List<Column> nuts = new ArrayList<>(List.of(col("period"), lit("nuts2").as("level"), col("nuts2").as("unit_id"),
        col("ici_projects"), col("ici_share")));
    List<Column> regions = new ArrayList<>(List.of(col("period"), lit("region").as("level"), col("region_id").as("unit_id"),
        col("ici_projects"), col("share").as("ici_share")));
    for (String i : indicators) {
      nuts.add(col(i).cast("double").as(i));
      regions.add(col(i).cast("double").as(i));
    }
    return nutsProfile.filter(col("projects").gt(0)).select(nuts.toArray(new Column[0]))
        .unionByName(regionProfile.select(regions.toArray(new Column[0])));
  }

  public static Dataset<Row> correlations(SparkSession spark, Dataset<Row> nutsProfile, Dataset<Row> regionProfile,
      int resamples, long seed) {
    List<Row> out = new ArrayList<>();
    List<String> indicators = indicatorColumns(nutsProfile);
    correlate(out, "nuts2", nutsProfile.filter(col("projects").gt(0)), indicators, "ici_projects", "ici_share", resamples, seed);
    correlate(out, "region", regionProfile, indicators, "ici_projects", "share", resamples, seed);
    return spark.createDataFrame(out, CORRELATIONS);
  }

  private static void correlate(List<Row> out, String level, Dataset<Row> sample, List<String> indicators,
      String countColumn, String shareColumn, int resamples, long seed) {
    List<String> cols = new ArrayList<>(List.of("period", countColumn, shareColumn));
    cols.addAll(indicators);
    Map<String, List<Row>> byPeriod = new TreeMap<>();
    for (Row r : sample.select(cols.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .orderBy(cols.get(0), cols.subList(1, cols.size()).toArray(new String[0])).collectAsList()) {
      byPeriod.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Row>> e : byPeriod.entrySet()) {
      for (int i = 0; i < indicators.size(); i++) {
        Map<String, Integer> measures = new LinkedHashMap<>();
        measures.put("ici_projects", 1);
        measures.put("ici_share", 2);
        for (Map.Entry<String, Integer> m : measures.entrySet()) {
          List<double[]> pairs = new ArrayList<>();
          for (Row r : e.getValue()) {
            Object x = r.get(3 + i);
            Object y = r.get(m.getValue());
            if (x != null && y != null) {
              pairs.add(new double[] {((Number) x).doubleValue(), ((Number) y).doubleValue()});
            }
          }
          double[] xs = pairs.stream().mapToDouble(p -> p[0]).toArray();
          double[] ys = pairs.stream().mapToDouble(p -> p[1]).toArray();
          Statistics.Correlation c = Statistics.correlate(xs, ys, resamples, seed);
          Statistics.Line line = Statistics.leastSquares(xs, ys);
          out.add(RowFactory.create(e.getKey(), level, StatisticsTables.INDICATOR_ORDER.indexOf(indicators.get(i)) < 0
                  ? 100 + i : StatisticsTables.INDICATOR_ORDER.indexOf(indicators.get(i)), indicators.get(i), m.getKey(), c.n(),
              nan(c.pearsonR()), nan(c.pearsonP()), nan(c.spearmanRho()), nan(c.spearmanP()), nan(c.kendallTau()),
              nan(c.kendallP()), nan(c.bootstrapLow()), nan(c.bootstrapHigh()), nan(line.slope()), nan(line.intercept())));
        }
      }
    }
  }

  /** gold_hypothesis_tests: ICI activity of regions with vs without an established international cluster. */
  public static Dataset<Row> hypothesisTests(SparkSession spark, Dataset<Row> iciShare, Dataset<Row> regionsWithClusters) {
    List<Row> rows = iciShare.filter(col("region_kind").isin("cross_border", "eni_enpi", "ipa"))
        .join(regionsWithClusters, Columns.names("period", "region_id"), "left")
        .select(col("period"), col("ici_projects"), col("share"), col("has_established_cluster"))
        .orderBy("period", "region_id").collectAsList();
    Map<String, List<Row>> byPeriod = new TreeMap<>();
    for (Row r : rows) {
      byPeriod.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    List<Row> out = new ArrayList<>();
    for (Map.Entry<String, List<Row>> e : byPeriod.entrySet()) {
      for (int m = 1; m <= 2; m++) {
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (Row r : e.getValue()) {
          if (!r.isNullAt(m)) { // a null share (no text) is no observation
            (Boolean.TRUE.equals(r.get(3)) ? with : without).add(((Number) r.get(m)).doubleValue());
          }
        }
        Statistics.MannWhitney t = Statistics.mannWhitney(with.stream().mapToDouble(d -> d).toArray(),
            without.stream().mapToDouble(d -> d).toArray());
        out.add(RowFactory.create(e.getKey(), "region", m == 1 ? "ici_projects" : "ici_share", "mann_whitney_u",
            t.nWith(), t.nWithout(), nan(t.medianWith()), nan(t.medianWithout()), nan(t.u()), nan(t.p()),
            nan(t.rankBiserial())));
      }
    }
    return spark.createDataFrame(out, TESTS);
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
