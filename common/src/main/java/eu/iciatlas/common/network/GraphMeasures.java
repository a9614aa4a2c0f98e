package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.CoGroupFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The per-vertex measures of every network: component, PageRank, triangles and label-propagation
 * community, one network per Spark task (the nodes and edges are grouped by network on the
 * executors, never on the driver, as {@link Betweenness} does).
 *
 * <p>Hand-written rather than GraphX, measured: GraphX runs one chain of Spark jobs per algorithm
 * over the union of all networks (71 PageRank iterations, about 10 components and triangle steps)
 * and the label propagation took 10 rounds of Spark SQL joins beside it; on the sample that was
 * 31.5 s of the run's 200 s, at SF 1 65 s, almost all of it the latency of the small jobs, not the
 * work. Here each network is measured in one pass of plain arrays in its task. The algorithms are
 * GraphX's own, to the figure, and a graph library per task (JGraphT) would not give them:
 * its PageRank spreads the rank of nodes without edges over the network and stops at a tolerance,
 * its label propagation is asynchronous in random order, and it counts no triangles per vertex.
 * A network must fit in one task's memory, which the exact betweenness already requires.
 *
 * <ul>
 *   <li>Components: every node gets the smallest vertex id of its component (GraphX's
 *       ConnectedComponents).</li>
 *   <li>PageRank: GraphX's static PageRank (damping 0.85, {@link #PAGERANK_ITERATIONS} iterations,
 *       so the error is below 0.85^71 &lt; 1e-5 of the start's) on the unweighted undirected graph:
 *       every rank starts at 1, then rank = 0.15 + 0.85 x the sum over neighbours of their rank x
 *       (1 / their degree). GraphX then scaled all ranks by one factor (so that they average 1 over
 *       the union of networks); {@link NetworkTables#measuredNodes} divides each rank by its
 *       network's sum, which cancels any such factor, so the raw ranks here are not rescaled. The
 *       sums run in vertex id order, so a figure is the same on every run and cluster; against
 *       GraphX's, which summed in the order of its edge partitions, they differ in the last digits
 *       (relative 1e-15).</li>
 *   <li>Triangles: per node, the triangles it is a corner of (GraphX's TriangleCount), counted by
 *       orienting each edge towards the node of higher degree (each triangle found once).</li>
 *   <li>Communities: label propagation. Not GraphX's {@code LabelPropagation}: it ignores a node's
 *       own label, so two nodes tied only to each other (the partners of a two-partner project) swap
 *       labels at every step and never form one community (tried on a pair: after 5 steps 1 has
 *       label 2 and 2 label 1, after 10 each its own), and it breaks ties by the order its messages
 *       are merged. Here every node takes the label with the most votes among itself (1 vote) and
 *       its neighbours (as many votes as projects shared), ties to the smallest label; synchronous
 *       rounds until no label changes or {@link #LABEL_PROPAGATION_STEPS}. A community is a
 *       heuristic grouping (as every label propagation), not a modularity optimum.</li>
 * </ul>
 */
public final class GraphMeasures {
  private GraphMeasures() {}

  public static final double PAGERANK_RESET = 0.15;
  public static final int PAGERANK_ITERATIONS = 71;
  public static final int LABEL_PROPAGATION_STEPS = 10;

  /** What {@link #compute} gives per node; label_rounds: the rounds its network's propagation took. */
  public static final StructType SCHEMA = new StructType()
      .add("vid", DataTypes.LongType, false).add("component_vid", DataTypes.LongType, false)
      .add("pagerank_raw", DataTypes.DoubleType, false).add("community_vid", DataTypes.LongType, false)
      .add("triangles", DataTypes.IntegerType, false).add("label_rounds", DataTypes.IntegerType, false);

  /**
   * vid, component_vid, pagerank_raw, community_vid, triangles and label_rounds for every node of
   * {@code nodes} (the network columns and vid), from {@code edges} (the network columns, src, dst
   * and weight: one row per pair of nodes, src and dst their vertex ids).
   */
  public static Dataset<Row> compute(Dataset<Row> nodes, Dataset<Row> edges) {
    return compute(nodes, edges, PAGERANK_ITERATIONS);
  }

  /** As {@link #compute(Dataset, Dataset)} with another number of PageRank iterations (tests compare fewer). */
  static Dataset<Row> compute(Dataset<Row> nodes, Dataset<Row> edges, int pageRankIterations) {
    MapFunction<Row, String> network = r -> r.getString(0);
    return nodes.select(networkKey(), col("vid"))
        .groupByKey(network, Encoders.STRING())
        .cogroup(edges.select(networkKey(), col("src"), col("dst"), col("weight")).groupByKey(network, Encoders.STRING()),
            (CoGroupFunction<String, Row, Row, Row>) (key, nodeRows, edgeRows) -> measure(nodeRows, edgeRows, pageRankIterations).iterator(),
            Encoders.row(SCHEMA));
  }

  private static Column networkKey() {
    return concat_ws("\u0001", NetworkTables.NETWORK.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  private static List<Row> measure(Iterator<Row> nodeRows, Iterator<Row> edgeRows, int pageRankIterations) {
    List<Long> ids = new ArrayList<>();
    nodeRows.forEachRemaining(r -> ids.add(r.getLong(1)));
    long[] vids = ids.stream().mapToLong(Long::longValue).sorted().toArray();
    List<long[]> edgeList = new ArrayList<>();
    edgeRows.forEachRemaining(r -> edgeList.add(new long[] {index(vids, r.getLong(1)), index(vids, r.getLong(2)), r.getLong(3)}));
    Graph graph = Graph.of(vids.length, edgeList);
    long[] components = components(graph, vids);
    double[] ranks = pageRank(graph, pageRankIterations);
    int[] triangles = triangles(graph);
    int[] rounds = new int[1];
    long[] communities = labelPropagation(graph, vids, rounds);
    List<Row> out = new ArrayList<>(vids.length);
    for (int v = 0; v < vids.length; v++) {
      out.add(RowFactory.create(vids[v], components[v], ranks[v], communities[v], triangles[v], rounds[0]));
    }
    return out;
  }

  private static int index(long[] sortedVids, long vid) {
    int i = Arrays.binarySearch(sortedVids, vid);
    if (i < 0) {
      throw new IllegalStateException("an edge names vertex " + vid + ", which is not a node of its network");
    }
    return i;
  }

  /** Undirected adjacency with edge weights; neighbours in ascending index (= vertex id) order. */
  record Graph(int[][] neighbours, long[][] weights) {
    static Graph of(int n, List<long[]> edges) {
      int[] degree = new int[n];
      for (long[] e : edges) {
        degree[(int) e[0]]++;
        degree[(int) e[1]]++;
      }
      long[][] packed = new long[n][];
      for (int v = 0; v < n; v++) {
        packed[v] = new long[degree[v]];
      }
      int[] filled = new int[n];
      for (long[] e : edges) {
        int a = (int) e[0];
        int b = (int) e[1];
        // neighbour index in the high bits, weight (shared projects, far below 2^31) in the low: one sort orders both
        packed[a][filled[a]++] = ((long) b << 32) | e[2];
        packed[b][filled[b]++] = ((long) a << 32) | e[2];
      }
      int[][] neighbours = new int[n][];
      long[][] weights = new long[n][];
      for (int v = 0; v < n; v++) {
        Arrays.sort(packed[v]);
        neighbours[v] = new int[degree[v]];
        weights[v] = new long[degree[v]];
        for (int i = 0; i < degree[v]; i++) {
          neighbours[v][i] = (int) (packed[v][i] >>> 32);
          weights[v][i] = packed[v][i] & 0xffffffffL;
        }
      }
      return new Graph(neighbours, weights);
    }

    int size() {
      return neighbours.length;
    }
  }

  /** Per node, the smallest vertex id of its component (nodes in vid order: the first node a search from it reaches). */
  static long[] components(Graph graph, long[] vids) {
    int n = graph.size();
    long[] component = new long[n];
    boolean[] seen = new boolean[n];
    int[] queue = new int[n];
    for (int start = 0; start < n; start++) {
      if (seen[start]) {
        continue;
      }
      // nodes are in ascending vid order, so the first unseen node is its component's smallest id
      int size = 0;
      queue[size++] = start;
      seen[start] = true;
      for (int head = 0; head < size; head++) {
        int v = queue[head];
        component[v] = vids[start];
        for (int w : graph.neighbours()[v]) {
          if (!seen[w]) {
            seen[w] = true;
            queue[size++] = w;
          }
        }
      }
    }
    return component;
  }

  /** GraphX's static PageRank, not rescaled (see the class comment). */
  static double[] pageRank(Graph graph, int iterations) {
    int n = graph.size();
    double[] rank = new double[n];
    Arrays.fill(rank, 1.0);
    double[] share = new double[n];
    double[] next = new double[n];
    // GraphX's edge weight: 1.0 / the sender's out-degree, multiplied by its rank (not the rank divided by it)
    double[] inverseDegree = new double[n];
    for (int v = 0; v < n; v++) {
      inverseDegree[v] = graph.neighbours()[v].length == 0 ? 0 : 1.0 / graph.neighbours()[v].length;
    }
    for (int iteration = 0; iteration < iterations; iteration++) {
      for (int v = 0; v < n; v++) {
        share[v] = rank[v] * inverseDegree[v];
      }
      for (int v = 0; v < n; v++) {
        double sum = 0;
        for (int w : graph.neighbours()[v]) {
          sum += share[w];
        }
        next[v] = PAGERANK_RESET + (1.0 - PAGERANK_RESET) * sum;
      }
      double[] swap = rank;
      rank = next;
      next = swap;
    }
    return rank;
  }

  /** Per node, the triangles it is a corner of. */
  static int[] triangles(Graph graph) {
    int n = graph.size();
    int[][] adjacency = graph.neighbours();
    // each edge towards the node of higher (degree, index): every triangle is then found once, from its lowest corner,
    // and no node has more than about sqrt(2 x edges) such neighbours
    int[][] forward = new int[n][];
    for (int v = 0; v < n; v++) {
      final int from = v;
      forward[v] = Arrays.stream(adjacency[v]).filter(w -> higher(adjacency, w, from)).toArray();
    }
    int[] triangles = new int[n];
    int[] markedBy = new int[n];
    Arrays.fill(markedBy, -1);
    for (int u = 0; u < n; u++) {
      for (int v : forward[u]) {
        markedBy[v] = u;
      }
      for (int v : forward[u]) {
        for (int w : forward[v]) {
          if (markedBy[w] == u) {
            triangles[u]++;
            triangles[v]++;
            triangles[w]++;
          }
        }
      }
    }
    return triangles;
  }

  private static boolean higher(int[][] adjacency, int w, int v) {
    int dw = adjacency[w].length;
    int dv = adjacency[v].length;
    return dw > dv || (dw == dv && w > v);
  }

  /** Per node, its community's label (a vertex id) after synchronous label propagation (see the class comment). */
  static long[] labelPropagation(Graph graph, long[] vids, int[] rounds) {
    int n = graph.size();
    long[] label = vids.clone();
    long[] next = new long[n];
    java.util.HashMap<Long, Long> votes = new java.util.HashMap<>();
    rounds[0] = 0;
    for (int step = 0; step < LABEL_PROPAGATION_STEPS; step++) {
      int changed = 0;
      for (int v = 0; v < n; v++) {
        votes.clear();
        votes.put(label[v], 1L);
        int[] neighbours = graph.neighbours()[v];
        for (int i = 0; i < neighbours.length; i++) {
          votes.merge(label[neighbours[i]], graph.weights()[v][i], Long::sum);
        }
        long best = label[v];
        long bestVotes = -1;
        for (var e : votes.entrySet()) {
          long l = e.getKey();
          long c = e.getValue();
          if (c > bestVotes || (c == bestVotes && l < best)) {
            best = l;
            bestVotes = c;
          }
        }
        next[v] = best;
        if (best != label[v]) {
          changed++;
        }
      }
      long[] swap = label;
      label = next;
      next = swap;
      rounds[0] = step + 1;
      if (changed == 0) {
        break;
      }
    }
    return label;
  }
}
