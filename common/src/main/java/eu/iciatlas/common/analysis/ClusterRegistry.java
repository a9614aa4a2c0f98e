package eu.iciatlas.common.analysis;

import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The registry of established international clusters, conf/clusters.csv, as a small Dataset. */
public final class ClusterRegistry {
  private ClusterRegistry() {}

  public static Dataset<Row> load(SparkSession spark, ConfFiles conf) {
    StructType schema = new StructType().add("cluster", DataTypes.StringType)
        .add("cluster_regions", DataTypes.createArrayType(DataTypes.StringType)).add("cluster_type", DataTypes.StringType)
        .add("cluster_specializations", DataTypes.createArrayType(DataTypes.StringType));
    return spark.createDataFrame(rows(conf), schema);
  }

  /** The registry's rows, checked (no Spark needed: the CLI checks the file before a session starts). */
  public static List<Row> rows(ConfFiles conf) {
    String file = "clusters.csv";
    List<Row> rows = new ArrayList<>();
    for (ConfRow r : conf.table(file, "cluster", "regions", "specializations")) {
      List<String> specs = Arrays.asList(r.required("specializations").split("\\|"));
      for (String s : specs) {
        if (!IciClassifier.SPECIALIZATIONS.contains(s)) {
          throw r.error("specialization '" + s + "' is not one of " + IciClassifier.SPECIALIZATIONS);
        }
      }
      rows.add(RowFactory.create(r.required("cluster"), Arrays.asList(r.required("regions").split("\\|")), r.get("type"), specs));
    }
    return rows;
  }
}
