package eu.iciatlas.tools.generate;

import static eu.iciatlas.common.keep.KeepNormalise.blankToNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;

import eu.iciatlas.common.generate.GeneratorOptions;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.keep.KeepNormalise;
import eu.iciatlas.common.keep.KeepSilver;
import eu.iciatlas.common.keep.ProgrammeRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The distributions of a real Keep.eu export as small tables that the generator broadcasts and
 * samples from with seeded hashes. The real rows (tens of thousands) are normalised by Spark with
 * the ingestion's own expressions (programme, period, project key, lead flag) and collected; the
 * CSV text of the cells the generator copies unchanged is rendered once
 * ({@link KeepLayout#renderSegments}), the bookkeeping (indices, groups, counts) is done on the
 * driver, and the tables go back to Spark as local relations. Their size depends on the real export only, never on the scale factor.
 *
 * <ul>
 *   <li>{@code templates}: every real project (from project and partner rows): programme (the
 *       raw cell, so its dirty variants keep their rate), period, partner and lead-partner rows;
 *       a generated project takes programme, period and partner count from a template.</li>
 *   <li>{@code donors} / {@code donorRows}: the real projects that have a project record; a
 *       generated project copies titles, descriptions, expected results, themes, budgets, dates,
 *       call from a donor: the template itself when it has a record, else a donor of the same
 *       strand and country set (if there are at least {@value #MIN_GROUP}), else of the same strand
 *       sharing the programme country with most such donors (so descriptions come in the
 *       programme's languages), else of the same strand.
 *       Projects with two lead partners have two donor rows, as in the export.</li>
 *   <li>{@code pool}: the distinct real partner rows of each programme, lead ("L") and other
 *       ("N") apart, in a fixed pseudo-random order; a generated project takes consecutive entries
 *       from a seeded start, so its
 *       partners are distinct and sit in the programme's real countries and NUTS regions.</li>
 *   <li>{@code dists}: partner counts of the projects of fully exported programmes, per strand;
 *       older programmes whose export holds only lead partners draw from them with probability
 *       {@link #fullPartnershipShare}, set so that SF 1 has 150,000 participations.</li>
 * </ul>
 */
final class KeepModel {
  static final String LEAD = "L";
  static final String OTHER = "N";
  static final int MIN_GROUP = 5;
  static final String PROJECT_SEGMENT = "pseg";
  static final String PARTNER_SEGMENT = "aseg";
  static final String CALL_SEGMENT = "cseg";
  /** Project columns the generator overrides: programme, acronym, lead partner and its address, period, dates. */
  static final Set<Integer> PROJECT_OVERRIDES = Set.of(0, 1, 5, 6, 7, 8, 9, 10, 43, 44);
  /** Partner columns the generator overrides: programme, acronym, lead flag. */
  static final Set<Integer> PARTNER_OVERRIDES = Set.of(0, 1, 3);
  /** Call columns the generator overrides: serial number. */
  static final Set<Integer> CALL_OVERRIDES = Set.of(1);

  final Dataset<Row> templates;
  final Dataset<Row> donorGroups;
  final Dataset<Row> donors;
  final Dataset<Row> donorRows;
  final Dataset<Row> pool;
  final Dataset<Row> leadPool;
  final Dataset<Row> dists;
  final Dataset<Row> calls;
  final long templateCount;
  final long donorCount;
  final long callCount;
  final long realPartnerRows;
  final double duplicateRate;
  final double fullPartnershipShare;

  // ---------------------------------------------------------------- driver-side records

  private static final class Programme {
    final String key;
    String name;
    int index;
    String strand = "cross_border";
    String countries = "";
    long partnerRows;
    long leadRows;
    final List<Object[]> leadPool = new ArrayList<>();
    final List<Object[]> otherPool = new ArrayList<>();

    Programme(String key) {
      this.key = key;
    }

    boolean leadOnly() {
      return partnerRows > 0 && partnerRows == leadRows;
    }
  }

  private static final class Template {
    final String pid;
    String programmeCell;
    String programmeFromPartners;
    String programmeKey;
    String period;
    long partnerRows;
    long leadRows;
    Integer ownDonor;

    Template(String pid) {
      this.pid = pid;
    }
  }

  private KeepModel(SparkSession spark, Map<Kind, Dataset<Row>> real, ProgrammeRules rules) {
    // 1. normalise with the ingestion's expressions (Spark), collect, render the copied cells once (driver)
    Dataset<Row> partnerRows = keyed(real.get(Kind.PARTNERS)).filter(blankToNull(col("organisation")).isNotNull());
    List<Column> partnerSelect = new ArrayList<>(List.of(col("_file"), col(CsvSources.SOURCE_ROW), col("_programme"),
        col("_prog_key"), col("_period"), col("_pid"), coalesce(KeepNormalise.yesNo(col("lead_partner")), lit(false)),
        col("programme"), col("organisation"), col("street"), col("postal_code"), col("town"), col("country"),
        col("department"), col("nuts3"), col("lead_partner")));
    partnerSelect.addAll(Arrays.asList(KeepLayout.cells(partnerRows, Kind.PARTNERS)));
    List<Row> partners = rendered(partnerRows.select(partnerSelect.toArray(new Column[0])).collectAsList(), 16,
        Kind.PARTNERS, PARTNER_OVERRIDES);
    List<String> partnerSegments = KeepLayout.segmentNames(Kind.PARTNERS, PARTNER_OVERRIDES, PARTNER_SEGMENT);

    Dataset<Row> projectRows = keyed(real.get(Kind.PROJECTS));
    List<Column> projectSelect = new ArrayList<>(List.of(col("_file"), col(CsvSources.SOURCE_ROW), col("_programme"),
        col("_prog_key"), col("_period"), col("_pid"), col("programme"), col("acronym"), col("project_start"),
        col("project_end")));
    projectSelect.addAll(Arrays.asList(KeepLayout.cells(projectRows, Kind.PROJECTS)));
    List<Row> projects = rendered(projectRows.select(projectSelect.toArray(new Column[0])).collectAsList(), 10,
        Kind.PROJECTS, PROJECT_OVERRIDES);
    List<String> projectSegments = KeepLayout.segmentNames(Kind.PROJECTS, PROJECT_OVERRIDES, PROJECT_SEGMENT);

    Dataset<Row> callRows = real.get(Kind.CALLS).filter(col(CsvSources.CORRUPT).isNull())
        .withColumn("_file", regexp_extract(col(CsvSources.SOURCE_FILE), "([^/]*)$", 1))
        .filter(KeepNormalise.periodFromProgramme(KeepNormalise.programme(col("programme"))).isNotNull()
            .and(blankToNull(col("call_serial_number")).isNotNull()));
    List<Column> callSelect = new ArrayList<>(List.of(col("_file"), col(CsvSources.SOURCE_ROW),
        col("call_serial_number")));
    callSelect.addAll(Arrays.asList(KeepLayout.cells(callRows, Kind.CALLS)));
    List<Row> callList = rendered(callRows.select(callSelect.toArray(new Column[0])).collectAsList(), 3,
        Kind.CALLS, CALL_OVERRIDES);
    List<String> callSegments = KeepLayout.segmentNames(Kind.CALLS, CALL_OVERRIDES, CALL_SEGMENT);

    // 2. programmes: strand and countries with the pipeline's rules (one small Spark job)
    Map<String, Programme> programmes = new TreeMap<>();
    for (Row r : projects) {
      programme(programmes, r.getString(3), r.getString(2));
    }
    for (Row r : partners) {
      Programme p = programme(programmes, r.getString(3), r.getString(2));
      p.partnerRows++;
      p.leadRows += r.getBoolean(6) ? 1 : 0;
    }
    if (!programmes.isEmpty()) {
      List<String> names = new ArrayList<>();
      programmes.values().forEach(p -> names.add(p.name));
      List<Row> classified = spark.createDataset(names, Encoders.STRING()).toDF("programme")
          .select(col("programme"), rules.strand(col("programme")), concat_ws("-", rules.countries(col("programme"))))
          .collectAsList();
      Map<String, Row> byName = new HashMap<>();
      classified.forEach(r -> byName.put(r.getString(0), r));
      int index = 0;
      for (Programme p : programmes.values()) {
        p.index = index++;
        p.strand = byName.get(p.name).getString(1);
        p.countries = byName.get(p.name).getString(2);
      }
    }

    // 3. partner pool: distinct rows per programme and role, in a fixed pseudo-random order (the
    //    generator's seed picks where in it a project starts)
    Set<List<Object>> seen = new HashSet<>();
    Set<List<Object>> distinctRows = new HashSet<>();
    for (Row r : partners) {
      boolean lead = r.getBoolean(6);
      // the ingestion's duplicate key: project, organisation, town, postal code, department, lead flag, NUTS 3, street
      distinctRows.add(Arrays.asList(r.get(5), r.get(8), r.get(11), r.get(10), r.get(13), r.get(15), r.get(14), r.get(9)));
      if (!seen.add(Arrays.asList(r.get(3), lead, r.get(8), r.get(11), r.get(10), r.get(13), r.get(14), r.get(9)))) {
        continue;
      }
      Object[] entry = new Object[7 + partnerSegments.size()];
      entry[0] = mix(0, "pool", r.getString(0), r.getLong(1));
      for (int i = 0; i < 5; i++) {
        entry[1 + i] = r.get(8 + i); // organisation, street, postal code, town, country
      }
      entry[6] = r.getString(0) + "#" + r.getLong(1);
      for (int i = 0; i < partnerSegments.size(); i++) {
        entry[7 + i] = r.get(16 + i);
      }
      Programme p = programmes.get(r.getString(3));
      (lead ? p.leadPool : p.otherPool).add(entry);
    }
    realPartnerRows = partners.size();
    duplicateRate = partners.isEmpty() ? 0 : (partners.size() - distinctRows.size()) / (double) partners.size();
    List<Row> poolTable = new ArrayList<>();
    for (Programme p : programmes.values()) {
      for (String role : List.of(LEAD, OTHER)) {
        List<Object[]> entries = role.equals(LEAD) ? p.leadPool : p.otherPool;
        entries.sort(Comparator.<Object[]>comparingLong(e -> (Long) e[0]).thenComparing(e -> (String) e[6]));
        for (int k = 0; k < entries.size(); k++) {
          Object[] e = entries.get(k);
          Object[] values = new Object[8 + partnerSegments.size()];
          values[0] = p.index;
          values[1] = role;
          values[2] = k;
          System.arraycopy(e, 1, values, 3, 5);
          System.arraycopy(e, 7, values, 8, partnerSegments.size());
          poolTable.add(RowFactory.create(values));
        }
      }
    }
    List<String> poolNames = new ArrayList<>(List.of("p_prog", "p_role", "p_key", "p_organisation", "p_street",
        "p_postal_code", "p_town", "p_country"));
    poolNames.addAll(partnerSegments);
    pool = table(spark, poolTable, poolNames, DataTypes.IntegerType, DataTypes.StringType, DataTypes.IntegerType);
    leadPool = pool.filter(col("p_role").equalTo(LEAD))
        .select("p_prog", "p_key", "p_organisation", "p_street", "p_postal_code", "p_town", "p_country");

    // 4. donors: real projects with a project record, one row per project row (two lead partners: two rows)
    Map<String, List<Row>> donorMap = new TreeMap<>();
    for (Row r : projects) {
      donorMap.computeIfAbsent(r.getString(5), k -> new ArrayList<>()).add(r);
    }
    Map<String, Integer> donorIndex = new HashMap<>();
    List<Row> donorTable = new ArrayList<>();
    List<Row> donorRowTable = new ArrayList<>();
    Map<String, List<Integer>> groupMembers = new TreeMap<>();
    for (var e : donorMap.entrySet()) {
      int d = donorIndex.size();
      donorIndex.put(e.getKey(), d);
      List<Row> rows = e.getValue();
      donorTable.add(RowFactory.create(d, rows.size(), rows.get(0).getString(7)));
      for (int r = 0; r < rows.size(); r++) {
        Row row = rows.get(r);
        Object[] values = new Object[4 + projectSegments.size()];
        values[0] = d;
        values[1] = r;
        values[2] = row.get(8);
        values[3] = row.get(9);
        for (int i = 0; i < projectSegments.size(); i++) {
          values[4 + i] = row.get(10 + i);
        }
        donorRowTable.add(RowFactory.create(values));
      }
      Programme p = programmes.get(rows.get(0).getString(3));
      List<String> keys = new ArrayList<>(List.of("sc:" + p.strand + "|" + p.countries, "s:" + p.strand, "all"));
      for (String country : countries(p)) {
        keys.add("c:" + p.strand + "|" + country);
      }
      for (String g : keys) {
        groupMembers.computeIfAbsent(g, k -> new ArrayList<>()).add(d);
      }
    }
    donors = table(spark, donorTable, List.of("d_idx", "d_nrows", "d_acronym"), DataTypes.IntegerType,
        DataTypes.IntegerType, DataTypes.StringType);
    List<String> donorRowNames = new ArrayList<>(List.of("dr_idx", "dr_r", "dr_start", "dr_end"));
    donorRowNames.addAll(projectSegments);
    donorRows = table(spark, donorRowTable, donorRowNames, DataTypes.IntegerType, DataTypes.IntegerType);
    Map<String, int[]> groups = new HashMap<>(); // key -> {id, size}
    List<Row> groupTable = new ArrayList<>();
    for (var e : groupMembers.entrySet()) {
      int id = groups.size();
      groups.put(e.getKey(), new int[] {id, e.getValue().size()});
      for (int k = 0; k < e.getValue().size(); k++) {
        groupTable.add(RowFactory.create(id, k, e.getValue().get(k)));
      }
    }
    donorGroups = table(spark, groupTable, List.of("g_id", "g_k", "g_d"), DataTypes.IntegerType,
        DataTypes.IntegerType, DataTypes.IntegerType);

    // 5. templates: every real project with partner rows in its programme
    Map<String, Template> templateMap = new TreeMap<>();
    for (Row r : projects) {
      Template t = templateMap.computeIfAbsent(r.getString(5), Template::new);
      if (t.programmeCell == null) {
        t.programmeCell = r.getString(6);
        t.programmeKey = r.getString(3);
        t.period = r.getString(4);
      }
    }
    for (Row r : partners) {
      Template t = templateMap.computeIfAbsent(r.getString(5), Template::new);
      if (t.programmeFromPartners == null) {
        t.programmeFromPartners = r.getString(7);
        if (t.programmeKey == null) {
          t.programmeKey = r.getString(3);
          t.period = r.getString(4);
        }
      }
      t.partnerRows++;
      t.leadRows += r.getBoolean(6) ? 1 : 0;
    }
    // partner counts of the projects of fully exported programmes, per strand
    Map<String, List<Long>> distMembers = new TreeMap<>();
    for (Template t : templateMap.values()) {
      Programme p = programmes.get(t.programmeKey);
      if (!p.leadOnly() && t.partnerRows > 0) {
        distMembers.computeIfAbsent("s:" + p.strand, k -> new ArrayList<>()).add(t.partnerRows);
        distMembers.computeIfAbsent("all", k -> new ArrayList<>()).add(t.partnerRows);
      }
    }
    Map<String, double[]> distInfo = new HashMap<>(); // key -> {id, size, mean}
    List<Row> distTable = new ArrayList<>();
    for (var e : distMembers.entrySet()) {
      int id = distInfo.size();
      double mean = e.getValue().stream().mapToLong(Long::longValue).average().orElse(0);
      distInfo.put(e.getKey(), new double[] {id, e.getValue().size(), mean});
      for (int k = 0; k < e.getValue().size(); k++) {
        distTable.add(RowFactory.create(id, k, e.getValue().get(k)));
      }
    }
    dists = table(spark, distTable, List.of("x_id", "x_k", "x_n"), DataTypes.IntegerType, DataTypes.IntegerType,
        DataTypes.LongType);

    List<Row> templateTable = new ArrayList<>();
    double a = 0;
    double b = 0;
    double c = 0;
    for (Template t : templateMap.values()) {
      Programme p = programmes.get(t.programmeKey);
      if (p.leadPool.isEmpty()) {
        continue; // no partner rows to give its projects
      }
      Integer own = donorIndex.get(t.pid);
      int[] group = null;
      if (own == null) {
        group = groups.get("sc:" + p.strand + "|" + p.countries);
        if (group == null || group[1] < MIN_GROUP) {
          group = null;
          for (String country : countries(p)) {
            int[] g = groups.get("c:" + p.strand + "|" + country);
            if (g != null && g[1] >= MIN_GROUP && (group == null || g[1] > group[1])) {
              group = g;
            }
          }
        }
        if (group == null) {
          group = groups.getOrDefault("s:" + p.strand, groups.get("all"));
        }
      }
      double[] dist = p.leadOnly() ? distInfo.getOrDefault("s:" + p.strand, distInfo.get("all")) : null;
      if (!p.leadOnly()) {
        a += Math.max(t.partnerRows, 1);
      } else {
        b += Math.max(t.leadRows, 1);
        c += dist == null ? Math.max(t.leadRows, 1) : dist[2];
      }
      templateTable.add(RowFactory.create(templateTable.size(),
          t.programmeCell != null ? t.programmeCell : t.programmeFromPartners, p.index, t.period,
          Integer.parseInt(t.period.substring(0, 4)), p.leadOnly(), t.partnerRows, t.leadRows, own,
          group == null ? null : group[0], group == null ? null : (long) group[1],
          dist == null ? null : (int) dist[0], dist == null ? null : (long) dist[1],
          (long) p.leadPool.size(), (long) p.otherPool.size()));
    }
    templates = table(spark, templateTable, List.of("t_idx", "t_programme", "t_prog_idx", "t_period", "t_period_start",
            "t_lead_only", "t_partner_rows", "t_lead_rows", "t_own_donor", "t_dgroup", "t_dgroup_size", "t_dist",
            "t_dist_size", "t_lead_size", "t_other_size"),
        DataTypes.IntegerType, DataTypes.StringType, DataTypes.IntegerType, DataTypes.StringType, DataTypes.IntegerType,
        DataTypes.BooleanType, DataTypes.LongType, DataTypes.LongType, DataTypes.IntegerType, DataTypes.IntegerType,
        DataTypes.LongType, DataTypes.IntegerType, DataTypes.LongType, DataTypes.LongType, DataTypes.LongType);
    templateCount = templateTable.size();
    donorCount = donorTable.size();
    double target = templateCount * (double) GeneratorOptions.PARTICIPATIONS_AT_SF1 / GeneratorOptions.PROJECTS_AT_SF1;
    fullPartnershipShare = c <= b ? 0 : Math.max(0, Math.min(1, (target - a - b) / (c - b)));

    // 6. calls
    List<Row> callTable = new ArrayList<>();
    for (Row r : callList) {
      Object[] values = new Object[2 + callSegments.size()];
      values[0] = callTable.size();
      values[1] = r.get(2);
      for (int i = 0; i < callSegments.size(); i++) {
        values[2 + i] = r.get(3 + i);
      }
      callTable.add(RowFactory.create(values));
    }
    List<String> callNames = new ArrayList<>(List.of("c_idx", "c_sn"));
    callNames.addAll(callSegments);
    calls = table(spark, callTable, callNames, DataTypes.IntegerType, DataTypes.StringType);
    callCount = callTable.size();
  }

  static KeepModel build(SparkSession spark, Map<Kind, Dataset<Row>> real, ProgrammeRules rules) {
    return new KeepModel(spark, real, rules);
  }

  /** Real rows with programme, period and project keys; rows the ingestion would reject are left out. */
  static Dataset<Row> keyed(Dataset<Row> bronze) {
    return bronze.filter(col(CsvSources.CORRUPT).isNull())
        .withColumn("_file", regexp_extract(col(CsvSources.SOURCE_FILE), "([^/]*)$", 1))
        .withColumn("_programme", KeepNormalise.programme(col("programme")))
        .withColumn("_prog_key", KeepNormalise.programmeKey(col("_programme")))
        .withColumn("_period", KeepNormalise.periodFromProgramme(col("_programme")))
        .withColumn("_pid", KeepSilver.projectId(col("_prog_key"), blankToNull(col("acronym"))))
        .filter(col("_pid").isNotNull().and(col("_period").isNotNull()));
  }

  private static Programme programme(Map<String, Programme> programmes, String key, String name) {
    Programme p = programmes.computeIfAbsent(key, Programme::new);
    if (p.name == null) {
      p.name = name;
    }
    return p;
  }

  private static List<String> countries(Programme p) {
    return p.countries.isEmpty() ? List.of() : List.of(p.countries.split("-"));
  }

  /**
   * Rows in file order (by file name, first column, then record number, second), each with its
   * layout cells (from {@code fixed} on) replaced by the rendered segments.
   */
  private static List<Row> rendered(List<Row> rows, int fixed, Kind kind, Set<Integer> overrides) {
    List<Row> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      String[] segments = KeepLayout.renderSegments(kind, overrides, r, fixed);
      Object[] values = new Object[fixed + segments.length];
      for (int i = 0; i < fixed; i++) {
        values[i] = r.get(i);
      }
      System.arraycopy(segments, 0, values, fixed, segments.length);
      out.add(RowFactory.create(values));
    }
    out.sort(Comparator.<Row, String>comparing(r -> r.getString(0)).thenComparingLong(r -> r.getLong(1)));
    return out;
  }

  /** A local table; columns without a given type are strings. */
  private static Dataset<Row> table(SparkSession spark, List<Row> rows, List<String> names, DataType... types) {
    List<StructField> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      fields.add(DataTypes.createStructField(names.get(i), i < types.length ? types[i] : DataTypes.StringType, true));
    }
    return spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
  }

  /** A seeded 64-bit mix of a salt, a text and a number (SplitMix64 finaliser over FNV-1a). */
  static long mix(long seed, String salt, String text, long number) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte x : (salt + "\u0000" + text).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (x & 0xff)) * 0x100000001b3L;
    }
    h ^= number;
    h += 0x9e3779b97f4a7c15L;
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  /** Facts for generator.properties. */
  Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("real_template_projects", Long.toString(templateCount));
    facts.put("real_donor_projects", Long.toString(donorCount));
    facts.put("real_calls", Long.toString(callCount));
    facts.put("real_partner_rows", Long.toString(realPartnerRows));
    facts.put("duplicate_partner_row_rate", String.format(java.util.Locale.ROOT, "%.6f", duplicateRate));
    facts.put("full_partnership_share_of_lead_only_programmes",
        String.format(java.util.Locale.ROOT, "%.4f", fullPartnershipShare));
    return facts;
  }
}
