package eu.iciatlas.common.nuts;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Columns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Moves NUTS 2 values between NUTS versions with the JRC conversion matrices. Additive values
 * (counts, areas) are split by each intersection's share of the source region's population or
 * area; rates and densities are not additive, so the target value is the population- or
 * area-weighted mean of the overlapping source values. A target region is kept only when the
 * source regions that have a value cover at least {@code minCoverage} of its weight. It runs no Spark
 * job: the code lists it needs come as values ({@link NutsCodeLists}).
 */
public final class NutsRecoder {
  private NutsRecoder() {}

  /**
   * The NUTS version a set of geo codes is written in: the version whose NUTS 2 list contains most
   * of them; ties go to the target version, then to the version nearest it.
   */
  public static int detectVersion(Set<String> geoCodes, Map<Integer, Set<String>> level2ByVersion, int target) {
    int best = target;
    long bestScore = -1;
    List<Integer> versions = new ArrayList<>(level2ByVersion.keySet());
    versions.sort((a, b) -> a.equals(target) ? -1 : b.equals(target) ? 1
        : Integer.compare(Math.abs(a - target), Math.abs(b - target)));
    for (int v : versions) {
      long score = geoCodes.stream().filter(level2ByVersion.get(v)::contains).count();
      if (score > bestScore) {
        best = v;
        bestScore = score;
      }
    }
    return best;
  }

  /**
   * The NUTS 2 region of the target version a code of that version lies in: its four-character
   * prefix where the version lists it as a NUTS 2 code, else the only NUTS 2 code of its NUTS 1
   * (NUTS 2016 numbers the NUTS 3 regions of Northern Ireland UKN10 to UKN16 under UKN0, and the
   * JRC 2013-2016 matrices call the region UKN1, a code no NUTS version lists), else null.
   */
  public static Column nuts2Of(Column code, Set<String> targetLevel2) {
    Map<String, List<String>> byNuts1 = new TreeMap<>();
    targetLevel2.forEach(c -> byNuts1.computeIfAbsent(c.substring(0, Math.min(3, c.length())), k -> new ArrayList<>()).add(c));
    List<Column> onlyChild = new ArrayList<>();
    byNuts1.forEach((nuts1, children) -> {
      if (children.size() == 1) {
        onlyChild.add(lit(nuts1));
        onlyChild.add(lit(children.get(0)));
      }
    });
    Column prefix = substring(code, 1, 4);
    Column fallback = onlyChild.isEmpty() ? lit(null).cast("string")
        : element_at(map(onlyChild.toArray(new Column[0])), substring(code, 1, 3));
    return when(prefix.isin(targetLevel2.toArray()), prefix).otherwise(fallback);
  }

  /**
   * Matrix rows of one level oriented from each source version to the target: source_version,
   * source_code, target_code, target_nuts2 (see {@link #nuts2Of}), area_km2, pop11, pop21. A
   * NUTS 2 target the target version does not list becomes the region {@link #nuts2Of} gives;
   * rows whose target lies in no NUTS 2 region of the target version are left out (see
   * {@link NutsCodeLists#unlistedTargets}, which names them).
   */
  public static Dataset<Row> oriented(Dataset<Row> conversions, int level, int target, Set<String> targetLevel2) {
    Dataset<Row> m = conversions.filter(col("level").equalTo(level));
    Dataset<Row> forward = m.filter(col("to_version").equalTo(target)).select(col("from_version").as("source_version"),
        col("from_code").as("source_code"), col("to_code").as("target_code"), col("area_km2"), col("pop11"), col("pop21"));
    Dataset<Row> backward = m.filter(col("from_version").equalTo(target)).select(col("to_version").as("source_version"),
        col("to_code").as("source_code"), col("from_code").as("target_code"), col("area_km2"), col("pop11"), col("pop21"));
    Dataset<Row> rows = forward.unionByName(backward).withColumn("target_nuts2", nuts2Of(col("target_code"), targetLevel2));
    if (level == 2) {
      rows = rows.withColumn("target_code", col("target_nuts2"));
    }
    return rows.filter(col("target_nuts2").isNotNull())
        .select("source_version", "source_code", "target_code", "target_nuts2", "area_km2", "pop11", "pop21");
  }

