package eu.iciatlas.common.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * DIR/bi/ici_atlas.duckdb: one file that DBeaver, Metabase, Superset, Power BI (DuckDB ODBC), R and
 * Python open without a fix-up: every gold and star table with the data dictionary's table and
 * column comments, and views of the measures ({@code measure_*}) that say how a share is pooled
 * (sum of ICI projects over sum of projects, never a mean of shares).
 *
 * <p>Built by DuckDB itself from the run's Parquet copies (its Parquet reader keeps every type; no
 * Spark job), into DIR/bi/_staging before the run is recorded as succeeded and published with the
 * other BI copies, so a tool never opens a half-written file or one of a failed run. DuckDB writes
 * local files only: for another file system, or a driver without the DuckDB JDBC driver (a cluster
 * submit without it in ICI_SUBMIT_PACKAGES), the file is not written and the run says why.
 */
public final class BiDatabase {
  public static final String FILE = "ici_atlas.duckdb";
  /** The table of the file that says which run and Delta versions it holds. */
  public static final String ABOUT = "ici_atlas_about";
  private static final String DRIVER = "org.duckdb.DuckDBDriver";

  /** The tables the file holds: gold and star (the silver Parquet copies are for notebooks and pipelines, not for BI models). */
  public static final java.util.function.Predicate<String> IN_FILE = t -> t.startsWith("gold_") || t.startsWith("star_");

  /** A view of a measure: its name, what it means and rests on (the view's comment), the tables it reads, its query. */
  public record Measure(String name, String comment, List<String> sources, String select) {}

  public static final List<Measure> MEASURES = List.of(
      new Measure("measure_ici_share_by_period",
          "Per period and region kind, as gold_ici_share_summary: all projects and ICI projects of the regions (a project of"
              + " two regions counts in both); pooled_share = sum(ici_projects) / sum(projects) over the regions whose share is"
              + " measured (measured_projects, measured_ici_projects; null with share_null_reason when none is);"
              + " mean_regional_share = the unweighted mean of the regional shares.",
          List.of("gold_ici_share"),
          "SELECT period, region_kind, count(*)::BIGINT AS regions, count(*) FILTER (WHERE ici_projects > 0)::BIGINT AS regions_with_ici,"
              + " count(share)::BIGINT AS regions_with_share, sum(projects)::BIGINT AS projects, sum(ici_projects)::BIGINT AS ici_projects,"
              + " (sum(projects) FILTER (WHERE share IS NOT NULL))::BIGINT AS measured_projects,"
              + " (sum(ici_projects) FILTER (WHERE share IS NOT NULL))::BIGINT AS measured_ici_projects,"
              + " sum(ici_projects) FILTER (WHERE share IS NOT NULL) / sum(projects) FILTER (WHERE share IS NOT NULL) AS pooled_share,"
              + " avg(share) AS mean_regional_share,"
              + " sum(expected_ici_projects) FILTER (WHERE expected_share IS NOT NULL)"
              + " / sum(projects) FILTER (WHERE expected_share IS NOT NULL) AS pooled_expected_share,"
              + " CASE WHEN count(share) = 0 THEN 'no region of this kind has a measurable share: most projects have no text in"
              + " the input' END AS share_null_reason"
              + " FROM gold_ici_share GROUP BY period, region_kind"),
      new Measure("measure_ici_share_by_region",
          "ICI share per cross-border or transnational region and period with what it rests on: projects, ICI projects,"
              + " projects with text, the expected share given the rules' measured error and its 95 % interval, and why a"
              + " share is null.",
          List.of("gold_ici_share"),
          "SELECT period, region_kind, region_id, region_name, projects, ici_projects, projects_with_text, share,"
              + " share_null_reason, expected_share, expected_share_low, expected_share_high, expected_share_basis"
              + " FROM gold_ici_share"),
      new Measure("measure_ici_share_by_nuts2",
          "ICI share per NUTS 2 region and period from the participations: distinct projects with a partner in the"
              + " region and those of them that are ICIs (a project counts once per region however many partners it has"
              + " there); null with share_null_reason where fewer than half of them have text, as in gold_ici_share."
              + " projects and ici_projects equal star_dim_region's.",
          List.of("star_fact_participation", "star_dim_region", "star_dim_project"),
          sharesFrom("r.period, r.nuts2, r.nuts2_name, r.country_code",
              " JOIN star_dim_region r ON f.region_key = r.region_key WHERE r.nuts2 IS NOT NULL")),
      new Measure("measure_ici_share_by_country",
          "ICI share per country and period from the participations: distinct projects with a partner in the country"
              + " and those of them that are ICIs, pooled over the country's projects (not the mean of its regions' shares);"
              + " null with share_null_reason where fewer than half of them have text, as in gold_ici_share.",
          List.of("star_fact_participation", "star_dim_project"),
          sharesFrom("f.period, f.country_code", " WHERE f.country_code IS NOT NULL")));

