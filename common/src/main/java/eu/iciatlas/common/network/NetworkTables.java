package eu.iciatlas.common.network;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import eu.iciatlas.common.Columns;
import eu.iciatlas.common.analysis.GoldTables;
import eu.iciatlas.common.analysis.IciClassifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The linkage networks as Dataset -> Dataset functions: which nodes and edges each network has,
 * and the three gold tables from the per-node measures of {@link GraphMeasures}.
 *
 * <p>A network is identified by (period, region_id, scope, level): one per region of the definition
 * and one for the whole input ({@link #WHOLE_INPUT}); scope 'all' (every project) or 'ici' (ICI
 * projects only); level 'organisation' (nodes are organisations, de-duplicated as in
 * gold_organisations) or 'nuts2' (nodes are NUTS 2 regions). An undirected edge joins two nodes
 * that share at least one project; its weight is the number of projects they share.
 */
public final class NetworkTables {
  private NetworkTables() {}

  /** region_id of the network of every project of a period, whichever region it belongs to. */
  public static final String WHOLE_INPUT = "all";
  public static final String ORGANISATION = "organisation";
  public static final String NUTS2 = "nuts2";
  public static final List<String> NETWORK = List.of("period", "region_id", "scope", "level");
  private static final List<String> REGION = List.of("region_name", "region_kind");

  static String[] with(List<String> first, String... more) {
    List<String> all = new ArrayList<>(first);
    all.addAll(Arrays.asList(more));
    return all.toArray(new String[0]);
  }

  private static Column[] cols(String... names) {
    return Arrays.stream(names).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /** One network: period, region, scope and level. */
  static WindowSpec perNetwork() {
    return Window.partitionBy(cols(NETWORK.toArray(new String[0])));
  }

  /**
   * One row per network, node and project: period, region_id, region_name, region_kind, scope,
   * level, node, node_country, project_id. A NUTS 2 node's country is its code's first two letters.
   */
  public static Dataset<Row> memberships(Dataset<Row> projects, Dataset<Row> projectRegions, Dataset<Row> participations) {
    Dataset<Row> inRegions = projectRegions.filter(col("region_id").isNotNull())
        .select("project_id", "region_id", "region_name", "region_kind");
    Dataset<Row> whole = projects.select(col("project_id"), lit(WHOLE_INPUT).as("region_id"),
        lit("every project of the input").as("region_name"), lit("input").as("region_kind"));
    Dataset<Row> networks = inRegions.unionByName(whole).distinct()
        .join(projects.select("project_id", "is_ici"), Columns.names("project_id"))
        .withColumn("scope", explode(when(col("is_ici"), array(lit("all"), lit("ici"))).otherwise(array(lit("all")))))
        .drop("is_ici");
    Dataset<Row> organisations = participations.select(col("project_id"), col("period"), lit(ORGANISATION).as("level"),
        GoldTables.organisationKey().as("node"), col("country_code").as("node_country"));
    Dataset<Row> nuts = participations.filter(col("nuts2").isNotNull()).select(col("project_id"), col("period"),
        lit(NUTS2).as("level"), col("nuts2").as("node"), substring(col("nuts2"), 1, 2).as("node_country"));
    return networks.join(organisations.unionByName(nuts), Columns.names("project_id"))
        .select(cols(with(NETWORK, "region_name", "region_kind", "node", "node_country", "project_id"))).distinct();
  }

  /** One row per network and node, with its vertex id (xxhash64 of network and node) and its projects. */
  public static Dataset<Row> nodes(Dataset<Row> memberships) {
    return memberships.groupBy(cols(with(NETWORK, "node")))
        .agg(first("region_name").as("region_name"), first("region_kind").as("region_kind"),
            first("node_country", true).as("node_country"), countDistinct("project_id").as("projects"))
        .withColumn("vid", vertexId(col("node")));
  }

  private static Column vertexId(Column node) {
    return xxhash64(col("period"), col("region_id"), col("scope"), col("level"), node);
  }

  /**
   * One row per network and pair of nodes (node_a &lt; node_b) that share a project: weight (shared
   * projects), crosses_border (null when a country is unknown) and both vertex ids.
   */
  public static Dataset<Row> edges(Dataset<Row> memberships) {
    Dataset<Row> a = memberships.select(cols(with(NETWORK, "project_id", "node", "node_country")))
        .withColumnRenamed("node", "node_a").withColumnRenamed("node_country", "country_a");
    Dataset<Row> b = memberships.select(cols(with(NETWORK, "project_id", "node", "node_country")))
        .withColumnRenamed("node", "node_b").withColumnRenamed("node_country", "country_b");
    return a.join(b, Columns.names(with(NETWORK, "project_id"))).filter(col("node_a").lt(col("node_b")))
        .groupBy(cols(with(NETWORK, "node_a", "node_b")))
        .agg(count(lit(1)).as("weight"), first("country_a", true).as("country_a"), first("country_b", true).as("country_b"))
        .withColumn("crosses_border", when(col("country_a").isNotNull().and(col("country_b").isNotNull()),
            col("country_a").notEqual(col("country_b"))))
        .withColumn("src", vertexId(col("node_a"))).withColumn("dst", vertexId(col("node_b")));
  }

  /**
   * Per node: degree, weighted_degree, triples (pairs of its neighbours), and foreign_countries_tied
   * (distinct countries of its neighbours other than its own). Nodes without edges get 0.
   */
  public static Dataset<Row> degrees(Dataset<Row> nodes, Dataset<Row> edges) {
    Dataset<Row> ends = edges.select(cols(with(NETWORK, "node_a", "weight", "country_b")))
        .toDF(with(NETWORK, "node", "weight", "neighbour_country"))
        .unionByName(edges.select(cols(with(NETWORK, "node_b", "weight", "country_a")))
            .toDF(with(NETWORK, "node", "weight", "neighbour_country")));
    Dataset<Row> perNode = ends.join(nodes.select(cols(with(NETWORK, "node", "node_country"))), Columns.names(with(NETWORK, "node")))
        .groupBy(cols(with(NETWORK, "node")))
        .agg(count(lit(1)).as("degree"), sum("weight").as("weighted_degree"),
            countDistinct(when(col("neighbour_country").notEqual(coalesce(col("node_country"), lit(""))),
                col("neighbour_country"))).as("foreign_countries_tied"));
    return nodes.join(perNode, Columns.names(with(NETWORK, "node")), "left")
        .withColumn("degree", coalesce(col("degree"), lit(0L)))
        .withColumn("weighted_degree", coalesce(col("weighted_degree"), lit(0L)))
        .withColumn("foreign_countries_tied", coalesce(col("foreign_countries_tied"), lit(0L)))
        .withColumn("triples", col("degree").multiply(col("degree").minus(1)).divide(2).cast("long"));
  }

  /** Numbers groups (components or communities) within each network by size, largest first, ties by their id. */
  private static Dataset<Row> rankGroups(Dataset<Row> nodes, String groupColumn, String rankColumn, String sizeColumn) {
    Dataset<Row> sizes = nodes.groupBy(cols(with(NETWORK, groupColumn))).agg(count(lit(1)).as(sizeColumn))
        .withColumn(rankColumn, row_number().over(perNetwork().orderBy(col(sizeColumn).desc(), col(groupColumn))));
    return nodes.join(sizes, Columns.names(with(NETWORK, groupColumn))).drop(groupColumn);
  }

  /**
   * Nodes with every measure: degrees plus GraphMeasures' component, pagerank_raw, community label
   * and triangles; component and community numbered by size (1 = largest), pagerank scaled to sum
   * to 1 over the network. The sum is taken in decimal: a sum of doubles depends on the order the
   * rows arrive in after the shuffle, so a rerun's pageranks differed in their last digits. The raw
   * ranks themselves are summed in vertex id order within their network's task (GraphMeasures), the
   * same on every run, whatever the partitions.
   */
  public static Dataset<Row> measuredNodes(Dataset<Row> degrees, Dataset<Row> vertexMeasures) {
    Dataset<Row> joined = degrees.join(vertexMeasures, Columns.names("vid"), "left");
    Dataset<Row> ranked = rankGroups(rankGroups(joined, "component_vid", "component", "component_size"),
        "community_vid", "community", "community_size");
    return ranked.withColumn("pagerank", shareOfNetwork(col("pagerank_raw"))).drop("pagerank_raw");
  }

  /**
   * A value over its network's sum, the same whatever order the rows come in: the sum is decimal
   * (10 integer digits: raw ranks are at most 1 on average, so a billion nodes fit).
   */
  static Column shareOfNetwork(Column value) {
    return value.divide(sum(value.cast("decimal(38,28)")).over(perNetwork()).cast("double"));
  }

  /** gold_network_summary: one row per network, from measured nodes and edges. */
  public static Dataset<Row> summary(Dataset<Row> measuredNodes, Dataset<Row> edges, Dataset<Row> memberships) {
    Dataset<Row> nodeFigures = measuredNodes.groupBy(cols(NETWORK.toArray(new String[0])))
        .agg(first("region_name").as("region_name"), first("region_kind").as("region_kind"),
            count(lit(1)).as("nodes"), max("component").as("components"), max(when(col("component").equalTo(1),
                col("component_size"))).as("_largest"), max("community").as("communities"),
            sum("triangles").as("_triangle_ends"), sum("triples").as("_triples"),
            sum(when(col("degree").equalTo(0), 1).otherwise(0)).as("isolated_nodes"));
    Dataset<Row> edgeFigures = edges.groupBy(cols(NETWORK.toArray(new String[0])))
        .agg(count(lit(1)).as("edges"), sum("weight").as("_weight"),
            sum(when(col("crosses_border"), 1).otherwise(0)).as("_crossing"),
            sum(when(col("crosses_border").isNotNull(), 1).otherwise(0)).as("_known"));
    Dataset<Row> projectFigures = memberships.groupBy(cols(with(NETWORK, "project_id"))).agg(count(lit(1)).as("_nodes"))
        .groupBy(cols(NETWORK.toArray(new String[0])))
        .agg(count(lit(1)).as("projects"), sum(when(col("_nodes").geq(2), 1).otherwise(0)).as("projects_with_two_or_more_nodes"));
    Column n = col("nodes");
    Column e = coalesce(col("edges"), lit(0L));
    return nodeFigures.join(edgeFigures, Columns.names(NETWORK.toArray(new String[0])), "left")
        .join(projectFigures, Columns.names(NETWORK.toArray(new String[0])), "left")
        .select(col("period"), col("region_id"), col("region_name"), col("region_kind"), col("scope"), col("level"),
            col("projects"), col("projects_with_two_or_more_nodes"), n, e.as("edges"),
            when(n.geq(2), e.multiply(2).divide(n.multiply(n.minus(1)))).as("density"),
            e.multiply(2).divide(n).as("mean_degree"),
            coalesce(col("_weight"), lit(0L)).multiply(2).divide(n).as("mean_weighted_degree"),
            col("isolated_nodes"), col("components"), col("_largest").divide(n).as("largest_component_share"),
            // global clustering (transitivity): 3 x triangles / connected triples; each triangle has 3 ends
            when(col("_triples").gt(0), col("_triangle_ends").divide(col("_triples"))).as("clustering"),
            when(col("_known").gt(0), col("_crossing").divide(col("_known"))).as("cross_border_share"),
            col("communities"))
        .withColumn("null_reason", concat_ws("; ",
            when(col("density").isNull(), lit("density: fewer than 2 nodes")),
            when(col("clustering").isNull(), lit("clustering: no node has two neighbours")),
            when(col("cross_border_share").isNull(), lit("cross_border_share: no edge with both countries known"))))
        .withColumn("null_reason", when(col("null_reason").notEqual(""), col("null_reason")))
        .withColumn("completeness_note", when(col("projects_with_two_or_more_nodes").equalTo(0),
            lit("no project of the network has two partners in the input (an export of lead partners only?): no edges"))
            .when(col("projects_with_two_or_more_nodes").lt(col("projects")), concat_ws("", lit("edges rest on "),
                col("projects_with_two_or_more_nodes").cast("string"), lit(" of "), col("projects").cast("string"),
                lit(" projects; the others have one node only"))));
  }

  /** gold_network_organisations: the organisation-level nodes with names and betweenness. */
  public static Dataset<Row> organisations(Dataset<Row> measuredNodes, Dataset<Row> participations) {
    Dataset<Row> names = participations.withColumn("organisation_key", GoldTables.organisationKey())
        .groupBy("organisation_key", "period")
        .agg(GoldTables.organisationName(), GoldTables.organisationTown());
    return measuredNodes.filter(col("level").equalTo(ORGANISATION))
        .withColumnRenamed("node", "organisation_key").withColumnRenamed("node_country", "country_code")
        .join(names, Columns.names("organisation_key", "period"), "left")
        .withColumn("is_broker", col("foreign_countries_tied").geq(2))
        .select(col("period"), col("region_id"), col("region_name"), col("region_kind"), col("scope"),
            col("organisation_key"), col("organisation"), col("town"), col("country_code"), col("projects"),
            col("degree"), col("weighted_degree"), col("foreign_countries_tied"), col("is_broker"),
            col("component"), col("component_size"), col("pagerank"),
            col("betweenness"), col("betweenness_sources"),
            col("community"), col("triangles"));
  }

  /**
   * gold_network_communities: per organisation network and community: organisations, countries,
   * projects (each project counted in the community holding most of its partners), ICI projects,
   * ICI share and the three most frequent specializations of its ICI projects.
   */
  public static Dataset<Row> communities(Dataset<Row> measuredNodes, Dataset<Row> memberships, Dataset<Row> projects) {
    Dataset<Row> organisations = measuredNodes.filter(col("level").equalTo(ORGANISATION));
    Dataset<Row> members = organisations.groupBy(cols(with(NETWORK, "community")))
        .agg(first("region_name").as("region_name"), first("region_kind").as("region_kind"),
            count(lit(1)).as("organisations"), first("component").as("component"),
            countDistinct("node_country").as("country_count"),
            concat_ws(", ", array_sort(
                collect_set("node_country"))).as("countries"));
    Dataset<Row> projectCommunity = memberships.filter(col("level").equalTo(ORGANISATION))
        .join(organisations.select(cols(with(NETWORK, "node", "community"))), Columns.names(with(NETWORK, "node")))
        .groupBy(cols(with(NETWORK, "project_id", "community"))).agg(count(lit(1)).as("_partners"))
        .withColumn("_rank", row_number().over(Window.partitionBy(cols(with(NETWORK, "project_id")))
            .orderBy(col("_partners").desc(), col("community"))))
        .filter(col("_rank").equalTo(1)).drop("_rank", "_partners")
        .join(projects.select(col("project_id"), col("is_ici"), col("specializations")), Columns.names("project_id"));
    Dataset<Row> projectFigures = projectCommunity.groupBy(cols(with(NETWORK, "community")))
        .agg(count(lit(1)).as("projects"), sum(when(col("is_ici"), 1).otherwise(0)).as("ici_projects"));
    Dataset<Row> specializations = projectCommunity.filter(col("is_ici"))
        .withColumn("specialization", explode(IciClassifier.specializationCodes()))
        .groupBy(cols(with(NETWORK, "community", "specialization"))).agg(count(lit(1)).as("_n"))
        .withColumn("_rank", row_number().over(Window.partitionBy(cols(with(NETWORK, "community")))
            .orderBy(col("_n").desc(), col("specialization"))))
        .filter(col("_rank").leq(3))
        .groupBy(cols(with(NETWORK, "community")))
        .agg(concat_ws(", ", transform(
            array_sort(collect_list(
                struct(col("_rank"), col("specialization"), col("_n")))),
            s -> concat(s.getField("specialization"), lit(" ("),
                s.getField("_n").cast("string"), lit(")")))).as("dominant_specializations"));
    return members.join(projectFigures, Columns.names(with(NETWORK, "community")), "left")
        .join(specializations, Columns.names(with(NETWORK, "community")), "left")
        .select(col("period"), col("region_id"), col("region_name"), col("region_kind"), col("scope"), col("community"),
            col("organisations"), col("country_count"), col("countries"), col("component"),
            coalesce(col("projects"), lit(0L)).as("projects"), coalesce(col("ici_projects"), lit(0L)).as("ici_projects"),
            when(col("projects").gt(0), col("ici_projects").divide(col("projects"))).as("ici_share"),
            col("dominant_specializations"));
  }
}
