package eu.iciatlas.jobs.report;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.InputSniffer;
import eu.iciatlas.common.output.BiCopies;
import eu.iciatlas.common.output.OutputTables;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * ReportJob: DIR/report/index.html, one self-contained page with the paper's figures and tables
 * recomputed from the gold tables of an output folder: the map (Figure 1), ICI share per region
 * (Figure 2), specialization shares (Figure 3), Table 1, Table 2, the urbanization scatter with its
 * fitted line and coefficients, the top regional links, the linkage networks ({@link NetworkSection}),
 * input completeness and attribution. The job reads the tables into a {@link ReportModel} and lays it
 * out with {@link ReportPage}'s template. Reads only small gold tables (hundreds of rows), so
 * collecting them to the driver is fine.
 */
public final class ReportJob {
  public record Config(String output, String period) {}

  public static final List<String> REQUIRED = List.of(Tables.GOLD_ICI_SHARE, Tables.GOLD_ICI_SHARE_SUMMARY,
      Tables.GOLD_SPECIALIZATION_SHARE, Tables.GOLD_COUNTRY_SPECIALIZATION, Tables.GOLD_CLUSTER_COMPARISON,
      Tables.GOLD_CORRELATIONS, Tables.GOLD_CORRELATION_POINTS, Tables.GOLD_REGION_LINKS, Tables.GOLD_REGION_FOOTPRINT);

  private final Config config;
  private final SparkSession spark;
  private final Progress progress;
  private final OutputTables tables;
  private final ReportQueries queries;

  public ReportJob(Config config, SparkSession spark, Progress progress) {
    this.config = config;
    this.spark = spark;
    this.progress = progress;
    this.tables = new OutputTables(spark, config.output());
    this.queries = new ReportQueries(tables, config.output());
  }

  public Path run() {
    Instant start = Instant.now();
    tables.require("analyse", REQUIRED.toArray(new String[0]));
    String initial = config.period() != null ? config.period() : queries.defaultPeriod();
    Map<String, List<Row>> shares = queries.byPeriod(Tables.GOLD_ICI_SHARE, "region_kind", "share DESC", "region_name");
    if (!shares.containsKey(initial)) {
      throw new InputException("--period " + initial + ": gold_ici_share of " + config.output() + " has no rows for it; it has "
          + String.join(", ", shares.keySet()));
    }
    boolean networks = tables.exists(Tables.GOLD_NETWORK_SUMMARY) && tables.exists(Tables.GOLD_NETWORK_ORGANISATIONS);
    ReportModel model = ReportModel.read(queries, initial, shares, networks);
    String html = ReportPage.render(model);
    Path target = new Path(new Path(config.output(), "report"), "index.html");
    // written beside the page, then renamed over it: a reader or a failure never meets half a page
    Path partial = new Path(target.getParent(), ".index.html.partial");
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try {
        try (OutputStream out = fs.create(partial, true)) {
          out.write(html.getBytes(StandardCharsets.UTF_8));
        }
        publish(fs, partial, target);
      } finally {
        fs.delete(partial, false); // nothing left behind when the write or the rename failed
        BiCopies.removeHadoopLitter(fs, target.getParent());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + target + ": " + e.getMessage(), e);
    }
    List<String> periods = model.periods().stream().map(ReportModel.PeriodOption::period).toList();
    progress.stage("report", InputSniffer.display(target.toString()) + " (" + html.length() / 1024
        + " KiB, periods " + String.join(", ", periods) + ", opens on " + initial + ")", start);
    return target;
  }

  /** Renames the written page over the old one in one step where the file system can (local, HDFS, S3A, ABFS). */
  private static void publish(FileSystem fs, Path partial, Path target) throws IOException {
    try {
      FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(partial, target, Options.Rename.OVERWRITE);
    } catch (UnsupportedFileSystemException e) {
      // a file system with no FileContext binding: the old page is removed first, for a moment there is none
      fs.delete(target, false);
      if (!fs.rename(partial, target)) {
        throw new IOException("cannot rename " + partial + " to " + target);
      }
    }
  }
}
