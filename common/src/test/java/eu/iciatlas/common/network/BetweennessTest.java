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
}
