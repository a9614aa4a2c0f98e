package eu.iciatlas.common.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.to_json;

import eu.iciatlas.common.Progress;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Writes a table as Delta under {@code DIR/delta/<table>} in one overwrite commit, and, for BI,
 * the same rows as one CSV file with a header under {@code DIR/bi/<table>.csv} (arrays joined with
 * '|', maps and structs as JSON, rows sorted so a rerun gives the same file).
 */
public final class TableWriter {
  private final SparkSession spark;
  private final String outputDir;
  private final Progress progress;

  public TableWriter(SparkSession spark, String outputDir, Progress progress) {
    this.spark = spark;
    this.outputDir = outputDir;
    this.progress = progress;
  }

  public String deltaPath(String table) {
    return new Path(new Path(outputDir, "delta"), table).toString();
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(deltaPath(table));
  }

  /** Writes the table and returns the number of rows Delta committed. */
  public long write(String table, Dataset<Row> rows, boolean exportCsv) {
    Instant start = Instant.now();
    rows.write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(deltaPath(table));
    long count = committedRows(table);
    if (exportCsv) {
      exportCsv(table);
    }
    progress.stage("write " + table, String.format("%,d rows", count), start);
    return count;
  }

  /** numOutputRows of the table's latest commit: no extra scan of the data. */
  public long committedRows(String table) {
    Row metrics = DeltaTable.forPath(spark, deltaPath(table)).history(1).select("operationMetrics").first();
    scala.collection.Map<String, String> m = metrics.getMap(0);
    return Long.parseLong(m.get("numOutputRows").getOrElse(() -> "0"));
  }

  void exportCsv(String table) {
    Dataset<Row> flat = flattenForCsv(read(table));
    List<Column> order = new ArrayList<>();
    for (String c : flat.columns()) {
      order.add(col(c).asc_nulls_first());
    }
    Path biDir = new Path(outputDir, "bi");
    Path tmp = new Path(biDir, "_tmp_" + table);
    flat.orderBy(order.toArray(new Column[0])).coalesce(1).write().mode("overwrite")
        .option("header", "true").option("quote", "\"").option("escape", "\"")
        .option("nullValue", "").option("emptyValue", "\"\"").option("encoding", "UTF-8")
        .csv(tmp.toString());
    try {
      FileSystem fs = tmp.getFileSystem(spark.sparkContext().hadoopConfiguration());
      Path target = new Path(biDir, table + ".csv");
      fs.delete(target, false);
      for (FileStatus f : fs.listStatus(tmp)) {
        if (f.getPath().getName().startsWith("part-")) {
          fs.rename(f.getPath(), target);
        }
      }
      fs.delete(tmp, true);
    } catch (IOException e) {
      throw new IllegalStateException("cannot move the CSV export of " + table + " into " + biDir + ": " + e.getMessage(), e);
    }
  }

  /** CSV has no nested types: arrays of text become 'a|b', other nested values JSON. */
  public static Dataset<Row> flattenForCsv(Dataset<Row> rows) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      DataType t = f.dataType();
      if (t instanceof ArrayType a && a.elementType().equals(DataTypes.StringType)) {
        cols.add(concat_ws("|", col(f.name())).as(f.name()));
      } else if (t instanceof ArrayType || t instanceof org.apache.spark.sql.types.MapType
          || t instanceof org.apache.spark.sql.types.StructType) {
        cols.add(to_json(col(f.name())).as(f.name()));
      } else {
        cols.add(col(f.name()));
      }
    }
    return rows.select(cols.toArray(new Column[0]));
  }
}
