package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.Tables;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.network.GraphMeasures;
import eu.iciatlas.common.network.LinkageNetworks;
import eu.iciatlas.common.output.ConcurrentWrites;
import eu.iciatlas.common.output.ConcurrentWrites.PendingWrite;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The network stage of the analysis: the linkage networks of organisations and regions measured
 * ({@link LinkageNetworks}: components, PageRank, communities, triangles, betweenness) into
 * gold_network_summary, gold_network_organisations and gold_network_communities; skipped, with a
 * line that says so, when network.enabled=false. The networks' intermediate tables are kept while
 * the three tables are written, and released when the stage ends.
 */
final class NetworkStage {
  private NetworkStage() {}

  static Map<String, Long> run(StageContext context, AnalysedPeriods periods, AnalysisInputs inputs,
      Dataset<Row> projectRegions, PipelineSettings settings) {
    Progress progress = context.progress();
    if (!settings.networksEnabled()) {
      progress.info("linkage networks skipped (" + PipelineSettings.NETWORKS_ENABLED + "=false): the three network"
          + " tables keep what an earlier run wrote");
      return Map.of();
    }
    Instant stageStart = Instant.now();
    Scope scope = periods.scope();
    int nutsVersion = inputs.nutsVersion();
    try (Persisted persisted = new Persisted()) {
      LinkageNetworks networks = LinkageNetworks.build(inputs.projects(), projectRegions, inputs.participations(),
          new LinkageNetworks.BetweennessSampling(settings.betweennessExactMaxNodes(), settings.betweennessSampleSources(),
              settings.bootstrapSeed()), rows -> persisted.keep(rows, StorageLevel.MEMORY_AND_DISK()));
      // each count computes (and keeps) the next of the intermediate tables, so that its progress line says what it took
      Instant start = Instant.now();
      List<Row> clash = networks.vertexIdClashes().limit(1).collectAsList();
      if (!clash.isEmpty()) {
        throw new IllegalStateException("two network nodes share the vertex id " + clash.get(0).get(0)
            + " (a hash collision): report it with the input files");
      }
      progress.stage("network nodes and edges", networks.edges().count() + " edges", start);
      start = Instant.now();
      Row longest = networks.longestLabelPropagation().first();
      int rounds = longest.isNullAt(0) ? 0 : longest.getInt(0);
      progress.stage("network components, PageRank, triangles, communities", "one task per network; label propagation: "
          + rounds + " round(s) in the slowest network" + (rounds == GraphMeasures.LABEL_PROPAGATION_STEPS
              ? " (the most allowed: some labels still changed)" : ""), start);
      start = Instant.now();
      progress.stage("network betweenness and node measures", networks.measuredNodes().count() + " nodes", start);
      progress.stage("linkage networks measured", "components, PageRank, communities, triangles; betweenness", stageStart);
      Map<String, Long> written = ConcurrentWrites.write(context.writer(), List.of(
          new PendingWrite(Tables.GOLD_NETWORK_SUMMARY, () -> networks.summary().withColumn("nuts_version", lit(nutsVersion)), scope),
          new PendingWrite(Tables.GOLD_NETWORK_ORGANISATIONS, networks::organisations, scope),
          new PendingWrite(Tables.GOLD_NETWORK_COMMUNITIES, networks::communities, scope)));
      progress.stage("linkage network tables", "3 tables", stageStart);
      return written;
    }
  }
}
