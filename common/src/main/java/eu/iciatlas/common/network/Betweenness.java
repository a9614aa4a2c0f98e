package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Betweenness centrality of every node of every network (Brandes 2001, unweighted shortest paths),
 * one network per Spark task: the edges are grouped by network on the executors, never on the
 * driver.
 *
 * <p>Hand-written because neither GraphX nor Spark SQL has betweenness, and the graph libraries
 * with one (JGraphT) compute it exactly only, while a large network needs the source-sampled
 * estimate (Brandes and Pich 2007, as networkx's {@code betweenness_centrality(k=...)}): with more
 * than {@code exactMaxNodes} connected nodes, the shortest paths from {@code sampleSources} sources
 * are counted (the sources are the nodes with the smallest hash of their name and the seed, so
 * reruns give the same figures) and scaled by nodes / sources. {@code betweenness_sources} says
 * how many sources a figure rests on (all connected nodes when exact).
 *
 * <p>Output per node: betweenness normalised as networkx does for undirected graphs, the share of
 * the pairs of other nodes of the network ((n - 1)(n - 2) / 2, n counting isolated nodes too)
 * whose shortest paths pass through it, weighted by the fraction of those paths.
 */
public final class Betweenness {
  private Betweenness() {}

  public static final StructType SCHEMA = new StructType()
      .add("period", DataTypes.StringType).add("region_id", DataTypes.StringType).add("scope", DataTypes.StringType)
      .add("level", DataTypes.StringType).add("node", DataTypes.StringType)
      .add("_pair_share_raw", DataTypes.DoubleType).add("betweenness_sources", DataTypes.LongType);

  /**
   * Per node with at least one edge: the estimated number of pairs' shortest-path fractions through
   * it ({@code _pair_share_raw}, not yet divided by the pairs) and the sources used. Join on the
   * network and node, then call {@link #normalise}.
   */
  public static Dataset<Row> raw(Dataset<Row> edges, int exactMaxNodes, int sampleSources, long seed) {
    return edges.select(col("period"), col("region_id"), col("scope"), col("level"), col("node_a"), col("node_b"),
            concat_ws("\u0001", col("period"), col("region_id"), col("scope"), col("level")).as("_network"))
        .groupByKey((MapFunction<Row, String>) r -> r.getString(6), Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (network, rows) ->
            brandes(network, rows, exactMaxNodes, sampleSources, seed), Encoders.row(SCHEMA));
  }

  /** Adds {@code betweenness} (0 for nodes without edges) from the raw figure and the network's node count. */
  public static Dataset<Row> normalise(Dataset<Row> nodesWithRaw) {
    Column n = count(lit(1)).over(NetworkTables.perNetwork());
    Column pairs = n.minus(1).multiply(n.minus(2)).divide(2);
    return nodesWithRaw.withColumn("betweenness",
            when(pairs.gt(0), coalesce(col("_pair_share_raw"), lit(0.0)).divide(pairs)).otherwise(0.0))
        .drop("_pair_share_raw");
  }

  private static Iterator<Row> brandes(String network, Iterator<Row> rows, int exactMaxNodes, int sampleSources, long seed) {
    Map<String, Integer> index = new HashMap<>();
    List<String> names = new ArrayList<>();
    List<int[]> edgeList = new ArrayList<>();
    String[] key = null;
    while (rows.hasNext()) {
      Row r = rows.next();
      if (key == null) {
        key = new String[] {r.getString(0), r.getString(1), r.getString(2), r.getString(3)};
      }
      edgeList.add(new int[] {indexOf(r.getString(4), index, names), indexOf(r.getString(5), index, names)});
    }
    NodeFigures figures = figures(names, edgeList, exactMaxNodes, sampleSources, seed);
    List<Row> out = new ArrayList<>(figures.names().size());
    for (int v = 0; v < figures.names().size(); v++) {
      out.add(RowFactory.create(key[0], key[1], key[2], key[3], figures.names().get(v), figures.pairShareRaw()[v],
          (long) figures.sources()));
    }
    return out.iterator();
  }

  private static int indexOf(String name, Map<String, Integer> index, List<String> names) {
    return index.computeIfAbsent(name, k -> {
      names.add(k);
      return names.size() - 1;
    });
  }

  /** One network's nodes in name order, with their raw figures and the number of sources they rest on. */
  record NodeFigures(List<String> names, double[] pairShareRaw, int sources) {}

  /**
   * The raw figures of one network from its nodes (numbered in the order they came) and its edges (pairs of those
   * numbers). The shuffle delivers a network's edges in a different order on each run, and the order of the searches
   * and of the sums over neighbours decides the last digits of a figure, so the nodes are numbered again in name order
   * and each node's neighbours visited in that order: the same edges give the same figures to the last bit. The edges
   * are renumbered in place (no second copy of a large network).
   */
  static NodeFigures figures(List<String> namesAsCame, List<int[]> edges, int exactMaxNodes, int sampleSources, long seed) {
    int n = namesAsCame.size();
    Integer[] byName = new Integer[n];
    Arrays.setAll(byName, i -> i);
    Arrays.sort(byName, (a, b) -> namesAsCame.get(a).compareTo(namesAsCame.get(b)));
    int[] renumbered = new int[n];
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      renumbered[byName[i]] = i;
      names.add(namesAsCame.get(byName[i]));
    }
    for (int[] e : edges) {
      e[0] = renumbered[e[0]];
      e[1] = renumbered[e[1]];
    }
    int[][] adjacency = adjacency(n, edges);
    int[] sources = sources(names, exactMaxNodes, sampleSources, seed);
    double[] centrality = accumulate(adjacency, sources);
    // each pair was counted from both of its ends (when both are sources); scale the sample up to all nodes
    double scale = (double) n / sources.length / 2.0;
    for (int v = 0; v < n; v++) {
      centrality[v] *= scale;
    }
    return new NodeFigures(names, centrality, sources.length);
  }

  private static int[][] adjacency(int n, List<int[]> edges) {
    int[] degree = new int[n];
    for (int[] e : edges) {
      degree[e[0]]++;
      degree[e[1]]++;
    }
    int[][] adjacency = new int[n][];
    for (int v = 0; v < n; v++) {
      adjacency[v] = new int[degree[v]];
    }
    int[] filled = new int[n];
    for (int[] e : edges) {
      adjacency[e[0]][filled[e[0]]++] = e[1];
      adjacency[e[1]][filled[e[1]]++] = e[0];
    }
    for (int[] neighbours : adjacency) {
      Arrays.sort(neighbours); // visited in index order, whatever order the edges came in
    }
    return adjacency;
  }

  /** All nodes when the network is small enough, else the sampleSources nodes of smallest seeded hash. */
  static int[] sources(List<String> names, int exactMaxNodes, int sampleSources, long seed) {
    int n = names.size();
    if (n <= exactMaxNodes || sampleSources >= n) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    long[] hashes = new long[n];
    for (int i = 0; i < n; i++) {
      hashes[i] = mix(names.get(i).hashCode() ^ seed);
    }
    Arrays.sort(order, (a, b) -> hashes[a] != hashes[b] ? Long.compare(hashes[a], hashes[b]) : names.get(a).compareTo(names.get(b)));
    int[] chosen = new int[sampleSources];
    for (int i = 0; i < sampleSources; i++) {
      chosen[i] = order[i];
    }
    return chosen;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Brandes' accumulation of pair dependencies over breadth-first searches from the sources. The
   * visit order array is both the BFS queue and Brandes' stack, and only the visited nodes are reset
   * after each search, so a search costs its component's size, not the network's (most networks are
   * many small components: a two-partner project is one). Sums are taken in the same order as a
   * full reset would, so the figures are the same to the last bit.
   */
  static double[] accumulate(int[][] adjacency, int[] sources) {
    int n = adjacency.length;
    double[] centrality = new double[n];
    int[] distance = new int[n];
    Arrays.fill(distance, -1);
    double[] paths = new double[n]; // path counts grow exponentially: doubles, as networkx
    double[] dependency = new double[n];
    int[] order = new int[n];
    for (int s : sources) {
      int visited = 0;
      distance[s] = 0;
      paths[s] = 1;
      order[visited++] = s;
      for (int head = 0; head < visited; head++) {
        int v = order[head];
        for (int w : adjacency[v]) {
          if (distance[w] < 0) {
            distance[w] = distance[v] + 1;
            order[visited++] = w;
          }
          if (distance[w] == distance[v] + 1) {
            paths[w] += paths[v];
          }
        }
      }
      for (int i = visited - 1; i > 0; i--) {
        int w = order[i];
        for (int v : adjacency[w]) {
          if (distance[v] == distance[w] - 1) {
            dependency[v] += paths[v] / paths[w] * (1 + dependency[w]);
          }
        }
        centrality[w] += dependency[w];
      }
      for (int i = 0; i < visited; i++) {
        int v = order[i];
        distance[v] = -1;
        paths[v] = 0;
        dependency[v] = 0;
      }
    }
    return centrality;
  }
}