  /**
   * Recodes {@code series} (key columns..., source_version, geo, value, additive, area_weighted) to
   * the target version. Returns rows with the key columns, target geo, value, coverage and method,
   * plus rows with status for what could not be recoded (see {@link Result}).
   */
  public record Result(Dataset<Row> recoded, Dataset<Row> notRecoded) {}

  public static Result recode(Dataset<Row> series, List<String> keys, Dataset<Row> orientedMatrix,
      Set<String> targetCodes, int target, double minCoverage) {
    List<Column> keyCols = new ArrayList<>();
    for (String k : keys) {
      keyCols.add(col(k));
    }
    // Same version: nothing to convert, but the code must exist in the target version.
    Dataset<Row> same = series.filter(col("source_version").equalTo(target));
    Column known = col("geo").isin(targetCodes.toArray());
    List<Column> identityCols = new ArrayList<>(keyCols);
    identityCols.add(col("geo").as("nuts2"));
    identityCols.add(col("value"));
    identityCols.add(lit(1.0).as("coverage"));
    identityCols.add(lit("identity").as("method"));
    identityCols.add(col("source_version"));
    Dataset<Row> identity = same.filter(known).select(identityCols.toArray(new Column[0]));
    List<Column> missCols = new ArrayList<>(keyCols);
    missCols.add(col("source_version"));
    missCols.add(col("geo").as("code"));
    missCols.add(lit("not_a_code_of_the_target_version").as("status"));
    missCols.add(lit(null).cast("double").as("coverage"));
    Dataset<Row> unknownSame = same.filter(known.unary_$bang()).select(missCols.toArray(new Column[0]));

    Dataset<Row> other = series.filter(col("source_version").notEqual(target));
    Column weight = when(col("area_weighted"), col("area_km2")).otherwise(col("pop11"));
    Dataset<Row> sourceTotals = orientedMatrix.groupBy("source_version", "source_code")
        .agg(sum("pop11").as("source_pop"), sum("area_km2").as("source_area"));
    Dataset<Row> targetTotals = orientedMatrix.groupBy("source_version", "target_code")
        .agg(sum("pop11").as("target_pop"), sum("area_km2").as("target_area"));
    Dataset<Row> joined = other.join(orientedMatrix,
            other.col("source_version").equalTo(orientedMatrix.col("source_version"))
                .and(other.col("geo").equalTo(orientedMatrix.col("source_code"))), "left")
        .drop(orientedMatrix.col("source_version"));
    List<Column> notInMatrixCols = new ArrayList<>(keyCols);
    notInMatrixCols.add(col("source_version"));
    notInMatrixCols.add(col("geo").as("code"));
    notInMatrixCols.add(lit("source_code_not_in_conversion_matrix").as("status"));
    notInMatrixCols.add(lit(null).cast("double").as("coverage"));
    Dataset<Row> notInMatrix = joined.filter(col("target_code").isNull()).select(notInMatrixCols.toArray(new Column[0]));

    Dataset<Row> withTotals = joined.filter(col("target_code").isNotNull())
        .join(sourceTotals, Columns.names("source_version", "source_code"), "left")
        .withColumn("w", weight)
        .withColumn("source_w", when(col("area_weighted"), col("source_area")).otherwise(col("source_pop")))
        .withColumn("contribution", when(col("additive"),
            when(col("source_w").gt(0), col("value").multiply(col("w")).divide(col("source_w"))).otherwise(lit(0.0)))
            .otherwise(col("value").multiply(col("w"))));
    List<Column> groupCols = new ArrayList<>(keyCols);
    groupCols.add(col("source_version"));
    groupCols.add(col("target_code"));
    groupCols.add(col("additive"));
    groupCols.add(col("area_weighted"));
    Dataset<Row> grouped = withTotals.groupBy(groupCols.toArray(new Column[0]))
        .agg(sum("contribution").as("contribution"), sum("w").as("covered_w"))
        .join(targetTotals, Columns.names("source_version", "target_code"), "left")
        .withColumn("target_w", when(col("area_weighted"), col("target_area")).otherwise(col("target_pop")))
        .withColumn("coverage", when(col("target_w").gt(0), col("covered_w").divide(col("target_w"))).otherwise(lit(1.0)))
        .withColumn("recoded_value", when(col("additive"), col("contribution"))
            .otherwise(when(col("covered_w").gt(0), col("contribution").divide(col("covered_w")))));
    Column enough = col("coverage").geq(minCoverage - 1e-9).and(col("recoded_value").isNotNull());
    List<Column> recodedCols = new ArrayList<>(keyCols);
    recodedCols.add(col("target_code").as("nuts2"));
    recodedCols.add(col("recoded_value").as("value"));
    recodedCols.add(col("coverage"));
    recodedCols.add(when(col("area_weighted"), lit("jrc_area_weights")).otherwise(lit("jrc_population_weights")).as("method"));
    recodedCols.add(col("source_version"));
    Dataset<Row> converted = grouped.filter(enough).select(recodedCols.toArray(new Column[0]));
    List<Column> partialCols = new ArrayList<>(keyCols);
    partialCols.add(col("source_version"));
    partialCols.add(col("target_code").as("code"));
    partialCols.add(lit("target_region_partly_covered").as("status"));
    partialCols.add(col("coverage"));
    Dataset<Row> partial = grouped.filter(enough.unary_$bang()).select(partialCols.toArray(new Column[0]));
    return new Result(identity.unionByName(converted),
        unknownSame.unionByName(notInMatrix).unionByName(partial));
  }

