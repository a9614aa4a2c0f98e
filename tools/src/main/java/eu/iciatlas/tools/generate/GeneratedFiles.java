package eu.iciatlas.tools.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.exchange.BroadcastExchangeExec;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeExec;

/**
 * Writes the lines of a generated table as CSV part files, one file per Spark partition, and
 * names them {@code <base>_<partition>.csv[.gz]} so that the same run gives the same names. The
 * lines are written by Spark's text writer (in parallel, on any Hadoop file system) with CRLF
 * record ends; the part files are then renamed out of Spark's task-attempt names.
 */
final class GeneratedFiles {
  private static final Pattern PART = Pattern.compile("^part-(\\d+)");

  /** A written file and its size. */
  record WrittenFile(String path, long bytes) {}

  private GeneratedFiles() {}

  /**
   * Writes {@code lines} (one string column, partition p = file p, in file order) to
   * {@code folder}, which is replaced. Fails if the plan shuffles the lines: a shuffle would
   * mix the part files (each starts with its own header row).
   */
  static List<WrittenFile> write(SparkSession spark, Dataset<Row> lines, int expectedParts, String folder,
      String baseName, boolean gzip) {
    requireNoShuffle(lines);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path dir = new Path(folder);
    Path tmp = new Path(dir.getParent(), "_tmp_" + dir.getName());
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.delete(tmp, true);
      fs.delete(dir, true);
      lines.write().mode(SaveMode.Overwrite)
          .option("lineSep", KeepLayout.RECORD_END)
          .option("compression", gzip ? "gzip" : "none")
          .text(tmp.toString());
      fs.mkdirs(dir);
      TreeMap<Integer, Path> parts = new TreeMap<>();
      for (FileStatus status : fs.listStatus(tmp)) {
        Matcher m = PART.matcher(status.getPath().getName());
        if (status.isFile() && m.find()) {
          int index = Integer.parseInt(m.group(1));
          if (parts.put(index, status.getPath()) != null) {
            throw new IllegalStateException("two part files for partition " + index + " in " + tmp);
          }
        }
      }
      if (parts.size() != expectedParts) {
        throw new IllegalStateException(baseName + ": expected " + expectedParts + " part files, Spark wrote "
            + parts.size() + " in " + tmp);
      }
      List<WrittenFile> written = new ArrayList<>();
      for (var e : parts.entrySet()) {
        Path target = new Path(dir, String.format("%s_%05d.csv%s", baseName, e.getKey(), gzip ? ".gz" : ""));
        if (!fs.rename(e.getValue(), target)) {
          throw new IOException("cannot rename " + e.getValue() + " to " + target);
        }
        written.add(new WrittenFile(target.toString(), fs.getFileStatus(target).getLen()));
      }
      fs.delete(tmp, true);
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException(folder + ": " + e.getMessage(), e);
    }
  }

  /** Writes a small text file (UTF-8). */
  static void writeText(SparkSession spark, String file, String text) {
    Path path = new Path(file);
    try (OutputStream out = path.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(path, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  static void requireNoShuffle(Dataset<Row> lines) {
    SparkPlan plan = lines.queryExecution().executedPlan();
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      plan = adaptive.executedPlan();
    }
    checkNode(plan);
  }

  private static void checkNode(SparkPlan node) {
    if (node instanceof ShuffleExchangeExec) {
      throw new IllegalStateException("the generated lines would be shuffled (" + node.simpleStringWithNodeId()
          + "); every join of the generator must be a broadcast join so that partition p is file p");
    }
    if (node instanceof BroadcastExchangeExec) {
      return;
    }
    for (SparkPlan child : scala.jdk.javaapi.CollectionConverters.asJava(node.children())) {
      checkNode(child);
    }
  }
}
