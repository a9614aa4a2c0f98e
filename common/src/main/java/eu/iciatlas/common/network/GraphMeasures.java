package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;

import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
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
 * A network must fit in one task's memory, as for the betweenness: plain int and double arrays, about
 * 60 bytes per edge and 80 per node at the peak (an edge is 12 bytes as read, 32 in the adjacency).
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
            (CoGroupFunction<String, Row, Row, Row>) (key, nodeRows, edgeRows) -> measure(nodeRows, edgeRows, pageRankIterations),
            Encoders.row(SCHEMA));
  }

  private static Column networkKey() {
    return concat_ws("\u0001", NetworkTables.NETWORK.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  private static Iterator<Row> measure(Iterator<Row> nodeRows, Iterator<Row> edgeRows, int pageRankIterations) {
    LongStream.Builder ids = LongStream.builder();
    nodeRows.forEachRemaining(r -> ids.add(r.getLong(1)));
    long[] vids = ids.build().sorted().toArray();
    IntStream.Builder ends = IntStream.builder(); // a, b, weight of each edge, as node indices
    edgeRows.forEachRemaining(r -> {
      ends.add(index(vids, r.getLong(1)));
      ends.add(index(vids, r.getLong(2)));
      ends.add(Math.toIntExact(r.getLong(3))); // shared projects
    });
    Graph graph = Graph.of(vids.length, ends.build().toArray());
    long[] components = components(graph, vids);
    double[] ranks = pageRank(graph, pageRankIterations);
    int[] triangles = triangles(graph);
    int[] rounds = new int[1];
    int[] communities = labelPropagation(graph, rounds);
    return new Iterator<>() {
      private int v;

      @Override
      public boolean hasNext() {
        return v < vids.length;
      }

      @Override
      public Row next() {
        Row row = RowFactory.create(vids[v], components[v], ranks[v], vids[communities[v]], triangles[v], rounds[0]);
        v++;
        return row;
      }
    };
  }

  private static int index(long[] sortedVids, long vid) {
    int i = Arrays.binarySearch(sortedVids, vid);
    if (i < 0) {
      throw new IllegalStateException("an edge names vertex " + vid + ", which is not a node of its network");
    }
    return i;
  }

  /**
   * Undirected adjacency in compressed rows: the neighbours of node v are {@code neighbours[start[v]
   * .. start[v + 1])}, in ascending index (= vertex id) order, with the edges' weights beside them.
   */
  record Graph(int[] start, int[] neighbours, int[] weights) {
    /** From (a, b, weight) triples of node indices, one per pair of nodes. */
    static Graph of(int n, int[] ends) {
      int m = ends.length / 3;
      int[] start = new int[n + 1];
      for (int e = 0; e < m; e++) {
        start[ends[3 * e] + 1]++;
        start[ends[3 * e + 1] + 1]++;
      }
      for (int v = 0; v < n; v++) {
        start[v + 1] += start[v];
      }
      // neighbour index in the high bits, weight in the low: one sort per node orders both
      long[] packed = new long[2 * m];
      int[] filled = Arrays.copyOf(start, n);
      for (int e = 0; e < m; e++) {
        int a = ends[3 * e];
        int b = ends[3 * e + 1];
        long weight = ends[3 * e + 2] & 0xffffffffL;
        packed[filled[a]++] = ((long) b << 32) | weight;
        packed[filled[b]++] = ((long) a << 32) | weight;
      }
      int[] neighbours = new int[2 * m];
      int[] weights = new int[2 * m];
      for (int v = 0; v < n; v++) {
        Arrays.sort(packed, start[v], start[v + 1]);
        for (int i = start[v]; i < start[v + 1]; i++) {
          neighbours[i] = (int) (packed[i] >>> 32);
          weights[i] = (int) packed[i];
          if (i > start[v] && neighbours[i] == neighbours[i - 1]) {
            // one edge per pair is what NetworkTables.edges makes; a second would count its triangles twice
            throw new IllegalStateException("two edges join the same pair of nodes of a network");
          }
        }
      }
      return new Graph(start, neighbours, weights);
    }

    /** From index pairs, weight 1 (tests). */
    static Graph of(int n, int[][] pairs) {
      return of(n, Arrays.stream(pairs).flatMapToInt(pair -> IntStream.of(pair[0], pair[1], 1)).toArray());
    }

    int size() {
      return start.length - 1;
    }

    int degree(int v) {
      return start[v + 1] - start[v];
    }
  }

  /** Per node, the smallest vertex id of its component. */
  static long[] components(Graph graph, long[] vids) {
    int n = graph.size();
    long[] component = new long[n];
    boolean[] seen = new boolean[n];
    int[] queue = new int[n];
    for (int first = 0; first < n; first++) {
      if (seen[first]) {
        continue;
      }
      // nodes are in ascending vid order, so the first unseen node is its component's smallest id
      int size = 0;
      queue[size++] = first;
      seen[first] = true;
      for (int head = 0; head < size; head++) {
        int v = queue[head];
        component[v] = vids[first];
        for (int i = graph.start()[v]; i < graph.start()[v + 1]; i++) {
          int w = graph.neighbours()[i];
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
      inverseDegree[v] = graph.degree(v) == 0 ? 0 : 1.0 / graph.degree(v);
    }
    for (int iteration = 0; iteration < iterations; iteration++) {
      for (int v = 0; v < n; v++) {
        share[v] = rank[v] * inverseDegree[v];
      }
      for (int v = 0; v < n; v++) {
        double sum = 0;
        for (int i = graph.start()[v]; i < graph.start()[v + 1]; i++) {
          sum += share[graph.neighbours()[i]];
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
    // each edge towards the node of higher (degree, index): every triangle is then found once, from its lowest corner,
    // and no node has more than about sqrt(2 x edges) such neighbours
    int[] forwardStart = new int[n + 1];
    IntStream.Builder forwardIds = IntStream.builder();
    for (int v = 0; v < n; v++) {
      int count = 0;
      for (int i = graph.start()[v]; i < graph.start()[v + 1]; i++) {
        int w = graph.neighbours()[i];
        if (graph.degree(w) > graph.degree(v) || (graph.degree(w) == graph.degree(v) && w > v)) {
          forwardIds.add(w);
          count++;
        }
      }
      forwardStart[v + 1] = forwardStart[v] + count;
    }
    int[] forward = forwardIds.build().toArray();
    int[] triangles = new int[n];
    int[] markedBy = new int[n];
    Arrays.fill(markedBy, -1);
    for (int u = 0; u < n; u++) {
      for (int i = forwardStart[u]; i < forwardStart[u + 1]; i++) {
        markedBy[forward[i]] = u;
      }
      for (int i = forwardStart[u]; i < forwardStart[u + 1]; i++) {
        int v = forward[i];
        for (int j = forwardStart[v]; j < forwardStart[v + 1]; j++) {
          int w = forward[j];
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

  /**
   * Per node, the index of the node whose vertex id labels its community, after synchronous label
   * propagation (see the class comment). Labels are node indices: nodes are in ascending vid order,
   * so the smallest index is the smallest label. The votes of a node are counted in one array,
   * reset only where it was written, so a node costs its degree.
   */
  static int[] labelPropagation(Graph graph, int[] rounds) {
    int n = graph.size();
    int[] label = new int[n];
    Arrays.setAll(label, v -> v);
    int[] next = new int[n];
    long[] votes = new long[n];
    int[] candidates = new int[n];
    rounds[0] = 0;
    for (int step = 0; step < LABEL_PROPAGATION_STEPS; step++) {
      int changed = 0;
      for (int v = 0; v < n; v++) {
        int count = 0;
        candidates[count++] = label[v];
        votes[label[v]] = 1;
        for (int i = graph.start()[v]; i < graph.start()[v + 1]; i++) {
          int l = label[graph.neighbours()[i]];
          if (votes[l] == 0) {
            candidates[count++] = l;
          }
          votes[l] += graph.weights()[i];
        }
        int best = label[v];
        long bestVotes = -1;
        for (int c = 0; c < count; c++) {
          int l = candidates[c];
          if (votes[l] > bestVotes || (votes[l] == bestVotes && l < best)) {
            best = l;
            bestVotes = votes[l];
          }
          votes[l] = 0;
        }
        next[v] = best;
        if (best != label[v]) {
          changed++;
        }
      }
      int[] swap = label;
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
