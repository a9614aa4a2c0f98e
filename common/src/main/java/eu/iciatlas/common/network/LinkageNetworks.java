package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The linkage networks of docs/METHOD.md's organisations, from classified projects, their regions
 * and participations: {@link NetworkTables} builds nodes and edges, {@link GraphMeasures}
 * and {@link Betweenness} measure them, NetworkTables shapes the three gold tables. The
 * intermediate nodes and edges are persisted while the tables are written; {@link #close} frees them.
 */
public final class LinkageNetworks implements AutoCloseable {
  private final Persisted persisted = new Persisted();
  private final Dataset<Row> memberships;
  private final Dataset<Row> edges;
  private final Dataset<Row> measuredNodes;
  private final Dataset<Row> participations;
  private final Dataset<Row> projects;

  public LinkageNetworks(Dataset<Row> projects, Dataset<Row> projectRegions, Dataset<Row> participations,
      int betweennessExactMaxNodes, int betweennessSampleSources, long seed, Progress progress) {
    this.projects = projects;
    this.participations = participations;
    try {
      Instant start = Instant.now();
      memberships = keep(NetworkTables.memberships(projects, projectRegions, participations));
      edges = keep(NetworkTables.edges(memberships));
      Dataset<Row> nodes = keep(NetworkTables.nodes(memberships));
      requireDistinctVertexIds(nodes);
      long edgeCount = edges.count();
      progress.stage("network nodes and edges", edgeCount + " edges", start);
      start = Instant.now();
      Dataset<Row> measures = keep(GraphMeasures.compute(nodes, edges));
      Row longest = measures.agg(org.apache.spark.sql.functions.max("label_rounds")).first(); // computes and keeps them
      int rounds = longest.isNullAt(0) ? 0 : longest.getInt(0);
      progress.stage("network components, PageRank, triangles, communities", "one task per network; label propagation: "
          + rounds + " round(s) in the slowest network" + (rounds == GraphMeasures.LABEL_PROPAGATION_STEPS
              ? " (the most allowed: some labels still changed)" : ""), start);
      start = Instant.now();
      Dataset<Row> raw = Betweenness.raw(edges.filter(col("level").equalTo(NetworkTables.ORGANISATION)),
          betweennessExactMaxNodes, betweennessSampleSources, seed);
      Dataset<Row> measured = NetworkTables.measuredNodes(NetworkTables.degrees(nodes, edges), measures.drop("label_rounds"));
      measuredNodes = keep(Betweenness.normalise(measured.join(raw,
          Columns.names(NetworkTables.with(NetworkTables.NETWORK, "node")), "left")));
      progress.stage("network betweenness and node measures", measuredNodes.count() + " nodes", start);
    } catch (Throwable e) { // also SparkException, which Scala throws undeclared, and errors such as StackOverflowError
      persisted.close(); // the caller gets no instance to close
      throw e;
    }
  }

  private Dataset<Row> keep(Dataset<Row> rows) {
    return persisted.keep(rows, StorageLevel.MEMORY_AND_DISK());
  }

  /** A 64-bit hash collision would merge two nodes silently: refuse instead (odds about n^2 / 2^65). */
  private static void requireDistinctVertexIds(Dataset<Row> nodes) {
    List<Row> clash = nodes.groupBy("vid").count().filter(col("count").gt(1)).limit(1).collectAsList();
    if (!clash.isEmpty()) {
      throw new IllegalStateException("two network nodes share the vertex id " + clash.get(0).get(0)
          + " (a hash collision): report it with the input files");
    }
  }

  public Dataset<Row> summary() {
    return NetworkTables.summary(measuredNodes, edges, memberships);
  }

  public Dataset<Row> organisations() {
    return NetworkTables.organisations(measuredNodes, participations);
  }

  public Dataset<Row> communities() {
    return NetworkTables.communities(measuredNodes, memberships, projects);
  }

  @Override
  public void close() {
    persisted.close();
  }
}