  /** Distinct projects and ICI projects of the participations grouped by {@code groups}, with gold_ici_share's text rule. */
  private static String sharesFrom(String groups, String joinAndWhere) {
    String minText = String.valueOf(eu.iciatlas.common.analysis.GoldTables.MIN_TEXT_COMPLETENESS);
    return "SELECT " + groups + ", count(DISTINCT f.project_key)::BIGINT AS projects,"
        + " (count(DISTINCT f.project_key) FILTER (WHERE f.is_ici_project = 1))::BIGINT AS ici_projects,"
        + " (count(DISTINCT f.project_key) FILTER (WHERE p.has_text))::BIGINT AS projects_with_text,"
        + " CASE WHEN count(DISTINCT f.project_key) FILTER (WHERE p.has_text) >= " + minText + " * count(DISTINCT f.project_key)"
        + " THEN count(DISTINCT f.project_key) FILTER (WHERE f.is_ici_project = 1) / count(DISTINCT f.project_key) END AS ici_share,"
        + " CASE WHEN count(DISTINCT f.project_key) FILTER (WHERE p.has_text) < " + minText + " * count(DISTINCT f.project_key)"
        + " THEN 'only ' || count(DISTINCT f.project_key) FILTER (WHERE p.has_text) || ' of ' || count(DISTINCT f.project_key)"
        + " || ' projects have a description or expected results in the input; a share from acronyms, titles and partners"
        + " alone is not comparable' END AS share_null_reason"
        + " FROM star_fact_participation f JOIN star_dim_project p ON f.project_key = p.project_key" + joinAndWhere
        + " GROUP BY " + groups;
  }

  private BiDatabase() {}

  /** Why the file cannot be written for this output folder, or null when it can. */
  public static String unavailableReason(String outputDir, Configuration conf) {
    try {
      FileSystem fs = new Path(outputDir).getFileSystem(conf);
      if (!"file".equals(fs.getUri().getScheme())) {
        return "DuckDB writes local files only and the output is on " + fs.getUri().getScheme() + "://";
      }
    } catch (IOException e) {
      return "the output folder cannot be reached: " + e.getMessage();
    }
    try {
      Class.forName(DRIVER);
    } catch (ClassNotFoundException e) {
      return "the DuckDB JDBC driver is not on the driver's classpath (bin/ici-atlas has it; for submit add"
          + " org.duckdb:duckdb_jdbc to ICI_SUBMIT_PACKAGES)";
    }
    return null;
  }

