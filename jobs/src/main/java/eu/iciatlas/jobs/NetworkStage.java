package eu.iciatlas.jobs;

import static org.apache.spark.sql.functions.lit;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.network.LinkageNetworks;
import eu.iciatlas.common.output.ConcurrentWrites;
import eu.iciatlas.common.output.ConcurrentWrites.PendingWrite;
import eu.iciatlas.common.output.TableWriter.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The network stage of the analysis: the linkage networks of organisations and regions measured
 * ({@link LinkageNetworks}: components, PageRank, communities, triangles, betweenness) into
 * gold_network_summary, gold_network_organisations and gold_network_communities; skipped, with a
 * line that says so, when network.enabled=false.
 */
final class NetworkStage {
  private NetworkStage() {}

  static Map<String, Long> run(StageContext context, AnalysedPeriods periods, AnalysisInputs inputs,
      Dataset<Row> projectRegions, PipelineSettings settings) {
    if (!settings.networksEnabled()) {
      context.progress().info("linkage networks skipped (" + PipelineSettings.NETWORKS_ENABLED + "=false): the three network"
          + " tables keep what an earlier run wrote");
      return Map.of();
    }
    Instant start = Instant.now();
    Scope scope = periods.scope();
    int nutsVersion = inputs.nutsVersion();
    Map<String, Long> written;
    try (LinkageNetworks networks = new LinkageNetworks(inputs.projects(), projectRegions, inputs.participations(),
        settings.betweennessExactMaxNodes(), settings.betweennessSampleSources(), settings.bootstrapSeed(), context.progress())) {
      context.progress().stage("linkage networks measured", "components, PageRank, communities, triangles; betweenness", start);
      written = ConcurrentWrites.write(context.writer(), List.of(
          new PendingWrite(Tables.GOLD_NETWORK_SUMMARY, () -> networks.summary().withColumn("nuts_version", lit(nutsVersion)), scope),
          new PendingWrite(Tables.GOLD_NETWORK_ORGANISATIONS, networks::organisations, scope),
          new PendingWrite(Tables.GOLD_NETWORK_COMMUNITIES, networks::communities, scope)));
    }
    context.progress().stage("linkage network tables", "3 tables", start);
    return written;
  }
}
