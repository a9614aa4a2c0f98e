package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.graphx.Edge;
import org.apache.spark.graphx.Graph;
import org.apache.spark.graphx.lib.ConnectedComponents;
import org.apache.spark.graphx.lib.PageRank;
import org.apache.spark.graphx.lib.TriangleCount;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The per-network measures against independent computations of the same figures on random
 * networks: GraphX's ConnectedComponents, PageRank and TriangleCount (what the pipeline used before,
 * over the union of the networks) and label propagation written as Spark SQL rounds.
 */
class GraphMeasuresTest {
  private static final SparkSession spark = SparkTestSession.get();
  /** Fewer than the pipeline's 71: each GraphX iteration is a few Spark jobs, and the update is the same at every one. */
  private static final int PAGERANK_ITERATIONS = 12;
  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);
  private static final StructType NODES = new StructType().add("period", DataTypes.StringType)
      .add("region_id", DataTypes.StringType).add("scope", DataTypes.StringType).add("level", DataTypes.StringType)
      .add("vid", DataTypes.LongType);
  private static final StructType EDGES = new StructType().add("period", DataTypes.StringType)
      .add("region_id", DataTypes.StringType).add("scope", DataTypes.StringType).add("level", DataTypes.StringType)
      .add("src", DataTypes.LongType).add("dst", DataTypes.LongType).add("weight", DataTypes.LongType);

  @Test
  void randomNetworksGetGraphXsFiguresAndTheSqlLabelPropagationsCommunities() {
    // three networks of different density (with isolated nodes, pairs, hubs and triangles), vertex ids across the long range
    Random random = new Random(20261206);
    List<Row> nodes = new ArrayList<>();
    List<Row> edges = new ArrayList<>();
    Map<Long, String> regionOf = new HashMap<>();
    int[][] shapes = {{60, 70}, {150, 600}, {25, 12}};
    for (int k = 0; k < shapes.length; k++) {
      String region = "R" + k;
      long[] vids = random.longs(shapes[k][0]).toArray();
      for (long v : vids) {
        regionOf.put(v, region);
        nodes.add(RowFactory.create("2014-2020", region, "all", "organisation", v));
      }
      java.util.Set<String> pairs = new java.util.HashSet<>();
      for (int e = 0; e < shapes[k][1]; e++) {
        // a few hubs: one end drawn from the first tenth of the nodes half the time
        int a = random.nextBoolean() ? random.nextInt(Math.max(1, vids.length / 10)) : random.nextInt(vids.length);
        int b = random.nextInt(vids.length);
        if (a != b && pairs.add(Math.min(a, b) + "-" + Math.max(a, b))) {
          edges.add(RowFactory.create("2014-2020", region, "all", "organisation", vids[a], vids[b], 1L + random.nextInt(3)));
        }
      }
    }
    Dataset<Row> nodeRows = spark.createDataFrame(nodes, NODES);
    Dataset<Row> edgeRows = spark.createDataFrame(edges, EDGES);
    Map<Long, Row> measured = new HashMap<>();
    for (Row r : GraphMeasures.compute(nodeRows, edgeRows, PAGERANK_ITERATIONS).collectAsList()) {
      measured.put(r.getLong(0), r);
    }
    assertEquals(nodes.size(), measured.size(), "one row per node, isolated ones too");

    Graph<Object, Object> graph = graphX(nodeRows, edgeRows);
    Map<Long, Object> components = vertices(ConnectedComponents.run(graph, ANY, ANY));
    Map<Long, Object> ranks = vertices(PageRank.run(graph, PAGERANK_ITERATIONS, GraphMeasures.PAGERANK_RESET, ANY, ANY));
    Map<Long, Object> triangles = vertices(TriangleCount.run(graph, ANY, ANY));
    Map<Long, Long> communities = new HashMap<>();
    int[] sqlRounds = new int[1];
    for (Row r : sqlLabelPropagation(nodeRows, edgeRows, sqlRounds).collectAsList()) {
      communities.put(r.getLong(0), r.getLong(1));
    }
    // GraphX rescaled every rank by one factor (the union of the networks then averages 1); the network shares cancel it
    double graphXSum = ranks.values().stream().mapToDouble(v -> (Double) v).sum();
    double oursSum = measured.values().stream().mapToDouble(r -> r.getDouble(2)).sum();
    int trianglesSeen = 0;
    int pairsInOneCommunity = 0;
    for (Row r : measured.values()) {
      long vid = r.getLong(0);
      assertEquals(components.get(vid), r.getLong(1), "component of " + vid);
      double expected = (Double) ranks.get(vid) / graphXSum;
      assertEquals(expected, r.getDouble(2) / oursSum, 1e-12 * expected, "pagerank of " + vid);
      assertEquals(triangles.get(vid), r.getInt(4), "triangles of " + vid);
      assertEquals(communities.get(vid), r.getLong(3), "community of " + vid);
      trianglesSeen += r.getInt(4);
      pairsInOneCommunity += r.getLong(3) != vid ? 1 : 0;
    }
    // a network's rounds are its own; the SQL rounds ran over all networks at once, until none changed: the largest
    Map<String, java.util.Set<Integer>> rounds = new HashMap<>();
    measured.values().forEach(r -> rounds.computeIfAbsent(regionOf.get(r.getLong(0)), k -> new java.util.HashSet<>()).add(r.getInt(5)));
    rounds.forEach((region, values) -> assertEquals(1, values.size(), region + ": one round count per network"));
    assertEquals(sqlRounds[0], rounds.values().stream().mapToInt(v -> v.iterator().next()).max().getAsInt());
    assertTrue(trianglesSeen > 30 && pairsInOneCommunity > 100, "the random networks have triangles and communities: "
        + trianglesSeen + ", " + pairsInOneCommunity);
  }

  @Test
  void aPairFormsOneCommunityAndAnIsolatedNodeKeepsTheTeleportShare() {
    GraphMeasures.Graph pair = GraphMeasures.Graph.of(3, new int[][] {{0, 1}});
    long[] vids = {-5, 7, 9};
    int[] rounds = new int[1];
    int[] labels = GraphMeasures.labelPropagation(pair, rounds);
    assertEquals(List.of(0, 0, 2), java.util.Arrays.stream(labels).boxed().toList(), "the pair takes the smaller label");
    assertEquals(2, rounds[0], "one round changes a label, the next changes none");
    double[] ranks = GraphMeasures.pageRank(pair, GraphMeasures.PAGERANK_ITERATIONS);
    assertEquals(1.0, ranks[0], 1e-12, "a pair keeps its start of 1 each");
    assertEquals(0.15, ranks[2], 1e-12);
    assertEquals(List.of(-5L, -5L, 9L), java.util.Arrays.stream(GraphMeasures.components(pair, vids)).boxed().toList());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> GraphMeasures.Graph.of(3, new int[][] {{0, 1}, {1, 0}}), "a pair joined twice would count its triangles twice");
  }

  @Test
  void aNetworkWithoutEdgesGetsARowPerNode() {
    Dataset<Row> nodes = spark.createDataFrame(List.of(RowFactory.create("2014-2020", "R9", "ici", "nuts2", 3L),
        RowFactory.create("2014-2020", "R9", "ici", "nuts2", -4L)), NODES);
    List<Row> rows = GraphMeasures.compute(nodes, spark.createDataFrame(List.of(), EDGES)).orderBy("vid").collectAsList();
    assertEquals(2, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0), r.getLong(1), "its own component");
      assertEquals(0.15, r.getDouble(2), 1e-12);
      assertEquals(r.getLong(0), r.getLong(3), "its own community");
      assertEquals(0, r.getInt(4));
      assertEquals(1, r.getInt(5), "one round, in which no label changed");
    }
  }

  private static Graph<Object, Object> graphX(Dataset<Row> nodes, Dataset<Row> edges) {
    var vertices = nodes.select("vid").javaRDD().map(r -> new Tuple2<Object, Object>(r.getLong(0), 0L)).rdd();
    var bothWays = edges.select("src", "dst").javaRDD().flatMap(r -> List.of(new Edge<Object>(r.getLong(0), r.getLong(1), 1L),
        new Edge<Object>(r.getLong(1), r.getLong(0), 1L)).iterator()).rdd();
    return Graph.apply(vertices, bothWays, 0L, StorageLevel.MEMORY_ONLY(), StorageLevel.MEMORY_ONLY(), ANY, ANY);
  }

  private static Map<Long, Object> vertices(Graph<Object, Object> result) {
    Map<Long, Object> out = new HashMap<>();
    for (Tuple2<Object, Object> t : result.vertices().toJavaRDD().collect()) {
      out.put((Long) t._1(), t._2());
    }
    return out;
  }

  /** The label propagation the pipeline ran as Spark SQL rounds before (vid, community_vid). */
  private static Dataset<Row> sqlLabelPropagation(Dataset<Row> nodes, Dataset<Row> edges, int[] rounds) {
    Dataset<Row> bothWays = edges.select(col("src"), col("dst"), col("weight"))
        .unionByName(edges.select(col("dst").as("src"), col("src").as("dst"), col("weight")));
    Dataset<Row> labels = nodes.select(col("vid"), col("vid").as("community_vid")).localCheckpoint(true);
    for (int step = 0; step < GraphMeasures.LABEL_PROPAGATION_STEPS; step++) {
      Dataset<Row> before = labels;
      rounds[0] = step + 1;
      Dataset<Row> votes = bothWays.join(labels.withColumnRenamed("vid", "dst"), "dst")
          .select(col("src").as("vid"), col("community_vid"), col("weight").as("votes"))
          .unionByName(labels.withColumn("votes", lit(1L)));
      labels = votes.groupBy("vid", "community_vid").agg(sum("votes").as("votes"))
          .withColumn("_rank", row_number().over(Window.partitionBy("vid").orderBy(col("votes").desc(), col("community_vid"))))
          .filter(col("_rank").equalTo(1)).select("vid", "community_vid").localCheckpoint(true);
      if (labels.join(before.withColumnRenamed("community_vid", "_before"), "vid")
          .filter(col("community_vid").notEqual(col("_before"))).isEmpty()) {
        break;
      }
    }
    return labels;
  }
}
