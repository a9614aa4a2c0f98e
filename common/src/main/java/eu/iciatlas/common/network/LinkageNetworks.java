package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.col;

import eu.iciatlas.common.Columns;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The linkage networks of docs/METHOD.md's organisations, from classified projects, their regions
 * and participations: {@link NetworkTables} builds nodes and edges, {@link GraphMeasures}
 * and {@link Betweenness} measure them, NetworkTables shapes the three gold tables. Building them
 * runs no Spark job: the caller keeps (persists) the intermediate tables, each read by several
 * others, through the {@code keep} it passes, and runs the checks and the progress counts.
 *
 * @param memberships organisation and region memberships of the classified projects' partners
 * @param edges the networks' edges
 * @param nodes the networks' nodes with their vertex ids ({@link #vertexIdClashes})
 * @param measures components, PageRank, triangles and communities per node, with {@code label_rounds}
 * @param measuredNodes every node with its degree, measures and betweenness
 */
public record LinkageNetworks(Dataset<Row> memberships, Dataset<Row> edges, Dataset<Row> nodes, Dataset<Row> measures,
    Dataset<Row> measuredNodes, Dataset<Row> participations, Dataset<Row> projects) {

  /** How betweenness is measured: exactly up to {@code exactMaxNodes} nodes, else from sampled sources. */
  public record BetweennessSampling(int exactMaxNodes, int sampleSources, long seed) {}

  /**
   * The networks as lazy Datasets; {@code keep} is applied to each intermediate table as it is made (before what reads
   * it is planned), e.g. {@code rows -> persisted.keep(rows, MEMORY_AND_DISK)}.
   */
  public static LinkageNetworks build(Dataset<Row> projects, Dataset<Row> projectRegions, Dataset<Row> participations,
      BetweennessSampling betweenness, UnaryOperator<Dataset<Row>> keep) {
    Dataset<Row> memberships = keep.apply(NetworkTables.memberships(projects, projectRegions, participations));
    Dataset<Row> edges = keep.apply(NetworkTables.edges(memberships));
    Dataset<Row> nodes = keep.apply(NetworkTables.nodes(memberships));
    Dataset<Row> measures = keep.apply(GraphMeasures.compute(nodes, edges));
    Dataset<Row> raw = Betweenness.raw(edges.filter(col("level").equalTo(NetworkTables.ORGANISATION)),
        betweenness.exactMaxNodes(), betweenness.sampleSources(), betweenness.seed());
    Dataset<Row> measured = NetworkTables.measuredNodes(NetworkTables.degrees(nodes, edges), measures.drop("label_rounds"));
    Dataset<Row> measuredNodes = keep.apply(Betweenness.normalise(measured.join(raw,
        Columns.names(NetworkTables.with(NetworkTables.NETWORK, "node")), "left")));
    return new LinkageNetworks(memberships, edges, nodes, measures, measuredNodes, participations, projects);
  }

  /**
   * Nodes that share a 64-bit vertex id with another (a hash collision, odds about n^2 / 2^65), which would merge two
   * nodes silently: a run refuses to go on when there is one.
   */
  public Dataset<Row> vertexIdClashes() {
    return nodes.groupBy("vid").count().filter(col("count").gt(1));
  }

  /** The most label-propagation rounds any network took ({@link GraphMeasures#LABEL_PROPAGATION_STEPS}: the most allowed). */
  public Dataset<Row> longestLabelPropagation() {
    return measures.agg(org.apache.spark.sql.functions.max("label_rounds").as("label_rounds"));
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
}
