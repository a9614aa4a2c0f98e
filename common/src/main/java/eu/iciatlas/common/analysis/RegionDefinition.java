package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import eu.iciatlas.common.io.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Cross-border regions as data. "default": every programme is one region whose kind is the
 * programme's strand. Any other name: conf/regions/NAME.csv (see conf/regions/baltic.csv), where
 * programmes with sub-areas are split by the NUTS 3 of their partners, lead partner first.
 */
public final class RegionDefinition {
  public static final String DEFAULT = "default";
  private static final StructType SCHEMA = new StructType()
      .add("def_order", DataTypes.IntegerType).add("def_period", DataTypes.StringType)
      .add("def_region_id", DataTypes.StringType).add("def_region_name", DataTypes.StringType)
      .add("def_kind", DataTypes.StringType).add("def_programme", DataTypes.StringType)
      .add("def_footprint", DataTypes.createArrayType(DataTypes.StringType));

  private final String name;
  private final List<Row> rows = new ArrayList<>();

  public RegionDefinition(ConfFiles conf, String name) {
    this.name = name;
    if (name.equals(DEFAULT)) {
      return;
    }
    String file = "regions/" + name + ".csv";
    if (!conf.exists(file)) {
      throw new InputException("--regions " + name + ": no region definition " + file + " in " + conf.describe()
          + ". Region definitions there: " + String.join(", ", conf.regionDefinitions())
          + " ('default' = one region per programme), or add conf/" + file + ".");
    }
    List<ConfRow> table = conf.table(file, "period", "region_id", "region_name", "kind", "programme");
    if (table.isEmpty()) {
      throw new InputException("--regions " + name + ": " + file + " has no rows");
    }
    for (int i = 0; i < table.size(); i++) {
      ConfRow r = table.get(i);
      String footprint = r.get("footprint");
      rows.add(RowFactory.create(i, r.required("period"), r.required("region_id"), r.required("region_name"),
          r.required("kind"), "(?i)" + r.regex("programme"),
          footprint.isEmpty() ? List.of() : Arrays.asList(footprint.split("\\s+"))));
    }
  }

  public String name() {
    return name;
  }

  /** Region ids of this definition that an established-cluster row's '*' stands for. */
  public boolean isDefault() {
    return rows.isEmpty();
  }

  /**
   * silver_project_regions: project_id, period, programme, region_id, region_name, region_kind,
   * assignment_rule (programme, lead_partner_nuts3, partner_nuts3, no_partner_in_sub_area,
   * programme_not_in_definition) and the definition's name.
   */
  public Dataset<Row> assign(SparkSession spark, Dataset<Row> projects, Dataset<Row> participations,
      Dataset<Row> programmes) {
    Dataset<Row> p = projects.select("project_id", "period", "programme", "programme_key");
    if (isDefault()) {
      return p.join(programmes.select(col("programme_key"), col("strand")), Columns.names("programme_key"), "left")
          .select(col("project_id"), col("period"), col("programme"), col("programme_key").as("region_id"),
              col("programme").as("region_name"), coalesce(col("strand"), lit("cross_border")).as("region_kind"),
              lit("programme").as("assignment_rule"), lit(name).as("definition"));
    }
    Dataset<Row> defs = spark.createDataFrame(rows, SCHEMA);
    Dataset<Row> matched = p.join(broadcast(defs),
        col("period").equalTo(col("def_period")).and(expr("programme RLIKE def_programme")), "inner");
    Dataset<Row> whole = matched.filter(size(col("def_footprint")).equalTo(0))
        .withColumn("assignment_rule", lit("programme")).withColumn("_lead", lit(1)).withColumn("_any", lit(1));
    Column inFootprint = exists(col("def_footprint"), f -> coalesce(col("nuts3"), col("nuts2"), lit("")).startsWith(f));
    Dataset<Row> bySubArea = matched.filter(size(col("def_footprint")).gt(0))
        .join(participations.select("project_id", "nuts3", "nuts2", "is_lead"), Columns.names("project_id"), "left")
        .withColumn("_in", coalesce(inFootprint, lit(false)))
        .groupBy(Arrays.stream(matched.columns()).map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .agg(max(when(col("_in").and(coalesce(col("is_lead"), lit(false))), 1).otherwise(0)).as("_lead"),
            max(when(col("_in"), 1).otherwise(0)).as("_any"))
        .withColumn("assignment_rule", when(col("_lead").equalTo(1), lit("lead_partner_nuts3"))
            .when(col("_any").equalTo(1), lit("partner_nuts3")).otherwise(lit("no_partner_in_sub_area")));
    Dataset<Row> candidates = whole.unionByName(bySubArea);
    Column best = row_number().over(Window.partitionBy("project_id")
        .orderBy(col("_lead").desc(), col("_any").desc(), col("def_order")));
    Dataset<Row> chosen = candidates.withColumn("_rank", best).filter(col("_rank").equalTo(1));
    Column assigned = col("_any").equalTo(1);
    Dataset<Row> inDefinition = chosen.select(col("project_id"), col("period"), col("programme"),
        when(assigned, col("def_region_id")).as("region_id"), when(assigned, col("def_region_name")).as("region_name"),
        when(assigned, col("def_kind")).as("region_kind"), col("assignment_rule"), lit(name).as("definition"));
    Dataset<Row> outside = p.join(inDefinition.select("project_id"), Columns.names("project_id"), "left_anti")
        .select(col("project_id"), col("period"), col("programme"), lit(null).cast("string").as("region_id"),
            lit(null).cast("string").as("region_name"), lit(null).cast("string").as("region_kind"),
            lit("programme_not_in_definition").as("assignment_rule"), lit(name).as("definition"));
    return inDefinition.unionByName(outside);
  }

  /** period, region_id, footprint (NUTS codes) of the regions whose definition row has a footprint. */
  public Dataset<Row> footprints(SparkSession spark) {
    return spark.createDataFrame(rows, SCHEMA).filter(size(col("def_footprint")).gt(0))
        .groupBy(col("def_period").as("period"), col("def_region_id").as("region_id"))
        .agg(org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.array_distinct(
            org.apache.spark.sql.functions.flatten(org.apache.spark.sql.functions.collect_list("def_footprint")))).as("footprint"));
  }
}
