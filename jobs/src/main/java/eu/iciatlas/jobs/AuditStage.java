package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import eu.iciatlas.common.quality.IngestAudit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The ingestion's last stage: ingest_audit, one row per input file, counted from the tables the
 * other stages wrote (rows read = accepted + quarantined + skipped for another period), printed as a
 * console table, and the run refused when a file does not balance.
 */
final class AuditStage {
  private final StageContext context;
  private final String runId;

  AuditStage(StageContext context, String runId) {
    this.context = context;
    this.runId = runId;
  }

  /** The audit's rows and the rows its commit wrote. */
  record Result(List<Row> rows, long written) {}

  /** Writes and prints the audit, or fails naming every file that does not balance. */
  Result run(KeepBronzeStage.Result bronze, KeepSilverStage.Result silver, EurostatStage.Result eurostat) {
    Instant start = Instant.now();
    TableWriter writer = context.writer();
    Dataset<Row> audit = keepAudit(Kind.PROJECTS, bronze, silver,
            silver.projects().filter(col("has_project_record")).select(explode(col("_source_records")).as("r"))
                .select(col("r.file").as(CsvSources.SOURCE_FILE)))
        .unionByName(keepAudit(Kind.PARTNERS, bronze, silver, silver.participations()))
        .unionByName(keepAudit(Kind.CALLS, bronze, silver, silver.calls()))
        .unionByName(eurostat.audit());
    // a dozen rows: counted once, written from the driver and printed without reading the table back
    List<Row> rows = audit.orderBy("table", "source_file").collectAsList();
    long written = writer.write(Tables.INGEST_AUDIT, IngestAudit.fromCollected(context.spark(), rows, audit.schema()), Scope.equalTo("run_id", runId));
    context.progress().stage("audit", rows.size() + " file(s)", start);
    print(context.progress(), rows);
    List<String> unbalanced = new ArrayList<>();
    for (Row r : rows) {
      if (!r.getAs("balanced").equals(Boolean.TRUE)) {
        unbalanced.add(r.getAs("table") + " " + r.getAs("source_file"));
      }
    }
    if (!unbalanced.isEmpty()) {
      throw new IllegalStateException("rows read != accepted + quarantined + skipped for " + unbalanced
          + "; see " + writer.deltaPath(Tables.INGEST_AUDIT));
    }
    return new Result(rows, written);
  }

  /**
   * Rows read = this run's bronze rows of {@code kind} + its delivered rows of periods the run was not
   * asked for (skipped); accepted = {@code acceptedLineage}; quarantined = this run's rows of its quarantine table.
   */
  private Dataset<Row> keepAudit(Kind kind, KeepBronzeStage.Result bronze, KeepSilverStage.Result silver,
      Dataset<Row> acceptedLineage) {
    Dataset<Row> quarantine = context.writer().read(Tables.quarantineKeep(kind));
    Dataset<Row> skipped = bronze.delivered().get(kind).filter(bronze.inRun().unary_$bang());
    Dataset<Row> read = silver.bronze().get(kind).select(CsvSources.SOURCE_FILE).unionByName(skipped.select(CsvSources.SOURCE_FILE));
    return IngestAudit.of(Tables.bronzeKeep(kind), "row", read, acceptedLineage, quarantine.filter(col("_run_id").equalTo(runId)),
        skipped, runId);
  }

  private static void print(Progress progress, List<Row> rows) {
    progress.info("ingest audit (rows read = accepted + quarantined + skipped for another period):");
    progress.info(String.format("  %-22s %-60s %10s %10s %10s %8s  %s", "table", "source file", "read", "accepted",
        "quarantined", "skipped", "quarantined by reason"));
    for (Row r : rows) {
      String file = r.getAs("source_file");
      if (file.length() > 60) {
        file = "..." + file.substring(file.length() - 57);
      }
      scala.collection.Map<String, Long> byReason = r.getAs("quarantined_by_reason");
      String reasons = byReason == null ? "" : new TreeMap<>(scala.jdk.javaapi.CollectionConverters.asJava(byReason))
          .toString().replaceAll("[{}]", "").replace("=", " ");
      progress.info(String.format("  %-22s %-60s %,10d %,10d %,10d %,8d  %s%s", (String) r.getAs("table"), file,
          (Long) r.getAs("rows_read"), (Long) r.getAs("rows_accepted"), (Long) r.getAs("rows_quarantined"),
          (Long) r.getAs("rows_skipped_other_period"), reasons,
          r.getAs("balanced").equals(Boolean.TRUE) ? "" : "  UNBALANCED"));
    }
  }
}
