package eu.iciatlas.benchmarks;

import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.SourceFiles;
import eu.iciatlas.common.keep.KeepColumns;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * The peer of the benchmark: DuckDB (in-process, JDBC) doing what a user might write instead of
 * the pipeline, over the same Keep.eu CSV files: ingest (read_csv with the same ';' dialect,
 * normalised NUTS and period), classification with the same term lists as conf/classifier/
 * (SQL regexp_matches, weighted sum, threshold), aggregation (ICI share per programme, NUTS 2
 * profile, NUTS 2 links, specialization counts) and Parquet output. It skips what the pipeline
 * adds on top (Eurostat, quarantine and audit, Delta commits, CSV exports, statistics, report).
 * Usage: DuckDbPeer KEEP_DIR CONF_DIR OUTPUT_DIR THREADS. Prints one 'duckdb stage=.. s=..' line per stage.
 */
public final class DuckDbPeer {
  private DuckDbPeer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: DuckDbPeer KEEP_DIR CONF_DIR OUTPUT_DIR THREADS");
      System.exit(2);
    }
    Path keep = Path.of(args[0]);
    Path conf = Path.of(args[1]);
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    List<String> projectFiles = new ArrayList<>();
    List<String> partnerFiles = new ArrayList<>();
    Configuration hadoopConf = new Configuration();
    try (Stream<Path> files = Files.walk(keep)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".csv.gz")).sorted().toList()) {
        // the pipeline's own recognition of a Keep.eu export, so both read the same files
        String headerLine = SourceFiles.firstLine(f.toString(), hadoopConf);
        Kind kind = headerLine == null ? null : KeepColumns.kindOf(CsvSources.parseHeader(headerLine, CsvSources.Dialect.KEEP));
        if (kind == Kind.PARTNERS) {
          partnerFiles.add(f.toString());
        } else if (kind == Kind.PROJECTS) {
          projectFiles.add(f.toString());
        }
      }
    }
    Map<String, Double> seconds = new LinkedHashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = db.createStatement()) {
      sql.execute("SET threads = " + Integer.parseInt(args[3]));
      sql.execute("SET preserve_insertion_order = false");
      long t = System.nanoTime();
      String dialect = "delim=';', quote='\"', escape='\"', header=true, all_varchar=true, union_by_name=true, "
          + "max_line_size=10000000, strict_mode=false";
      sql.execute("CREATE TABLE partners_raw AS SELECT * FROM read_csv(" + list(partnerFiles) + ", " + dialect + ")");
      sql.execute("CREATE TABLE partners AS SELECT "
          + "trim(\"Programme\") AS programme, regexp_extract(\"Programme\", '(\\d{4}) ?[-–] ?(\\d{4})', 0) AS period_raw, "
          + "trim(\"Acronym\") AS acronym, trim(\"Project Partner\") AS organisation, lower(trim(\"Lead Partner\")) = 'yes' AS is_lead, "
          + "lower(trim(\"Legal Status\")) AS legal_status, nullif(trim(split_part(\"Country code\", ' ', 1)), '') AS country_code, "
          + "nullif(trim(split_part(\"NUTS2 (or equivalent)\", '/', 1)), '') AS nuts2 FROM partners_raw");
      sql.execute("UPDATE partners SET period_raw = regexp_replace(period_raw, '\\s', '', 'g')");
      if (projectFiles.isEmpty()) {
        sql.execute("CREATE TABLE projects AS SELECT DISTINCT programme, period_raw, acronym, NULL::VARCHAR AS text, "
            + "NULL::VARCHAR AS t1, NULL::VARCHAR AS t2, NULL::VARCHAR AS t3 FROM partners");
      } else {
        sql.execute("CREATE TABLE projects_raw AS SELECT * FROM read_csv(" + list(projectFiles) + ", " + dialect + ")");
        sql.execute("CREATE TABLE projects AS SELECT trim(\"Programme\") AS programme, "
            + "regexp_replace(regexp_extract(\"Programme\", '(\\d{4}) ?[-–] ?(\\d{4})', 0), '\\s', '', 'g') AS period_raw, "
            + "trim(\"Acronym\") AS acronym, lower(concat_ws(' ', \"Acronym\", \"Project Name\", \"Project Name language 2\", "
            + "\"Project Name language 3\", \"Description EN\", \"Description 1\", \"Description 2\", \"Expected Results EN\", "
            + "\"Expected Results 1\", \"Expected Results 2\")) AS text, \"Thematic1\" AS t1, \"Thematic2\" AS t2, \"Thematic3\" AS t3 FROM projects_raw");
      }
      seconds.put("ingest", lap(t));

      t = System.nanoTime();
      List<String> terms = new ArrayList<>();
      List<Map<String, String>> rules = ConfTable.read(conf.resolve("classifier/ici_rules.csv"));
      Map<String, String> partnerTypes = new LinkedHashMap<>();
      for (Map<String, String> r : ConfTable.read(conf.resolve("classifier/partner_types.csv"))) {
        partnerTypes.put(r.get("type"), r.get("pattern"));
      }
      sql.execute("CREATE TABLE signals AS SELECT programme, acronym, count(*) AS partners, "
          + "sum(CASE WHEN legal_status = 'private' THEN 1 ELSE 0 END) AS private_partners, "
          + "max(CASE WHEN regexp_matches(lower(organisation), " + literal(partnerTypes.get("business_support")) + ") THEN 1 ELSE 0 END) AS support, "
          + "max(CASE WHEN regexp_matches(lower(organisation), " + literal(partnerTypes.get("research")) + ") THEN 1 ELSE 0 END) AS research "
          + "FROM partners GROUP BY programme, acronym");
      for (Map<String, String> r : rules) {
        String fires = switch (r.get("kind")) {
          case "theme" -> "(" + literal(r.get("pattern")) + " IN (p.t1, p.t2, p.t3))";
          case "text" -> "regexp_matches(coalesce(p.text, ''), " + literal(r.get("pattern")) + ")";
          default -> switch (r.get("pattern")) {
            case "private_partner" -> "coalesce(s.private_partners, 0) >= 1";
            case "three_private_partners" -> "coalesce(s.private_partners, 0) >= 3";
            case "business_support_partner" -> "coalesce(s.support, 0) = 1";
            case "research_with_private" -> "(coalesce(s.research, 0) = 1 AND coalesce(s.private_partners, 0) >= 1)";
            default -> "false";
          };
        };
        terms.add("CASE WHEN coalesce(" + fires + ", false) THEN " + Double.parseDouble(r.get("weight")) + " ELSE 0 END");
      }
      double threshold = threshold(conf);
      sql.execute("CREATE TABLE classified AS SELECT p.*, (" + String.join(" + ", terms) + ") AS ici_score, "
          + "(" + String.join(" + ", terms) + ") >= " + threshold + " AS is_ici FROM projects p "
          + "LEFT JOIN signals s ON s.programme = p.programme AND s.acronym = p.acronym");
      seconds.put("classify", lap(t));

      t = System.nanoTime();
      sql.execute("CREATE TABLE ici_share AS SELECT programme, period_raw AS period, count(*) AS projects, "
          + "sum(CASE WHEN is_ici THEN 1 ELSE 0 END) AS ici_projects, avg(CASE WHEN is_ici THEN 1.0 ELSE 0.0 END) AS share "
          + "FROM classified GROUP BY ALL");
      sql.execute("CREATE TABLE region_profile AS SELECT pa.nuts2, pa.period_raw AS period, count(*) AS participations, "
          + "count(DISTINCT pa.programme || '|' || pa.acronym) AS projects, "
          + "count(DISTINCT CASE WHEN c.is_ici THEN pa.programme || '|' || pa.acronym END) AS ici_projects "
          + "FROM partners pa LEFT JOIN classified c ON c.programme = pa.programme AND c.acronym = pa.acronym "
          + "WHERE pa.nuts2 IS NOT NULL GROUP BY ALL");
      sql.execute("CREATE TABLE project_nuts2 AS SELECT DISTINCT pa.programme, pa.acronym, pa.period_raw AS period, pa.nuts2, "
          + "coalesce(c.is_ici, false) AS is_ici FROM partners pa LEFT JOIN classified c "
          + "ON c.programme = pa.programme AND c.acronym = pa.acronym WHERE pa.nuts2 IS NOT NULL");
      sql.execute("CREATE TABLE region_links AS SELECT a.nuts2 AS nuts2_a, b.nuts2 AS nuts2_b, a.period, count(*) AS shared_projects, "
          + "sum(CASE WHEN a.is_ici THEN 1 ELSE 0 END) AS shared_ici_projects FROM project_nuts2 a JOIN project_nuts2 b "
          + "ON a.programme = b.programme AND a.acronym = b.acronym AND a.nuts2 < b.nuts2 GROUP BY ALL");
      List<String> specs = new ArrayList<>();
      for (Map<String, String> r : ConfTable.read(conf.resolve("classifier/specializations.csv"))) {
        specs.add("SELECT " + literal(r.get("code")) + " AS specialization, programme, period_raw AS period, "
            + "len(regexp_extract_all(coalesce(text, ''), " + literal(r.get("pattern")) + ")) AS matches FROM classified WHERE is_ici");
      }
      sql.execute("CREATE TABLE specialization_share AS SELECT specialization, period, count(DISTINCT programme) AS regions, "
          + "count(*) AS ici_projects FROM (" + String.join(" UNION ALL ", specs) + ") WHERE matches >= 2 GROUP BY ALL");
      seconds.put("aggregate", lap(t));

      t = System.nanoTime();
      long rows = 0;
      for (String table : List.of("classified", "partners", "ici_share", "region_profile", "region_links", "specialization_share")) {
        sql.execute("COPY " + table + " TO '" + out.resolve(table + ".parquet") + "' (FORMAT parquet)");
        try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          rows += rs.getLong(1);
        }
      }
      seconds.put("write", lap(t));
      try (ResultSet rs = sql.executeQuery("SELECT (SELECT count(*) FROM partners), (SELECT count(*) FROM classified), "
          + "(SELECT count(*) FROM classified WHERE is_ici)")) {
        rs.next();
        System.out.printf(Locale.ROOT, "duckdb participations=%d projects=%d ici_projects=%d rows_written=%d%n",
            rs.getLong(1), rs.getLong(2), rs.getLong(3), rows);
      }
    }
    for (Map.Entry<String, Double> e : seconds.entrySet()) {
      System.out.printf(Locale.ROOT, "duckdb stage=%s s=%.1f%n", e.getKey(), e.getValue());
    }
  }

  private static double lap(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static String list(List<String> files) {
    return "[" + String.join(", ", files.stream().map(DuckDbPeer::literal).toList()) + "]";
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static double threshold(Path conf) throws IOException {
    java.util.Properties p = new java.util.Properties();
    try (Reader r = Files.newBufferedReader(conf.resolve("pipeline.properties"), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return Double.parseDouble(p.getProperty("ici.threshold", "3.5").trim());
  }

  /** conf/ ';' tables with '#' comments, read with the pipeline's own reader. */
  static final class ConfTable {
    static List<Map<String, String>> read(Path file) throws IOException {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return eu.iciatlas.common.config.ConfFiles.semicolonCsv(r);
      }
    }
  }
}
