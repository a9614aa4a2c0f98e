package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.keep.KeepSilver;
import eu.iciatlas.common.keep.ProgrammeRules;
import eu.iciatlas.common.output.TableWriter;
import eu.iciatlas.common.output.TableWriter.Scope;
import eu.iciatlas.common.quality.Validation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The Keep.eu silver stage of ingestion, from this run's bronze rows: each row checked into accepted
 * or quarantined with a reason (quarantine_keep_projects, _partners, _calls), and the accepted rows
 * into silver_participations, silver_projects, silver_programmes and silver_calls, replacing the run's
 * periods only. The classification is a stage of the analysis ({@link ClassifyStage}).
 */
final class KeepSilverStage {
  /**
   * The rows written per table, and what the audit counts: this run's bronze rows per kind and the
   * accepted silver rows of the run's periods (participations, projects, calls) as written.
   */
  record Result(Map<String, Long> written, Map<Kind, Dataset<Row>> bronze, Dataset<Row> participations,
      Dataset<Row> projects, Dataset<Row> calls) {}

  private final TableWriter writer;
  private final Persisted persisted;

  KeepSilverStage(StageContext context) {
    this.writer = context.writer();
    this.persisted = context.persisted();
  }

  /** {@code nuts1..3}: the codes of the Keep.eu NUTS version a partner's region is checked against. */
  Result run(String runId, List<String> runPeriods, List<String> nuts1, List<String> nuts2, List<String> nuts3,
      ProgrammeRules programmeRules) {
    Column thisRun = col("_run_id").equalTo(runId);
    Map<Kind, Dataset<Row>> bronze = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      bronze.put(kind, writer.read(Tables.bronzeKeep(kind)).filter(thisRun).drop("_period"));
    }
    // on disk: the project rows carry the full texts (2.4 GB at SF 10), which would crowd a 2 GB driver heap
    Dataset<Row> checkedProjects = persisted.keep(KeepSilver.checkProjects(bronze.get(Kind.PROJECTS)), StorageLevel.DISK_ONLY());
    Dataset<Row> checkedPartners = persisted.keep(KeepSilver.checkPartners(bronze.get(Kind.PARTNERS), nuts1, nuts2, nuts3),
        StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> checkedCalls = persisted.keep(KeepSilver.checkCalls(bronze.get(Kind.CALLS)), StorageLevel.MEMORY_AND_DISK());

    Map<String, Long> written = new LinkedHashMap<>();
    Scope silverScope = Scope.periods("period", runPeriods, false);
    Scope quarantineScope = Scope.periods("period", runPeriods, true);
    Map<Kind, Dataset<Row>> checked = Map.of(Kind.PROJECTS, checkedProjects, Kind.PARTNERS, checkedPartners,
        Kind.CALLS, checkedCalls);
    for (Kind kind : Kind.values()) {
      written.put(Tables.quarantineKeep(kind), writer.write(Tables.quarantineKeep(kind),
          quarantine(checked.get(kind), bronze.get(kind)), quarantineScope));
    }

    Column runPeriod = col("period").isin(runPeriods.toArray());
    written.put(Tables.SILVER_PARTICIPATIONS, writer.write(Tables.SILVER_PARTICIPATIONS,
        KeepSilver.participations(Validation.accepted(checkedPartners)), silverScope));
    Dataset<Row> participations = writer.read(Tables.SILVER_PARTICIPATIONS).filter(runPeriod);
    Dataset<Row> projectsFromExport = KeepSilver.projectsFromExport(Validation.accepted(checkedProjects));
    written.put(Tables.SILVER_PROJECTS, writer.write(Tables.SILVER_PROJECTS,
        KeepSilver.projects(projectsFromExport, participations), silverScope));
    Dataset<Row> projects = writer.read(Tables.SILVER_PROJECTS).filter(runPeriod);
    written.put(Tables.SILVER_PROGRAMMES, writer.write(Tables.SILVER_PROGRAMMES,
        KeepSilver.programmes(projects, participations, programmeRules), silverScope));
    written.put(Tables.SILVER_CALLS, writer.write(Tables.SILVER_CALLS,
        KeepSilver.calls(Validation.accepted(checkedCalls)), silverScope));
    return new Result(written, bronze, participations, projects, writer.read(Tables.SILVER_CALLS).filter(runPeriod));
  }

  /** The quarantined rows with their reasons and raw record (the export's own columns), by period. */
  private static Dataset<Row> quarantine(Dataset<Row> checked, Dataset<Row> bronze) {
    List<String> raw = new ArrayList<>();
    for (String c : bronze.columns()) {
      if (!c.startsWith("_")) {
        raw.add(c);
      }
    }
    return Validation.quarantined(checked, raw, List.of("_period", "_ingested_at", "_run_id"))
        .withColumnRenamed("_period", "period");
  }
}