  /**
   * Writes DIR/bi/_staging/ici_atlas.duckdb from the Parquet copies of this run (staged) and of earlier runs (published);
   * returns the number of tables it holds.
   */
  public static int stage(String outputDir, Configuration conf, DataDictionary dictionary, java.util.function.Function<String, StructType> schemaOf,
      java.util.function.ToLongFunction<String> deltaVersionOf, String runId) {
    Path bi = BiCopies.biDir(outputDir);
    Path staging = BiCopies.stagingDir(outputDir);
    TreeMap<String, java.nio.file.Path> tables = new TreeMap<>();
    FileSystem fs;
    try {
      fs = bi.getFileSystem(conf);
      for (Path parquet : List.of(new Path(bi, "parquet"), new Path(staging, "parquet"))) {
        if (fs.exists(parquet)) {
          for (FileStatus t : fs.listStatus(parquet)) {
            if (t.isDirectory() && IN_FILE.test(t.getPath().getName())) {
              tables.put(t.getPath().getName(), local(fs, t.getPath())); // staged copies replace published ones
            }
          }
        }
      }
      fs.mkdirs(staging);
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the Parquet copies under " + bi + ": " + e.getMessage(), e);
    }
    java.nio.file.Path target = local(fs, new Path(staging, FILE));
    java.nio.file.Path partial = target.resolveSibling("_tmp_" + FILE);
    try {
      deleteWithWal(partial);
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:" + partial); Statement sql = db.createStatement()) {
        // a bounded share of the machine: the Spark driver shares this process
        sql.execute("SET threads = 2");
        sql.execute("SET memory_limit = '1GB'");
        for (var e : tables.entrySet()) {
          String table = e.getKey();
          sql.execute("CREATE TABLE " + identifier(table) + " AS SELECT * FROM read_parquet("
              + literal(e.getValue().resolve("*.parquet").toString()) + ")");
          comment(sql, dictionary, table, schemaOf.apply(table));
        }
        for (Measure m : MEASURES) {
          if (tables.keySet().containsAll(m.sources())) {
            sql.execute("CREATE VIEW " + m.name() + " AS " + m.select());
            sql.execute("COMMENT ON VIEW " + m.name() + " IS " + literal(m.comment()));
          }
        }
        about(db, tables.keySet(), deltaVersionOf, runId);
        sql.execute("CHECKPOINT");
      }
      deleteWithWal(target);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return tables.size();
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * ici_atlas_about: which run wrote the file, when, and from which Delta version of each table, so
   * that a BI user can tell the file's numbers from those of another run.
   */
  private static void about(Connection db, java.util.Set<String> tables, java.util.function.ToLongFunction<String> deltaVersionOf,
      String runId) throws SQLException {
    try (Statement sql = db.createStatement()) {
      sql.execute("CREATE TABLE " + ABOUT + " (table_name VARCHAR, delta_version BIGINT, row_count BIGINT, run_id VARCHAR,"
          + " written_at TIMESTAMPTZ)");
      sql.execute("COMMENT ON TABLE " + ABOUT + " IS " + literal("One row per table of this file: the Delta version of"
          + " DIR/delta/<table> it was copied from, its rows, and the run that wrote the file (run_manifest.run_id) and when"));
      String writtenAt = literal(java.time.Instant.now().toString()) + "::TIMESTAMPTZ"; // one time for the whole file
      for (String table : tables) {
        sql.execute("INSERT INTO " + ABOUT + " SELECT " + literal(table) + ", " + deltaVersionOf.applyAsLong(table)
            + ", count(*), " + literal(runId) + ", " + writtenAt + " FROM " + identifier(table));
      }
    }
  }

  private static void comment(Statement sql, DataDictionary dictionary, String table, StructType schema) throws SQLException {
    DataDictionary.TableEntry entry = dictionary.table(table);
    if (entry != null) {
      sql.execute("COMMENT ON TABLE " + identifier(table) + " IS "
          + literal(entry.description() + ". Grain: " + entry.grain() + ". Keys: " + entry.keys() + "."));
    }
    if (schema == null) {
      return;
    }
    for (StructField f : schema.fields()) {
      DataDictionary.ColumnEntry c = dictionary.column(table, f.name());
      if (c != null) {
        sql.execute("COMMENT ON COLUMN " + identifier(table) + "." + identifier(f.name()) + " IS "
            + literal(DataDictionary.comment(c)));
      }
    }
  }

  /** The local file of a path of the local file system, with or without its file: scheme. */
  private static java.nio.file.Path local(FileSystem fs, Path path) {
    return java.nio.file.Path.of(fs.makeQualified(path).toUri());
  }

  private static void deleteWithWal(java.nio.file.Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
  }

  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
