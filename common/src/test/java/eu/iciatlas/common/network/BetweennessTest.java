package eu.iciatlas.common.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Brandes' accumulation on a network of three components, against figures counted by hand. */
class BetweennessTest {
  @Test
  void eachComponentGetsItsOwnPairFractionsAndNothingLeaksBetweenSearches() {
    // path 0-1-2; star with centre 3 and leaves 4, 5, 6; diamond 7-8, 7-9, 8-10, 9-10
    int[][] edges = {{0, 1}, {1, 2}, {3, 4}, {3, 5}, {3, 6}, {7, 8}, {7, 9}, {8, 10}, {9, 10}};
    int n = 11;
    int[] degree = new int[n];
    for (int[] e : edges) {
      degree[e[0]]++;
      degree[e[1]]++;
    }
    int[][] adjacency = new int[n][];
    int[] filled = new int[n];
    for (int v = 0; v < n; v++) {
      adjacency[v] = new int[degree[v]];
    }
    for (int[] e : edges) {
      adjacency[e[0]][filled[e[0]]++] = e[1];
      adjacency[e[1]][filled[e[1]]++] = e[0];
    }
    int[] all = new int[n];
    java.util.Arrays.setAll(all, i -> i);
    // every pair is counted from both ends: 1 lies on the one path of (0, 2); 3 on those of the three leaf pairs;
    // each diamond corner on one of the two shortest paths between the opposite corners
    double[] expected = {0, 2, 0, 6, 0, 0, 0, 1, 1, 1, 1};
    assertArrayEquals(expected, Betweenness.accumulate(adjacency, all), 1e-12);
    // from some sources only (the sampled estimate): the star's centre from leaf 4 lies between it and 5, 6
    assertArrayEquals(new double[] {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0}, Betweenness.accumulate(adjacency, new int[] {0, 4}), 1e-12);
  }

  /**
   * The shuffle hands a network's edges over in a different order on each run: the figures must not depend on it, to
   * the last bit (a random network of many equal-length paths, whose sums the order would otherwise move).
   */
  @Test
  void theSameEdgesInAnyOrderGiveTheSameFiguresToTheLastBit() {
    java.util.Random random = new java.util.Random(7);
    java.util.List<String[]> edges = new java.util.ArrayList<>();
    for (int i = 0; i < 900; i++) {
      int a = random.nextInt(300);
      int b = random.nextInt(300);
      if (a != b) {
        edges.add(new String[] {"org " + a, "org " + b});
      }
    }
    java.util.List<String[]> shuffled = new java.util.ArrayList<>();
    for (String[] e : edges) {
      shuffled.add(new String[] {e[1], e[0]}); // each edge from its other end
    }
    java.util.Collections.shuffle(shuffled, new java.util.Random(11));
    for (int[] limits : new int[][] {{10_000, 1_000}, {50, 20}}) { // exact, then the sampled estimate
      java.util.Map<String, Double> a = byName(figures(edges, limits[0], limits[1]));
      java.util.Map<String, Double> b = byName(figures(shuffled, limits[0], limits[1]));
      // equals of Double compares the bits
      org.junit.jupiter.api.Assertions.assertEquals(a, b, "sources " + limits[1] + " above " + limits[0] + " nodes");
    }
  }

  /** The figures of edges given as pairs of names, nodes numbered in the order they come (as a Spark task reads them). */
  private static Betweenness.NodeFigures figures(java.util.List<String[]> edges, int exactMaxNodes, int sampleSources) {
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    java.util.List<String> names = new java.util.ArrayList<>();
    java.util.List<int[]> pairs = new java.util.ArrayList<>();
    for (String[] e : edges) {
      int[] pair = new int[2];
      for (int end = 0; end < 2; end++) {
        pair[end] = index.computeIfAbsent(e[end], k -> {
          names.add(k);
          return names.size() - 1;
        });
      }
      pairs.add(pair);
    }
    return Betweenness.figures(names, pairs, exactMaxNodes, sampleSources, 20150101L);
  }

  private static java.util.Map<String, Double> byName(Betweenness.NodeFigures figures) {
    java.util.Map<String, Double> out = new java.util.TreeMap<>();
    for (int v = 0; v < figures.names().size(); v++) {
      out.put(figures.names().get(v) + " (" + figures.sources() + " sources)", figures.pairShareRaw()[v]);
    }
    return out;
  }
}
