package eu.iciatlas.common.nuts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.io.CsvSources;
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

/**
 * The small facts the NUTS transformations are built from, read onto the driver (each is a Spark job over a small
 * table): the NUTS 2 codes of each version, the version each Eurostat file is written in, the matrix regions a version
 * does not list. The stages read them at their edges and pass the values to {@link NutsRecoder},
 * {@link PartnerRegions} and {@code RegionIndicators}, which run no Spark job themselves.
 */
public final class NutsCodeLists {
  private NutsCodeLists() {}

  /** The NUTS 2 codes of one version, from silver_nuts_regions. */
  public static Set<String> level2(Dataset<Row> regions, int version) {
    return new HashSet<>(regions.filter(col("level").equalTo(2).and(col("nuts_version").equalTo(version)))
        .select("nuts_id").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  /** NUTS 2 codes by version, from silver_nuts_regions. */
  public static Map<Integer, Set<String>> level2ByVersion(Dataset<Row> regions) {
    Map<Integer, Set<String>> out = new HashMap<>();
    for (Row r : regions.filter(col("level").equalTo(2)).select("nuts_version", "nuts_id").collectAsList()) {
      out.computeIfAbsent(r.getInt(0), k -> new HashSet<>()).add(r.getString(1));
    }
    return out;
  }

  /**
   * The NUTS version of each Eurostat file ({@link CsvSources#SOURCE_FILE} of the observations), detected from its
   * NUTS 2 geo codes ({@link NutsRecoder#detectVersion}).
   */
  public static Map<String, Integer> versionOfEachFile(Dataset<Row> observations, Map<Integer, Set<String>> level2ByVersion,
      int target) {
    Map<String, Set<String>> geosByFile = new HashMap<>();
    for (Row r : observations.filter(length(col("geo")).equalTo(4))
        .select(CsvSources.SOURCE_FILE, "geo").distinct().collectAsList()) {
      geosByFile.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getString(1));
    }
    Map<String, Integer> out = new TreeMap<>();
    geosByFile.forEach((file, geos) -> out.put(file, NutsRecoder.detectVersion(geos, level2ByVersion, target)));
    return out;
  }

  /**
   * The matrix targets (NUTS 2 part of the code) toward {@code target} that the target version
   * does not list, each as a line for the log: read as the region {@link NutsRecoder#nuts2Of} gives, or left out.
   */
  public static List<String> unlistedTargets(Dataset<Row> conversions, int target, Set<String> targetLevel2) {
    Column targetCode = when(col("to_version").equalTo(target), col("to_code")).otherwise(col("from_code"));
    List<String> out = new ArrayList<>();
    for (Row r : conversions.filter(col("level").isin(2, 3))
        .filter(col("to_version").equalTo(target).or(col("from_version").equalTo(target)))
        .select(substring(targetCode, 1, 4).as("prefix"), NutsRecoder.nuts2Of(targetCode, targetLevel2).as("read_as"))
        .filter(col("prefix").isin(targetLevel2.toArray()).unary_$bang()).distinct().orderBy("prefix")
        .collectAsList()) {
      out.add("JRC matrix region " + r.getString(0) + " is no NUTS " + target + " NUTS 2 code: "
          + (r.isNullAt(1) ? "its rows are left out" : "read as " + r.getString(1)));
    }
    return out;
  }
}
