package eu.iciatlas.common.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The two facts a writer needs after each commit, read from the table's {@code _delta_log} files
 * as the Delta protocol lays them out (one {@code <20-digit version>.json} per commit, its
 * {@code commitInfo} action with the operation metrics). Hand-written on purpose: Delta's
 * {@code DeltaTable.history(1)} and {@code isDeltaTable} each build a snapshot and run a Spark
 * job, about 0.2 s per table on local[2] (benchmarks' SmallTableWriteBenchmark), while this is one
 * directory listing and one small file read.
 */
public final class DeltaLogFiles {
  private static final Pattern COMMIT_FILE = Pattern.compile("\\d{20}\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaLogFiles() {}

  /** The latest committed version of the table at {@code tablePath}, or -1 when there is no Delta table there. */
  public static long latestVersion(String tablePath, Configuration hadoopConf) {
    Path log = new Path(tablePath, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(hadoopConf);
      if (!fs.exists(log)) {
        return -1;
      }
      long latest = -1;
      for (FileStatus f : fs.listStatus(log)) {
        String name = f.getPath().getName();
        if (COMMIT_FILE.matcher(name).matches()) {
          latest = Math.max(latest, Long.parseLong(name.substring(0, 20)));
        }
      }
      return latest;
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + log + ": " + e.getMessage(), e);
    }
  }

  /**
   * What one commit recorded: the rows it wrote, the userMetadata the writer gave it. {@code numOutputRows}
   * counts every row of the files the commit added: with a replaceWhere on a data column that includes
   * the rows of other values copied from the files it rewrote ({@code numCopiedRows}).
   */
  public record Commit(long version, java.util.OptionalLong numOutputRows, long numCopiedRows, String userMetadata) {
    /**
     * The rows the writer gave (for a scoped write, the rows of its scope); empty when the commit
     * recorded no row count (spark.databricks.delta.history.metricsEnabled=false).
     */
    public java.util.OptionalLong rowsWritten() {
      return numOutputRows.isPresent() ? java.util.OptionalLong.of(numOutputRows.getAsLong() - numCopiedRows)
          : java.util.OptionalLong.empty();
    }
  }

  public static Commit commit(String tablePath, long version, Configuration hadoopConf) {
    Path file = new Path(new Path(tablePath, "_delta_log"), String.format("%020d.json", version));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getFileSystem(hadoopConf).open(file),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode info = JSON.readTree(line).get("commitInfo");
        if (info != null) {
          JsonNode metrics = info.path("operationMetrics");
          JsonNode metadata = info.get("userMetadata");
          JsonNode output = metrics.path("numOutputRows");
          return new Commit(version, output.isMissingNode() ? java.util.OptionalLong.empty()
              : java.util.OptionalLong.of(Long.parseLong(output.asText())), metric(metrics, "numCopiedRows"),
              metadata == null || metadata.isNull() ? null : metadata.asText());
        }
      }
      throw new IllegalStateException(file + " has no commitInfo; was the table written by another Delta writer?");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The data files (relative to the table, decoded) that commits after {@code afterVersion} added:
   * with the files of the version a recovery restores to, every file a reader can still reach.
   */
  public static java.util.Set<String> filesAddedAfter(String tablePath, long afterVersion, Configuration hadoopConf) {
    java.util.Set<String> added = new java.util.HashSet<>();
    long latest = latestVersion(tablePath, hadoopConf);
    for (long v = afterVersion + 1; v <= latest; v++) {
      Path file = new Path(new Path(tablePath, "_delta_log"), String.format("%020d.json", v));
      try (BufferedReader in = new BufferedReader(new InputStreamReader(file.getFileSystem(hadoopConf).open(file),
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          JsonNode add = JSON.readTree(line).get("add");
          if (add != null && add.hasNonNull("path")) {
            added.add(new Path(java.net.URI.create(add.get("path").asText())).toString());
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return added;
  }

  /** A count metric; absent means none (a create or a whole-table overwrite copies no rows). */
  private static long metric(JsonNode metrics, String name) {
    JsonNode value = metrics.path(name);
    return value.isMissingNode() ? 0 : Long.parseLong(value.asText());
  }
}
