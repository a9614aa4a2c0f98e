package eu.iciatlas.common.nuts;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Columns;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Places partners in the output NUTS version. A partner is a point, not an area: it goes to the
 * output-version NUTS 2 region of its NUTS 3 (of its NUTS 2 where Keep.eu gives no NUTS 3), and
 * where the JRC matrix splits that region between output regions, to the part holding most of its
 * 2021 population (area where it has none). Parts under {@link #SLIVER} of the population are
 * digitisation slivers of the matrices, not splits. The JRC matrices cover the EU (and EFTA): a
 * code outside them that the output version's code list still holds (ME000, MK002, TR212) keeps
 * it. A code neither carries into the output version (the United Kingdom in NUTS 2024) leaves the
 * partner without a NUTS 2 region, with that method, so that every participation is counted in
 * gold_partner_nuts_recoding.
 */
public final class PartnerRegions {
  /** Share of the source region's population below which an intersection is not a part of a split. */
  public static final double SLIVER = 0.01;
  public static final String SAME_VERSION = "same_version";
  public static final String SAME_CODE = "same_code";
  public static final String RENAMED = "renamed";
  public static final String LARGEST_PART = "largest_population_part";
  public static final String OUTSIDE_MATRIX = "same_code_outside_matrix";
  public static final String NOT_CONVERTIBLE = "no_region_in_output_version";
  public static final String NO_CODE = "no_nuts_code";

  private PartnerRegions() {}

  /**
   * Per source code of one level: level, source_code, placed_nuts2, population_share (of the
   * source's population in that NUTS 2), output_parts (output NUTS 2 regions holding at least
   * {@link #SLIVER} of it), nuts2_method.
   */
  static Dataset<Row> mapping(Dataset<Row> conversions, Dataset<Row> regions, Set<String> targetLevel2, int level, int from,
      int target) {
    Dataset<Row> pieces = NutsRecoder.oriented(conversions, level, target, targetLevel2)
        .filter(col("source_version").equalTo(from))
        .groupBy(col("target_nuts2").as("placed_nuts2"), col("source_code"))
        .agg(sum("pop21").as("pop"), sum("area_km2").as("area"));
    WindowSpec source = Window.partitionBy("source_code");
    Column share = when(sum("pop").over(source).gt(0), col("pop").divide(sum("pop").over(source)))
        .otherwise(col("area").divide(sum("area").over(source)));
    Dataset<Row> shared = pieces.withColumn("population_share", share)
        .withColumn("output_parts", sum(when(col("population_share").geq(SLIVER), 1).otherwise(0)).over(source))
        .withColumn("_rank", row_number().over(source.orderBy(col("population_share").desc(), col("placed_nuts2"))));
    Dataset<Row> inMatrix = shared.filter(col("_rank").equalTo(1)).select(lit(level).as("level"), col("source_code"),
        col("placed_nuts2"), col("population_share"), col("output_parts").cast("int").as("output_parts"),
        when(col("output_parts").gt(1), lit(LARGEST_PART))
            .when(col("placed_nuts2").equalTo(substring(col("source_code"), 1, 4)), lit(SAME_CODE))
            .otherwise(lit(RENAMED)).as("nuts2_method"));
    // distinct: overlapping code lists must not place a participation twice
    Dataset<Row> listed = regions.filter(col("level").equalTo(level)).select("nuts_version", "nuts_id").distinct();
    Dataset<Row> inBoth = listed.filter(col("nuts_version").equalTo(from)).select(col("nuts_id").as("source_code"))
        .join(listed.filter(col("nuts_version").equalTo(target)).select(col("nuts_id").as("source_code")),
            Columns.names("source_code"), "left_semi");
    Dataset<Row> outside = inBoth.join(inMatrix.select("source_code"), Columns.names("source_code"),
            "left_anti")
        .select(lit(level).as("level"), col("source_code"), substring(col("source_code"), 1, 4).as("placed_nuts2"),
            lit(1.0).as("population_share"), lit(1).as("output_parts"), lit(OUTSIDE_MATRIX).as("nuts2_method"));
    return inMatrix.unionByName(outside);
  }

  /**
   * The participations with nuts2 in the output version, keep_nuts2 (the Keep.eu code), and the
   * placement: nuts2_method, nuts2_source_level, population_share, output_parts. nuts3 stays the
   * Keep.eu code (the region definitions' footprints are written in it). {@code targetLevel2}: the NUTS 2 codes of the
   * target version ({@link NutsCodeLists#level2}; not read when {@code from == target}).
   */
  public static Dataset<Row> place(Dataset<Row> participations, Dataset<Row> conversions, Dataset<Row> regions, int from,
      int target, Set<String> targetLevel2) {
    if (from != target && targetLevel2.isEmpty()) {
      throw new IllegalArgumentException("no NUTS 2 codes of NUTS " + target + " given: every partner would stay unplaced");
    }
    Column anyCode = col("nuts3").isNotNull().or(col("nuts2").isNotNull());
    if (from == target) {
      return participations.withColumn("keep_nuts2", col("nuts2"))
          .withColumn("nuts2_method", when(col("nuts2").isNotNull(), lit(SAME_VERSION))
              .when(anyCode, lit(NOT_CONVERTIBLE)).otherwise(lit(NO_CODE)))
          .withColumn("nuts2_source_level", when(col("nuts2").isNotNull(), lit(2)))
          .withColumn("population_share", when(col("nuts2").isNotNull(), lit(1.0)))
          .withColumn("output_parts", when(col("nuts2").isNotNull(), lit(1)));
    }
    Dataset<Row> byNuts3 = mapping(conversions, regions, targetLevel2, 3, from, target).drop("level").toDF("_n3", "_n3_nuts2", "_n3_share",
        "_n3_parts", "_n3_method");
    Dataset<Row> byNuts2 = mapping(conversions, regions, targetLevel2, 2, from, target).drop("level").toDF("_n2", "_n2_nuts2", "_n2_share",
        "_n2_parts", "_n2_method");
    Dataset<Row> joined = participations
        .join(broadcast(byNuts3), col("nuts3").equalTo(col("_n3")), "left")
        .join(broadcast(byNuts2), col("nuts2").equalTo(col("_n2")), "left");
    Column fromNuts3 = col("_n3_nuts2").isNotNull();
    Column fromNuts2 = col("_n2_nuts2").isNotNull();
    Dataset<Row> placed = joined.withColumn("keep_nuts2", col("nuts2"))
        .withColumn("nuts2_method", when(fromNuts3, col("_n3_method")).when(fromNuts2, col("_n2_method"))
            .when(anyCode, lit(NOT_CONVERTIBLE)).otherwise(lit(NO_CODE)))
        .withColumn("nuts2_source_level", when(fromNuts3, lit(3)).when(fromNuts2, lit(2)))
        .withColumn("population_share", when(fromNuts3, col("_n3_share")).when(fromNuts2, col("_n2_share")))
        .withColumn("output_parts", when(fromNuts3, col("_n3_parts")).when(fromNuts2, col("_n2_parts")))
        .withColumn("nuts2", coalesce(col("_n3_nuts2"), col("_n2_nuts2")));
    return placed.drop("_n3", "_n3_nuts2", "_n3_share", "_n3_parts", "_n3_method", "_n2", "_n2_nuts2", "_n2_share",
        "_n2_parts", "_n2_method");
  }

  /**
   * gold_partner_nuts_recoding: period x Keep.eu code x placement: how many participations went
   * where, and why. Its participations add up to those of silver_participations.
   */
  public static Dataset<Row> report(Dataset<Row> placed, int from, int target) {
    return placed.groupBy(col("period"), coalesce(col("nuts3"), col("keep_nuts2")).as("keep_code"),
            col("nuts2_source_level"), col("nuts2"), col("nuts2_method"), col("population_share"), col("output_parts"))
        .agg(count(lit(1)).as("participations"))
        .select(col("period"), lit(from).as("keep_nuts_version"), col("keep_code"), lit(target).as("nuts_version"),
            col("nuts2"), col("nuts2_method"), col("nuts2_source_level"), col("population_share"), col("output_parts"),
            col("participations"));
  }
}
