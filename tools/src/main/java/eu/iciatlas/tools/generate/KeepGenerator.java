package eu.iciatlas.tools.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.generate.ExportGenerator;
import eu.iciatlas.common.generate.GeneratorOptions;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.InputFiles;
import eu.iciatlas.common.io.InputSniffer;
import eu.iciatlas.common.keep.KeepBronze;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.keep.ProgrammeRules;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * KeepGenerator: a Keep.eu export of any size, in the real layout, for benchmarks and invariance
 * checks.
 *
 * <p>Inputs: real Keep.eu exports ({@link GeneratorOptions#sources}, the bundled sample), read with
 * the ingestion's own reader ({@link KeepBronze}). Output, under {@code DIR/}:
 * {@code projects/keep_projects_NNNNN.csv}, {@code partners/keep_partners_NNNNN.csv},
 * {@code calls/keep_calls_NNNNN.csv} (or {@code .csv.gz}) with the 2019 export's headers (49, 15
 * and 5 columns) in Keep.eu's CSV dialect ({@link KeepLayout}), and {@code generator.properties}
 * (options, row counts, files, the fitted parameters). {@code ingest --keep DIR} reads it as is.
 *
 * <p>Synthetic mode (scale factor SF): {@code round(35,000 x SF)} projects, about 150,000 x SF
 * participations and calls in the real calls-per-project ratio. Every value is real: project i
 * takes a real template project (programme cell, period, partner count), a real donor project
 * (titles, descriptions in their languages, expected results, themes, budgets, dates shifted to
 * the template's period, call), real partner rows of the template's programme (organisation,
 * address, country, NUTS cells, legal status) and real calls, all chosen by
 * {@code xxhash64(seed, salt, i)}; see {@link KeepModel}. Its acronym is the donor's plus
 * {@code -<i+1>}, so acronyms are unique. Dirty cells come with the real cells that carry them
 * (NUTS {@code "CODE  / Name"}, country {@code "EE Estonia / EESTI"}, comma thousands, LF in quoted
 * cells, quotes in acronyms, programme names with en dash or trailing dot/space, mixed-case legal
 * status, NUTS codes outside the Keep.eu version, two lead partners), and exact duplicate partner
 * rows are repeated at the real rate; KeepDirtyCells (a test class) measures the rates of both.
 *
 * <p>Replicate mode (k): every real row, k times; copy c > 1 has {@code " -R<c>"} appended to
 * acronyms and call serial numbers (the space keeps the ingestion's acronym key of rows that differ
 * only in quotes or spaces equal), copy c in part file c - 1.
 *
 * <p>Determinism and scale: no {@code rand()}, no collect of generated rows. Only the real rows
 * (tens of thousands, whatever the scale) are collected, indexed on the driver and broadcast as
 * local tables; partition p of a {@code spark.range} holds the projects of file p, every join is a
 * broadcast join and every draw a hash of (seed, salt, project index), so the rows of project i
 * depend on the seed and i only and a seed gives byte-identical files on any cluster. The job fails
 * if a plan would shuffle generated rows. The output is written by Spark's text writer, one file
 * per part, in parallel.
 */
public final class KeepGenerator {
  /**
   * What a run wrote; counts exclude header rows. {@code projects}: synthetic, the generated
   * projects (each with a project record and a lead partner); replicate, k x the real project keys
   * (programme + acronym) of the sources, including projects whose only rows the ingestion
   * quarantines (2 in the bundled sample).
   */
  public record Outcome(String output, long projects, long projectRows, long partnerRows, long callRows,
      List<String> files, long bytes, Map<String, String> facts) {}

  private KeepGenerator() {}

  /** The generator as the 'generate' verb finds it ({@link ExportGenerator#onClassPath}). */
  public static final class Service implements ExportGenerator {
    @Override
    public String generate(SparkSession spark, GeneratorOptions options, Progress progress) {
      Outcome outcome = KeepGenerator.generate(spark, options, progress);
      return String.format(java.util.Locale.ROOT, "generated %,d projects: %,d project rows, %,d partner rows, %,d call rows,"
          + " %,d bytes in %d files under %s", outcome.projects(), outcome.projectRows(), outcome.partnerRows(),
          outcome.callRows(), outcome.bytes(), outcome.files().size(), InputSniffer.display(outcome.output()));
    }
  }

  public static Outcome generate(SparkSession spark, GeneratorOptions options) {
    return generate(spark, options, Progress.toStderr());
  }

  public static Outcome generate(SparkSession spark, GeneratorOptions options, Progress progress) {
    Instant start = Instant.now();
    try (Persisted persisted = new Persisted()) { // released also when the generation fails
      Map<Kind, Dataset<Row>> real = readSources(spark, options.sources(), persisted, progress);
      progress.stage("read real Keep.eu exports", options.sources().size() + " source(s)", start);
      return generate(spark, options, real, progress);
    }
  }

  /** The real exports as the ingestion reads them (bronze, canonical columns), kept in {@code persisted}. */
  public static Map<Kind, Dataset<Row>> readSources(SparkSession spark, List<String> sources, Persisted persisted,
      Progress progress) {
    List<String> files = InputFiles.expand("--source", sources, List.of("csv", "xlsx"),
        spark.sparkContext().hadoopConfiguration());
    Map<Kind, Dataset<Row>> bronze = KeepBronze.read(spark, files, "generator", Timestamp.from(Instant.EPOCH),
        progress::info);
    Map<Kind, Dataset<Row>> cached = new EnumMap<>(Kind.class);
    for (var e : bronze.entrySet()) {
      cached.put(e.getKey(), persisted.keep(e.getValue(), StorageLevel.MEMORY_AND_DISK()));
    }
    return cached;
  }

  /** Generation from real exports already read with {@link #readSources}. */
  public static Outcome generate(SparkSession spark, GeneratorOptions options, Map<Kind, Dataset<Row>> real,
      Progress progress) {
    return options.replicate() > 0 ? replicate(spark, options, real, progress) : synthetic(spark, options, real, progress);
  }

  // ---------------------------------------------------------------- replicate mode

  private static Outcome replicate(SparkSession spark, GeneratorOptions options, Map<Kind, Dataset<Row>> real,
      Progress progress) {
    int k = options.replicate();
    Map<String, String> facts = new LinkedHashMap<>();
    Map<Kind, Long> rows = new EnumMap<>(Kind.class);
    List<GeneratedFiles.WrittenFile> files = new ArrayList<>();
    Dataset<Row> copies = spark.range(1, k + 1, 1, k).toDF("_copy");
    for (Kind kind : Kind.values()) {
      Instant start = Instant.now();
      String keyColumn = kind == Kind.CALLS ? "call_serial_number" : "acronym";
      Dataset<Row> source = real.get(kind)
          .withColumn("_file", org.apache.spark.sql.functions.regexp_extract(col(CsvSources.SOURCE_FILE), "([^/]*)$", 1))
          .withColumn("_ord", row_number().over(Window.orderBy(col("_file"), col(CsvSources.SOURCE_ROW))).cast("long"));
      source = KeepLayout.segments(source, kind, Set.of(1), "rseg");
      List<Column> keep = new ArrayList<>(List.of(col("_ord"), col(keyColumn).as("_key_cell")));
      for (String c : source.columns()) {
        if (c.startsWith("rseg")) {
          keep.add(col(c));
        }
      }
      String name = name(kind);
      long realRows;
      try (Persisted perTable = new Persisted()) { // released also when the write fails
        Dataset<Row> small = perTable.keep(source.select(keep.toArray(new Column[0]))
            .unionByName(spark.range(1).select(lit(0L).as("_ord")), true), StorageLevel.MEMORY_AND_DISK());
        realRows = small.count() - 1;
        Column key = when(col("_copy").gt(1).and(col("_key_cell").isNotNull()),
            concat(col("_key_cell"), lit(" -R"), col("_copy").cast("string"))).otherwise(col("_key_cell"));
        Column line = when(col("_ord").equalTo(0), lit(KeepLayout.headerLine(kind)))
            .otherwise(KeepLayout.line(kind, Map.of(1, key), "rseg"));
        Dataset<Row> lines = copies.crossJoin(broadcast(small))
            .sortWithinPartitions("_ord")
            .select(line.as("value"));
        files.addAll(GeneratedFiles.write(spark, lines, k, options.output() + "/" + name, "keep_" + name, options.gzip()));
      }
      rows.put(kind, realRows * k);
      facts.put("real_rows." + name, Long.toString(realRows));
      progress.stage("replicate " + name, k + " x " + realRows + " rows", start);
    }
    long realProjects = KeepModel.keyed(real.get(Kind.PROJECTS)).select("_pid")
        .unionByName(KeepModel.keyed(real.get(Kind.PARTNERS)).select("_pid")).distinct().count();
    facts.put("real_projects", Long.toString(realProjects));
    return finish(spark, options, realProjects * k, rows, files, facts);
  }

  // ---------------------------------------------------------------- synthetic mode

  /** The distributions of real exports already read with {@link #readSources}; independent of scale and seed. */
  static KeepModel fit(SparkSession spark, GeneratorOptions options, Map<Kind, Dataset<Row>> real, Progress progress) {
    Instant start = Instant.now();
    KeepModel model = KeepModel.build(spark, real, new ProgrammeRules(new ConfFiles(options.confDir())));
    if (model.templateCount == 0 || model.donorCount == 0) {
      throw new InputException("--source " + options.sources() + ": the synthetic generator needs a Keep.eu projects"
          + " export (donors of text) and a partners export (templates and partners); found " + model.donorCount
          + " project(s) with a project record and " + model.templateCount + " project(s) with partner rows");
    }
    progress.stage("fit distributions of the real export", model.templateCount + " templates, " + model.donorCount
        + " donors, q " + model.facts().get("full_partnership_share_of_lead_only_programmes"), start);
    return model;
  }

  private static Outcome synthetic(SparkSession spark, GeneratorOptions options, Map<Kind, Dataset<Row>> real,
      Progress progress) {
    return synthetic(spark, options, fit(spark, options, real, progress), progress);
  }

  /** A synthetic export from a fitted model (several scales or seeds from one fit). */
  static Outcome synthetic(SparkSession spark, GeneratorOptions options, KeepModel model, Progress progress) {
    Map<String, String> facts = model.facts();
    long seed = options.seed();
    long projects = options.projects();
    int parts = (int) Math.max(1, Math.ceil(projects / (double) options.projectsPerFile()));
    Map<Kind, Long> rows = new EnumMap<>(Kind.class);
    List<GeneratedFiles.WrittenFile> files = new ArrayList<>();
    Dataset<Row> plan = projectPlan(spark, model, seed, projects, parts);

    Instant projectStart = Instant.now();
    Dataset<Row> projectIndex = plan
        .withColumn("_r", explode(sequence(lit(0L), greatest(coalesce(col("d_nrows"), lit(1L)), lit(1L)).minus(1))));
    Map<Integer, Column> projectCells = new HashMap<>();
    projectCells.put(0, col("t_programme"));
    projectCells.put(1, col("_acronym"));
    projectCells.put(5, col("p_organisation"));
    projectCells.put(6, col("t_period"));
    projectCells.put(7, col("p_street"));
    projectCells.put(8, col("p_postal_code"));
    projectCells.put(9, col("p_town"));
    projectCells.put(10, col("p_country"));
    projectCells.put(43, shiftYear(col("dr_start"), col("_shift")));
    projectCells.put(44, shiftYear(col("dr_end"), col("_shift")));
    Dataset<Row> projectLines = projectIndex
        .join(broadcast(model.donorRows), col("_d").equalTo(col("dr_idx")).and(col("_r").equalTo(col("dr_r"))), "left")
        .withColumn("_lk", pmod(col("_ha").plus(col("_r")), col("t_lead_size")))
        .join(broadcast(model.leadPool), col("t_prog_idx").equalTo(col("p_prog")).and(col("_lk").equalTo(col("p_key"))), "left")
        .sortWithinPartitions("_k", "_r");
    files.addAll(writeLines(spark, options, progress, Kind.PROJECTS, projectLines, projectCells, KeepModel.PROJECT_SEGMENT,
        parts, projectStart));

    Instant partnerStart = Instant.now();
    Column isLead = col("_j").lt(col("_nl"));
    Column fromLeadPool = isLead.or(col("_fallback"));
    Column duplicated = col("_i").isNotNull().and(pmod(hash(seed, "dup", col("_i"), col("_j")), lit(1_000_000_000L))
        .lt(lit(Math.round(model.duplicateRate * 1e9))));
    Dataset<Row> partnerIndex = plan
        .withColumn("_j", explode(sequence(lit(0L), greatest(coalesce(col("_n"), lit(1L)), lit(1L)).minus(1))))
        .withColumn("_is_lead", isLead)
        .withColumn("_role", when(fromLeadPool, lit(KeepModel.LEAD)).otherwise(lit(KeepModel.OTHER)))
        .withColumn("_pk", when(fromLeadPool, pmod(col("_ha").plus(col("_j")), col("t_lead_size")))
            .otherwise(pmod(col("_hb").plus(col("_j")).minus(col("_nl")), col("t_other_size"))))
        .withColumn("_dup", explode(when(duplicated, array(lit(0), lit(1))).otherwise(array(lit(0)))));
    Map<Integer, Column> partnerCells = Map.of(0, col("t_programme"), 1, col("_acronym"),
        3, when(col("_is_lead"), lit("Yes")).otherwise(lit("No")));
    Dataset<Row> partnerLines = partnerIndex
        .join(broadcast(model.pool), col("t_prog_idx").equalTo(col("p_prog")).and(col("_role").equalTo(col("p_role")))
            .and(col("_pk").equalTo(col("p_key"))), "left")
        .sortWithinPartitions("_k", "_j", "_dup");
    files.addAll(writeLines(spark, options, progress, Kind.PARTNERS, partnerLines, partnerCells, KeepModel.PARTNER_SEGMENT,
        parts, partnerStart));

    Instant callStart = Instant.now();
    long calls = model.callCount == 0 ? 0 : Math.max(1, Math.round(projects * (double) model.callCount / model.donorCount));
    int callParts = (int) Math.max(1, Math.ceil(calls / (double) (10L * options.projectsPerFile())));
    Dataset<Row> callLines = indexRange(spark, calls, callParts)
        .withColumn("_ci", draw(seed, "call", col("_i"), lit(model.callCount)))
        .join(broadcast(model.calls), col("_ci").equalTo(col("c_idx")), "left")
        .sortWithinPartitions("_k");
    files.addAll(writeLines(spark, options, progress, Kind.CALLS, callLines, Map.of(1, concat(trim(col("c_sn")), lit("-"),
        col("_i").plus(1).cast("string"))), KeepModel.CALL_SEGMENT, callParts, callStart));

    Row counts = plan.filter(col("_i").isNotNull()).agg(sum(greatest(col("d_nrows"), lit(1L)))).first();
    rows.put(Kind.PROJECTS, counts.isNullAt(0) ? 0L : counts.getLong(0));
    rows.put(Kind.PARTNERS, partnerIndex.filter(col("_i").isNotNull()).count());
    rows.put(Kind.CALLS, calls);
    return finish(spark, options, projects, rows, files, facts);
  }

  /**
   * Writes one kind's rows, sorted within each part, as export lines (the header where _k = -1)
   * into OUTPUT/projects|partners|calls/keep_<kind>_NNNNN.csv.
   */
  private static List<GeneratedFiles.WrittenFile> writeLines(SparkSession spark, GeneratorOptions options,
      Progress progress, Kind kind, Dataset<Row> sortedRows, Map<Integer, Column> cells, String segment, int parts,
      Instant start) {
    String name = kind.name().toLowerCase(java.util.Locale.ROOT);
    Dataset<Row> lines = sortedRows.select(when(col("_k").equalTo(-1), lit(KeepLayout.headerLine(kind)))
        .otherwise(KeepLayout.line(kind, cells, segment)).as("value"));
    List<GeneratedFiles.WrittenFile> written = GeneratedFiles.write(spark, lines, parts, options.output() + "/" + name,
        "keep_" + name, options.gzip());
    progress.stage("write generated " + name, parts + " file(s)", start);
    return written;
  }

  /**
   * One row per generated project plus one header row per part (_k = -1, _i null); partition p
   * holds the projects of file p in order. Template, donor, partner count and pool offsets come
   * from broadcast joins with the model's small tables.
   */
  static Dataset<Row> projectPlan(SparkSession spark, KeepModel model, long seed, long projects, int parts) {
    Column i = col("_i");
    Column nonLeadRoleSize = when(col("_fallback"), col("t_lead_size"))
        .otherwise(col("_nl").plus(col("t_other_size")));
    Column partnerCount = when(not(col("t_lead_only")), greatest(col("t_partner_rows"), lit(1L)))
        .when(col("_u").lt(lit(model.fullPartnershipShare)), col("x_n"))
        .otherwise(greatest(col("t_lead_rows"), lit(1L)));
    return indexRange(spark, projects, parts)
        .withColumn("_t", draw(seed, "template", i, lit(model.templateCount)))
        .join(broadcast(model.templates), col("_t").equalTo(col("t_idx")), "left")
        .withColumn("_gk", draw(seed, "donor", i, col("t_dgroup_size")))
        .join(broadcast(model.donorGroups), col("t_dgroup").equalTo(col("g_id")).and(col("_gk").equalTo(col("g_k"))), "left")
        .withColumn("_d", coalesce(col("t_own_donor").cast("long"), col("g_d").cast("long")))
        .join(broadcast(model.donors.select("d_idx", "d_nrows", "d_acronym")), col("_d").equalTo(col("d_idx")), "left")
        .withColumn("_xk", draw(seed, "partners", i, col("t_dist_size")))
        .join(broadcast(model.dists), col("t_dist").equalTo(col("x_id")).and(col("_xk").equalTo(col("x_k"))), "left")
        .withColumn("_u", pmod(hash(seed, "full", i), lit(1_000_000L)).divide(1e6))
        .withColumn("_nl", least(col("d_nrows"), col("t_lead_size")))
        .withColumn("_fallback", col("t_other_size").equalTo(0))
        .withColumn("_n", least(greatest(partnerCount, col("_nl")), nonLeadRoleSize))
        .withColumn("_ha", draw(seed, "lead", i, col("t_lead_size")))
        .withColumn("_hb", draw(seed, "other", i, greatest(col("t_other_size"), lit(1L))))
        .withColumn("_acronym", concat(trim(col("d_acronym")), lit("-"), i.plus(1).cast("string")))
        .withColumn("_shift", when(col("t_period_start").lt(2014),
            floor(col("t_period_start").minus(2012).divide(4)).multiply(4)).otherwise(lit(0L)));
  }

  /**
   * {@code parts} partitions; partition p holds a header row (_k = -1) and then _i = lo..hi-1,
   * its share of 0..count-1, in order.
   */
  static Dataset<Row> indexRange(SparkSession spark, long count, int parts) {
    return spark.range(0, parts, 1, parts).toDF("_part")
        .withColumn("_lo", expr("(_part * " + count + "L) div " + parts + "L"))
        .withColumn("_hi", expr("((_part + 1) * " + count + "L) div " + parts + "L"))
        .withColumn("_k", explode(sequence(lit(-1L), col("_hi").minus(col("_lo")).minus(1))))
        .withColumn("_i", when(col("_k").geq(0), col("_lo").plus(col("_k"))));
  }

  /** Seeded 64-bit hash of a salt and values. */
  static Column hash(long seed, String salt, Column... values) {
    Column[] all = new Column[values.length + 2];
    all[0] = lit(seed);
    all[1] = lit(salt);
    System.arraycopy(values, 0, all, 2, values.length);
    return xxhash64(all);
  }

  /** A seeded draw in 0..size-1 for row i (null for header rows or a null size). */
  static Column draw(long seed, String salt, Column i, Column size) {
    return when(i.isNotNull(), pmod(hash(seed, salt, i), size.cast("long")));
  }

  /** A yyyy/MM/dd cell with its year moved by {@code shift} (a multiple of 4, so 29 February stays valid). */
  static Column shiftYear(Column cell, Column shift) {
    return when(cell.rlike("^\\d{4}/"),
        concat(substring(cell, 1, 4).cast("int").plus(shift).cast("string"), substring(cell, 5, 1_000)))
        .otherwise(cell);
  }

  private static Outcome finish(SparkSession spark, GeneratorOptions options, long projects, Map<Kind, Long> rows,
      List<GeneratedFiles.WrittenFile> files, Map<String, String> facts) {
    long bytes = 0;
    List<String> paths = new ArrayList<>();
    for (GeneratedFiles.WrittenFile f : files) {
      bytes += f.bytes();
      paths.add(f.path());
    }
    StringBuilder p = new StringBuilder("# Keep.eu export written by ici-atlas generate (data: keep.eu (Interact), https://keep.eu;\n"
        + "# every cell is a real Keep.eu cell, recombined)\n");
    p.append("mode=").append(options.replicate() > 0 ? "replicate" : "synthetic").append('\n');
    p.append("scale=").append(options.replicate() > 0 ? "" : Double.toString(options.scale())).append('\n');
    p.append("seed=").append(options.seed()).append('\n');
    p.append("replicate=").append(options.replicate()).append('\n');
    p.append("sources=").append(String.join(",", options.sources())).append('\n');
    p.append("projects=").append(projects).append('\n');
    for (Kind kind : Kind.values()) {
      p.append(name(kind)).append("_rows=").append(rows.getOrDefault(kind, 0L)).append('\n');
    }
    for (var e : facts.entrySet()) {
      p.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    p.append("bytes=").append(bytes).append('\n');
    for (GeneratedFiles.WrittenFile f : files) {
      p.append("file=").append(f.path().substring(f.path().lastIndexOf('/', f.path().lastIndexOf('/') - 1) + 1))
          .append(' ').append(f.bytes()).append('\n');
    }
    GeneratedFiles.writeText(spark, options.output() + "/generator.properties", p.toString());
    return new Outcome(options.output(), projects, rows.getOrDefault(Kind.PROJECTS, 0L),
        rows.getOrDefault(Kind.PARTNERS, 0L), rows.getOrDefault(Kind.CALLS, 0L), paths, bytes, facts);
  }

  private static String name(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
