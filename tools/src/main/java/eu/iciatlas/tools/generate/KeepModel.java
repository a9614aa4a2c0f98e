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
  /** The prefix of the columns {@link #named} selects (see there). */
  private static final String FIELD = "_model_";
  /** Project columns the generator overrides: programme, acronym, lead partner and its address, period, dates. */
  static final Set<Integer> PROJECT_OVERRIDES = KeepLayout.positions(Kind.PROJECTS, "Programme", "Acronym", "Lead Partner",
      "Period", "Street", "Postal code", "Town", "Country", "Project start", "Project end");
  /** Partner columns the generator overrides: programme, acronym, lead flag. */
  static final Set<Integer> PARTNER_OVERRIDES = KeepLayout.positions(Kind.PARTNERS, "Programme", "Acronym", "Lead Partner");
  /** Call columns the generator overrides: serial number. */
  static final Set<Integer> CALL_OVERRIDES = KeepLayout.positions(Kind.CALLS, "Serial Number");

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

  /** A real partner row, keyed as the ingestion keys it, with the cells the generator copies rendered ({@code segments}). */
  private record RealPartner(String file, long record, String programme, String programmeKey, String period, String projectId,
      boolean lead, String programmeCell, String organisation, String street, String postalCode, String town, String country,
      String department, String nuts3, String leadCell, String[] segments) {
    static Column[] columns() {
      return named(col("_file"), "file", col(CsvSources.SOURCE_ROW), "record", col("_programme"), "programme",
          col("_prog_key"), "programmeKey", col("_period"), "period", col("_pid"), "projectId",
          coalesce(KeepNormalise.yesNo(col("lead_partner")), lit(false)), "lead", col("programme"), "programmeCell",
          col("organisation"), "organisation", col("street"), "street", col("postal_code"), "postalCode", col("town"), "town",
          col("country"), "country", col("department"), "department", col("nuts3"), "nuts3", col("lead_partner"), "leadCell");
    }

    static RealPartner of(Row r, String[] segments) {
      return new RealPartner(field(r, "file"), KeepModel.<Long>field(r, "record"), field(r, "programme"),
          field(r, "programmeKey"), field(r, "period"), field(r, "projectId"), KeepModel.<Boolean>field(r, "lead"),
          field(r, "programmeCell"), field(r, "organisation"), field(r, "street"), field(r, "postalCode"), field(r, "town"),
          field(r, "country"), field(r, "department"), field(r, "nuts3"), field(r, "leadCell"), segments);
    }
  }

  /** A real project row, keyed as the ingestion keys it, with its copied cells rendered. */
  private record RealProject(String file, long record, String programme, String programmeKey, String period, String projectId,
      String programmeCell, String acronym, String start, String end, String[] segments) {
    static Column[] columns() {
      return named(col("_file"), "file", col(CsvSources.SOURCE_ROW), "record", col("_programme"), "programme",
          col("_prog_key"), "programmeKey", col("_period"), "period", col("_pid"), "projectId", col("programme"), "programmeCell",
          col("acronym"), "acronym", col("project_start"), "start", col("project_end"), "end");
    }

    static RealProject of(Row r, String[] segments) {
      return new RealProject(field(r, "file"), KeepModel.<Long>field(r, "record"), field(r, "programme"),
          field(r, "programmeKey"), field(r, "period"), field(r, "projectId"), field(r, "programmeCell"), field(r, "acronym"),
          field(r, "start"), field(r, "end"),
          segments);
    }
  }

  /** A real call row with its copied cells rendered. */
  private record RealCall(String file, long record, String serialNumber, String[] segments) {
    static Column[] columns() {
      return named(col("_file"), "file", col(CsvSources.SOURCE_ROW), "record", col("call_serial_number"), "serialNumber");
    }

    static RealCall of(Row r, String[] segments) {
      return new RealCall(field(r, "file"), KeepModel.<Long>field(r, "record"), field(r, "serialNumber"), segments);
    }
  }

  /** A distinct partner of a programme and role: its place in the pseudo-random order, and the cells it gives a project. */
  private record PoolEntry(long order, String origin, String[] address, String[] segments) {}

  private static final class Programme {
    final String key;
    String name;
    int index;
    String strand = "cross_border";
    String countries = "";
    long partnerRows;
    long leadRows;
    final List<PoolEntry> leadPool = new ArrayList<>();
    final List<PoolEntry> otherPool = new ArrayList<>();

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

    Template(String pid) {
      this.pid = pid;
    }
  }

  private record PartnerPool(Dataset<Row> pool, Dataset<Row> leadPool, long realPartnerRows, double duplicateRate) {}

  /** Donor tables, and for the templates: each donor's index by project id, each group's id and size by key. */
  private record Donors(Dataset<Row> donors, Dataset<Row> donorRows, Dataset<Row> donorGroups, long count,
      Map<String, Integer> index, Map<String, int[]> groups) {}

  private record Templates(Dataset<Row> templates, Dataset<Row> dists, long count, double fullPartnershipShare) {}

  private KeepModel(SparkSession spark, Map<Kind, Dataset<Row>> real, ProgrammeRules rules) {
    // 1. normalise with the ingestion's expressions (Spark), collect, render the copied cells once (driver)
    Dataset<Row> partnerRows = keyed(real.get(Kind.PARTNERS)).filter(blankToNull(col("organisation")).isNotNull());
    List<RealPartner> partners = rendered(partnerRows, RealPartner.columns(), Kind.PARTNERS, PARTNER_OVERRIDES).stream()
        .map(r -> RealPartner.of(r.row(), r.segments())).toList();
    List<RealProject> projects = rendered(keyed(real.get(Kind.PROJECTS)), RealProject.columns(), Kind.PROJECTS,
        PROJECT_OVERRIDES).stream().map(r -> RealProject.of(r.row(), r.segments())).toList();
    Dataset<Row> callRows = real.get(Kind.CALLS).filter(col(CsvSources.CORRUPT).isNull())
        .withColumn("_file", regexp_extract(col(CsvSources.SOURCE_FILE), "([^/]*)$", 1))
        .filter(KeepNormalise.periodFromProgramme(KeepNormalise.programme(col("programme"))).isNotNull()
            .and(blankToNull(col("call_serial_number")).isNotNull()));
    List<RealCall> callList = rendered(callRows, RealCall.columns(), Kind.CALLS, CALL_OVERRIDES).stream()
        .map(r -> RealCall.of(r.row(), r.segments())).toList();

    Map<String, Programme> programmes = programmes(spark, projects, partners, rules);
    PartnerPool partnerPool = partnerPool(spark, partners, programmes);
    pool = partnerPool.pool();
    leadPool = partnerPool.leadPool();
    realPartnerRows = partnerPool.realPartnerRows();
    duplicateRate = partnerPool.duplicateRate();
    Donors donorTables = donors(spark, projects, programmes);
    donors = donorTables.donors();
    donorRows = donorTables.donorRows();
    donorGroups = donorTables.donorGroups();
    donorCount = donorTables.count();
    Templates templateTables = templates(spark, projects, partners, programmes, donorTables);
    templates = templateTables.templates();
    dists = templateTables.dists();
    templateCount = templateTables.count();
    fullPartnershipShare = templateTables.fullPartnershipShare();
    calls = calls(spark, callList);
    callCount = callList.size();
  }

  /** 2. Programmes: strand and countries with the pipeline's rules (one small Spark job), an index each. */
  private static Map<String, Programme> programmes(SparkSession spark, List<RealProject> projects, List<RealPartner> partners,
      ProgrammeRules rules) {
    Map<String, Programme> programmes = new TreeMap<>();
    for (RealProject r : projects) {
      programme(programmes, r.programmeKey(), r.programme());
    }
    for (RealPartner r : partners) {
      Programme p = programme(programmes, r.programmeKey(), r.programme());
      p.partnerRows++;
      p.leadRows += r.lead() ? 1 : 0;
    }
    if (!programmes.isEmpty()) {
      List<String> names = new ArrayList<>();
      programmes.values().forEach(p -> names.add(p.name));
      List<Row> classified = spark.createDataset(names, Encoders.STRING()).toDF("programme")
          .select(col("programme"), rules.strand(col("programme")).as("strand"),
              concat_ws("-", rules.countries(col("programme"))).as("countries"))
          .collectAsList();
      Map<String, Row> byName = new HashMap<>();
      classified.forEach(r -> byName.put(r.getAs("programme"), r));
      int index = 0;
      for (Programme p : programmes.values()) {
        p.index = index++;
        p.strand = byName.get(p.name).getAs("strand");
        p.countries = byName.get(p.name).getAs("countries");
      }
    }
    return programmes;
  }

  /**
   * 3. The partner pool: distinct rows per programme and role, in a fixed pseudo-random order (the generator's seed picks
   * where in it a project starts); and the share of real partner rows the ingestion drops as duplicates.
   */
  private static PartnerPool partnerPool(SparkSession spark, List<RealPartner> partners, Map<String, Programme> programmes) {
    Set<List<Object>> seen = new HashSet<>();
    Set<List<Object>> distinctRows = new HashSet<>();
    for (RealPartner r : partners) {
      // the ingestion's duplicate key: project, organisation, town, postal code, department, lead flag, NUTS 3, street
      distinctRows.add(Arrays.asList(r.projectId(), r.organisation(), r.town(), r.postalCode(), r.department(), r.leadCell(),
          r.nuts3(), r.street()));
      if (!seen.add(Arrays.asList(r.programmeKey(), r.lead(), r.organisation(), r.town(), r.postalCode(), r.department(),
          r.nuts3(), r.street()))) {
        continue;
      }
      PoolEntry entry = new PoolEntry(mix(0, "pool", r.file(), r.record()), r.file() + "#" + r.record(),
          new String[] {r.organisation(), r.street(), r.postalCode(), r.town(), r.country()}, r.segments());
      Programme p = programmes.get(r.programmeKey());
      (r.lead() ? p.leadPool : p.otherPool).add(entry);
    }
    double duplicateRate = partners.isEmpty() ? 0 : (partners.size() - distinctRows.size()) / (double) partners.size();
    List<String> segments = KeepLayout.segmentNames(Kind.PARTNERS, PARTNER_OVERRIDES, PARTNER_SEGMENT);
    List<Row> poolTable = new ArrayList<>();
    for (Programme p : programmes.values()) {
      for (String role : List.of(LEAD, OTHER)) {
        List<PoolEntry> entries = role.equals(LEAD) ? p.leadPool : p.otherPool;
        entries.sort(Comparator.comparingLong(PoolEntry::order).thenComparing(PoolEntry::origin));
        for (int k = 0; k < entries.size(); k++) {
          PoolEntry e = entries.get(k);
          String[] a = e.address();
          poolTable.add(rowWithSegments(e.segments(), p.index, role, k, a[0], a[1], a[2], a[3], a[4]));
        }
      }
    }
    List<String> poolNames = new ArrayList<>(List.of("p_prog", "p_role", "p_key", "p_organisation", "p_street",
        "p_postal_code", "p_town", "p_country"));
    poolNames.addAll(segments);
    Dataset<Row> pool = table(spark, poolTable, poolNames, DataTypes.IntegerType, DataTypes.StringType, DataTypes.IntegerType);
    Dataset<Row> leadPool = pool.filter(col("p_role").equalTo(LEAD))
        .select("p_prog", "p_key", "p_organisation", "p_street", "p_postal_code", "p_town", "p_country");
    return new PartnerPool(pool, leadPool, partners.size(), duplicateRate);
  }

  /**
   * 4. Donors: real projects with a project record, one row per project row (two lead partners: two rows), and the
   * groups of donors by strand and country set, strand and country, strand, and all.
   */
  private static Donors donors(SparkSession spark, List<RealProject> projects, Map<String, Programme> programmes) {
    List<String> segments = KeepLayout.segmentNames(Kind.PROJECTS, PROJECT_OVERRIDES, PROJECT_SEGMENT);
    Map<String, List<RealProject>> donorMap = new TreeMap<>();
    for (RealProject r : projects) {
      donorMap.computeIfAbsent(r.projectId(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Integer> donorIndex = new HashMap<>();
    List<Row> donorTable = new ArrayList<>();
    List<Row> donorRowTable = new ArrayList<>();
    Map<String, List<Integer>> groupMembers = new TreeMap<>();
    for (var e : donorMap.entrySet()) {
      int d = donorIndex.size();
      donorIndex.put(e.getKey(), d);
      List<RealProject> rows = e.getValue();
      donorTable.add(RowFactory.create(d, rows.size(), rows.get(0).acronym()));
      for (int r = 0; r < rows.size(); r++) {
        RealProject row = rows.get(r);
        donorRowTable.add(rowWithSegments(row.segments(), d, r, row.start(), row.end()));
      }
      Programme p = programmes.get(rows.get(0).programmeKey());
      List<String> keys = new ArrayList<>(List.of("sc:" + p.strand + "|" + p.countries, "s:" + p.strand, "all"));
      for (String country : countries(p)) {
        keys.add("c:" + p.strand + "|" + country);
      }
      for (String g : keys) {
        groupMembers.computeIfAbsent(g, k -> new ArrayList<>()).add(d);
      }
    }
    Dataset<Row> donors = table(spark, donorTable, List.of("d_idx", "d_nrows", "d_acronym"), DataTypes.IntegerType,
        DataTypes.IntegerType, DataTypes.StringType);
    List<String> donorRowNames = new ArrayList<>(List.of("dr_idx", "dr_r", "dr_start", "dr_end"));
    donorRowNames.addAll(segments);
    Dataset<Row> donorRows = table(spark, donorRowTable, donorRowNames, DataTypes.IntegerType, DataTypes.IntegerType);
    Map<String, int[]> groups = new HashMap<>(); // key -> {id, size}
    List<Row> groupTable = new ArrayList<>();
    for (var e : groupMembers.entrySet()) {
      int id = groups.size();
      groups.put(e.getKey(), new int[] {id, e.getValue().size()});
      for (int k = 0; k < e.getValue().size(); k++) {
        groupTable.add(RowFactory.create(id, k, e.getValue().get(k)));
      }
    }
    Dataset<Row> donorGroups = table(spark, groupTable, List.of("g_id", "g_k", "g_d"), DataTypes.IntegerType,
        DataTypes.IntegerType, DataTypes.IntegerType);
    return new Donors(donors, donorRows, donorGroups, donorTable.size(), donorIndex, groups);
  }

  /**
   * 5. Templates: every real project with partner rows in its programme, with its donor group and, for programmes whose
   * export holds only lead partners, the partner-count distribution of its strand; and the share q of those that draw
   * from it, set so that SF 1 has the participations of {@link GeneratorOptions#PARTICIPATIONS_AT_SF1}.
   */
  private static Templates templates(SparkSession spark, List<RealProject> projects, List<RealPartner> partners,
      Map<String, Programme> programmes, Donors donors) {
    Map<String, Template> templateMap = new TreeMap<>();
    for (RealProject r : projects) {
      Template t = templateMap.computeIfAbsent(r.projectId(), Template::new);
      if (t.programmeCell == null) {
        t.programmeCell = r.programmeCell();
        t.programmeKey = r.programmeKey();
        t.period = r.period();
      }
    }
    for (RealPartner r : partners) {
      Template t = templateMap.computeIfAbsent(r.projectId(), Template::new);
      if (t.programmeFromPartners == null) {
        t.programmeFromPartners = r.programmeCell();
        if (t.programmeKey == null) {
          t.programmeKey = r.programmeKey();
          t.period = r.period();
        }
      }
      t.partnerRows++;
      t.leadRows += r.lead() ? 1 : 0;
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
    Dataset<Row> dists = table(spark, distTable, List.of("x_id", "x_k", "x_n"), DataTypes.IntegerType, DataTypes.IntegerType,
        DataTypes.LongType);

    List<Row> templateTable = new ArrayList<>();
    double fullRows = 0; // participations of the templates of fully exported programmes
    double leadRows = 0; // of the lead-only ones, as exported
    double drawnRows = 0; // of the lead-only ones, all drawn from their strand's distribution
    for (Template t : templateMap.values()) {
      Programme p = programmes.get(t.programmeKey);
      if (p.leadPool.isEmpty()) {
        continue; // no partner rows to give its projects
      }
      Integer own = donors.index().get(t.pid);
      int[] group = own == null ? donorGroup(donors.groups(), p) : null;
      double[] dist = p.leadOnly() ? distInfo.getOrDefault("s:" + p.strand, distInfo.get("all")) : null;
      if (!p.leadOnly()) {
        fullRows += Math.max(t.partnerRows, 1);
      } else {
        leadRows += Math.max(t.leadRows, 1);
        drawnRows += dist == null ? Math.max(t.leadRows, 1) : dist[2];
      }
      templateTable.add(RowFactory.create(templateTable.size(),
          t.programmeCell != null ? t.programmeCell : t.programmeFromPartners, p.index, t.period,
          Integer.parseInt(t.period.substring(0, 4)), p.leadOnly(), t.partnerRows, t.leadRows, own,
          group == null ? null : group[0], group == null ? null : (long) group[1],
          dist == null ? null : (int) dist[0], dist == null ? null : (long) dist[1],
          (long) p.leadPool.size(), (long) p.otherPool.size()));
    }
    Dataset<Row> templates = table(spark, templateTable, List.of("t_idx", "t_programme", "t_prog_idx", "t_period",
            "t_period_start", "t_lead_only", "t_partner_rows", "t_lead_rows", "t_own_donor", "t_dgroup", "t_dgroup_size",
            "t_dist", "t_dist_size", "t_lead_size", "t_other_size"),
        DataTypes.IntegerType, DataTypes.StringType, DataTypes.IntegerType, DataTypes.StringType, DataTypes.IntegerType,
        DataTypes.BooleanType, DataTypes.LongType, DataTypes.LongType, DataTypes.IntegerType, DataTypes.IntegerType,
        DataTypes.LongType, DataTypes.IntegerType, DataTypes.LongType, DataTypes.LongType, DataTypes.LongType);
    double target = templateTable.size() * (double) GeneratorOptions.PARTICIPATIONS_AT_SF1 / GeneratorOptions.PROJECTS_AT_SF1;
    double share = drawnRows <= leadRows ? 0 : Math.max(0, Math.min(1, (target - fullRows - leadRows) / (drawnRows - leadRows)));
    return new Templates(templates, dists, templateTable.size(), share);
  }

  /**
   * The donors of a template without a project record: those of its strand and country set (at least {@value #MIN_GROUP}),
   * else of its strand and the programme country with most such donors, else of its strand, else all.
   */
  private static int[] donorGroup(Map<String, int[]> groups, Programme p) {
    int[] group = groups.get("sc:" + p.strand + "|" + p.countries);
    if (group == null || group[1] < MIN_GROUP) {
      group = null;
      for (String country : countries(p)) {
        int[] g = groups.get("c:" + p.strand + "|" + country);
        if (g != null && g[1] >= MIN_GROUP && (group == null || g[1] > group[1])) {
          group = g;
        }
      }
    }
    return group != null ? group : groups.getOrDefault("s:" + p.strand, groups.get("all"));
  }

  /** 6. Calls: serial number and copied cells of every real call. */
  private static Dataset<Row> calls(SparkSession spark, List<RealCall> callList) {
    List<String> segments = KeepLayout.segmentNames(Kind.CALLS, CALL_OVERRIDES, CALL_SEGMENT);
    List<Row> callTable = new ArrayList<>();
    for (RealCall r : callList) {
      callTable.add(rowWithSegments(r.segments(), callTable.size(), r.serialNumber()));
    }
    List<String> callNames = new ArrayList<>(List.of("c_idx", "c_sn"));
    callNames.addAll(segments);
    return table(spark, callTable, callNames, DataTypes.IntegerType, DataTypes.StringType);
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

  /** A collected real row (its fixed columns) and its rendered copied cells. */
  private record Rendered(Row row, String[] segments) {}

  /**
   * The rows of {@code real} in file order (by file name, then record number), each with its fixed {@code columns} and its
   * layout cells rendered into segments.
   */
  private static List<Rendered> rendered(Dataset<Row> real, Column[] columns, Kind kind, Set<Integer> overrides) {
    List<Column> select = new ArrayList<>(Arrays.asList(columns));
    select.addAll(Arrays.asList(KeepLayout.cells(real, kind)));
    List<Rendered> out = new ArrayList<>();
    for (Row r : real.select(select.toArray(new Column[0])).collectAsList()) {
      out.add(new Rendered(r, KeepLayout.renderSegments(kind, overrides, r, columns.length)));
    }
    out.sort(Comparator.<Rendered, String>comparing(r -> KeepModel.<String>field(r.row(), "file"))
        .thenComparingLong(r -> KeepModel.<Long>field(r.row(), "record")));
    return out;
  }

  /**
   * Columns aliased by name ({@code column, name, column, name, ...}) for a record to read with {@link #field}. The
   * aliases carry a prefix: the layout cells selected after them have the canonical names ({@code programme},
   * {@code period}), and a row looked up by a name that occurs twice gives the last column of that name.
   */
  private static Column[] named(Object... columnsAndNames) {
    Column[] out = new Column[columnsAndNames.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Column) columnsAndNames[2 * i]).as(FIELD + columnsAndNames[2 * i + 1]);
    }
    return out;
  }

  /** The value of a column {@link #named} selected. */
  private static <T> T field(Row row, String name) {
    return row.getAs(FIELD + name);
  }

  /**
   * A row of a local table: its fixed columns (in the order of the names listed with the table), then the copied-cell
   * segments ({@link KeepLayout#segmentNames}).
   */
  private static Row rowWithSegments(String[] segments, Object... fixed) {
    Object[] values = Arrays.copyOf(fixed, fixed.length + segments.length);
    System.arraycopy(segments, 0, values, fixed.length, segments.length);
    return RowFactory.create(values);
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