  /** Share of a target region's area that must lie inside an area for the region to belong to it. */
  public static final double AREA_MAJORITY = 0.5;
  /** Share of a code's area outside its outline below which the outline counts as complete (matrix slivers). */
  public static final double AREA_SLIVER = 0.01;

  /**
   * An area in the target version (with {@code approximate}: an approximation below names a code
   * of it); the codes of the source version that reach no target region;
   * and the approximations, where at least {@link #AREA_SLIVER}: per footprint code, the share of
   * its area the outline leaves out (code, outside_share), and per area the share of the
   * outline that lies outside the footprint (code null, beyond_share).
   */
  public record Areas(Dataset<Row> areas, Dataset<Row> unconverted, Dataset<Row> approximations) {}

  /**
   * Recodes areas (key columns plus {@code footprint}: NUTS prefixes of the source version, any
   * level up to 3) to the target version: the target regions (NUTS 2 for prefixes of up to four
   * characters, NUTS 3 for NUTS 3 codes) at least {@link #AREA_MAJORITY} of whose area lies in
   * the source regions the prefixes cover, and for each footprint code at least the target region
   * holding its largest part, so that no code of the footprint is lost (Oslo og Akershus, NUTS
   * 2013 NO01, is a fifth of NUTS 2021 NO08, and still in the outline). Small: the footprints are
   * configuration.
   */
  public static Areas areas(Dataset<Row> footprints, List<String> keys, Dataset<Row> conversions, int from, int target,
      Set<String> targetLevel2) {
    Dataset<Row> codes = footprints.select(Columns.cols(keys, explode(col("footprint")).as("code"))).distinct();
    Dataset<Row> hits = null;
    Dataset<Row> targetAreas = null;
    for (int level : List.of(2, 3)) {
      Dataset<Row> m = oriented(conversions, level, target, targetLevel2).filter(col("source_version").equalTo(from))
          .select(col("source_code"), col("target_code"), col("area_km2"), lit(level).as("matrix_level"));
      Column levelOfCode = when(length(col("code")).leq(4), lit(2)).otherwise(lit(3));
      Dataset<Row> h = codes.join(broadcast(m),
          col("source_code").startsWith(col("code")).and(levelOfCode.equalTo(col("matrix_level"))), "inner");
      Dataset<Row> t = m.groupBy("target_code").agg(sum("area_km2").as("target_area"));
      hits = hits == null ? h : hits.unionByName(h);
      targetAreas = targetAreas == null ? t : targetAreas.unionByName(t);
    }
    List<String> byTarget = new ArrayList<>(keys);
    byTarget.add("target_code");
    List<String> byCode = new ArrayList<>(keys);
    byCode.add("code");
    List<String> byCodeAndTarget = new ArrayList<>(byCode);
    byCodeAndTarget.add("target_code");
    List<String> pieces = new ArrayList<>(byTarget);
    pieces.addAll(List.of("source_code", "area_km2"));
    // a source region covered by two prefixes of one footprint ("DE8" and "DE80") counts once
    Dataset<Row> covered = hits.select(Columns.cols(pieces)).distinct()
        .groupBy(Columns.cols(byTarget)).agg(sum("area_km2").as("covered_area"))
        .join(targetAreas, Columns.names("target_code"));
    Dataset<Row> majority = covered.filter(col("covered_area").geq(col("target_area").multiply(AREA_MAJORITY)))
        .select(Columns.cols(byTarget));
    Dataset<Row> codeParts = hits.groupBy(Columns.cols(byCodeAndTarget)).agg(sum("area_km2").as("part_area"));
    Dataset<Row> largestPart = codeParts
        .withColumn("_rank", row_number().over(Window.partitionBy(Columns.cols(byCode))
            .orderBy(col("part_area").desc(), col("target_code"))))
        .filter(col("_rank").equalTo(1)).select(Columns.cols(byTarget));
    Dataset<Row> kept = majority.unionByName(largestPart).distinct();
    Dataset<Row> outlines = kept.groupBy(Columns.cols(keys))
        .agg(array_sort(collect_set("target_code")).as("footprint"));
    Dataset<Row> codeAreas = codeParts.join(kept.withColumn("_kept", lit(true)), Columns.names(byTarget.toArray(String[]::new)),
            "left")
        .groupBy(Columns.cols(byCode))
        .agg(sum("part_area").as("code_area"), sum(when(col("_kept"), col("part_area")).otherwise(0.0)).as("kept_area"));
    Dataset<Row> outlineAreas = kept.join(covered, Columns.names(byTarget.toArray(String[]::new)))
        .groupBy(Columns.cols(keys)).agg(sum("target_area").as("outline_area"), sum("covered_area").as("outline_covered"));
    Dataset<Row> codesCut = codeAreas
        .select(Columns.cols(byCode, col("code_area").minus(col("kept_area")).divide(col("code_area")).as("outside_share"),
            lit(null).cast("double").as("beyond_share")))
        .filter(col("outside_share").geq(AREA_SLIVER));
    Dataset<Row> outlinesBeyond = outlineAreas
        .select(Columns.cols(keys, lit(null).cast("string").as("code"), lit(null).cast("double").as("outside_share"),
            col("outline_area").minus(col("outline_covered")).divide(col("outline_area")).as("beyond_share")))
        .filter(col("beyond_share").geq(AREA_SLIVER));
    Dataset<Row> approximations = codesCut.unionByName(outlinesBeyond);
    Dataset<Row> unconverted = codes.join(hits.select(Columns.cols(byCode)).distinct(),
        Columns.names(byCode.toArray(String[]::new)), "left_anti");
    Dataset<Row> approximate = approximations.select(Columns.cols(keys)).distinct().withColumn("approximate", lit(true));
    Dataset<Row> areas = outlines.join(approximate, Columns.names(keys.toArray(String[]::new)), "left")
        .withColumn("approximate", coalesce(col("approximate"), lit(false)));
    return new Areas(areas, unconverted, approximations);
  }
}
