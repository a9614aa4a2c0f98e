package eu.iciatlas.common.schema;

import eu.iciatlas.common.config.ConfFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of every table the pipeline writes, in one place: the packaged
 * {@code ici-atlas-dictionary/schemas.csv} (table, column, Spark SQL type, in the table's order).
 * The writer checks every write against it ({@link #check}), so an output's schema changes only with
 * that file, which is what BI users and tests read; the tables built on the driver take their
 * StructType from it ({@link #of}); tests build their inputs with its types ({@link #columns}).
 *
 * <p>The file gives the order of a new table's columns; the check compares names and types only (see
 * {@link #differences}). Nullability is not declared: Delta stores every column of these tables as nullable. Columns that
 * depend on the inputs are declared by a placeholder ({@code {indicator}}, {@code {indicator}_year},
 * {@code {delivered}}) that admits any column of its type whose name has its form (the names come from the data:
 * the indicators of silver_region_indicators, the headers of a Keep.eu export); placeholders of one name in a table come
 * together (the column {@code patents} needs {@code patents_year} beside it, and the other way round).
 */
public final class TableSchemas {
  static final String RESOURCE = "ici-atlas-dictionary/schemas.csv";

  /**
   * A declared column whose name depends on the inputs ({@code {indicator}_year}): the names it admits (any value for the
   * braced part) and their type.
   */
  public record Placeholder(String template, String key, Pattern names, DataType type) {
    static Placeholder of(String template, DataType type) {
      java.util.regex.Matcher m = Pattern.compile("\\{([a-z]+)\\}").matcher(template);
      if (!m.find()) {
        throw new IllegalStateException(RESOURCE + ": placeholder " + template + " has no {name}");
      }
      String key = m.group(1);
      Pattern names = Pattern.compile(Pattern.quote(template.substring(0, m.start())) + "(?<value>.+)"
          + Pattern.quote(template.substring(m.end())));
      return new Placeholder(template, key, names, type);
    }

    /** The value of the braced part in {@code column}, or null when the name is not of this form. */
    String valueIn(String column) {
      java.util.regex.Matcher m = names.matcher(column);
      return m.matches() ? m.group("value") : null;
    }
  }

  /** One table's declaration: its fixed columns in order and the placeholders for the columns that depend on the inputs. */
  public record Declaration(String table, List<StructField> fixed, List<Placeholder> placeholders) {
    /** The fixed columns as a StructType (every one nullable), for tables whose columns do not depend on the inputs. */
    public StructType structType() {
      if (!placeholders.isEmpty()) {
        throw new IllegalStateException(table + " has columns that depend on the inputs (" + RESOURCE + "); it has no"
            + " StructType of its own");
      }
      return new StructType(fixed.toArray(new StructField[0]));
    }
  }

  private static final TableSchemas PACKAGED = load();

  private final Map<String, Declaration> declarations;

  private TableSchemas(Map<String, Declaration> declarations) {
    this.declarations = declarations;
  }

  public static TableSchemas packaged() {
    return PACKAGED;
  }

  /** The declared StructType of a table without input-dependent columns (run_manifest, gold_correlations, ...). */
  public static StructType of(String table) {
    return PACKAGED.declaration(table).structType();
  }

  /** The declared StructType of a table but the columns named, which a later step adds (gold_correlations' nuts_version). */
  public static StructType withoutColumns(String table, String... dropped) {
    List<String> names = List.of(dropped);
    StructType all = of(table);
    for (String name : names) {
      all.apply(name); // fails for a column the table does not have
    }
    return new StructType(java.util.Arrays.stream(all.fields()).filter(f -> !names.contains(f.name())).toArray(StructField[]::new));
  }

  /** The named columns of a table, with their declared types, in the order given: the inputs of a test, built by hand. */
  public static StructType columns(String table, String... names) {
    return columns(List.of(table), names);
  }

  /**
   * As {@link #columns(String, String...)} over several tables, each column from the first that declares it: the inputs of
   * a transformation that reads joined tables (silver_projects with its classification).
   */
  public static StructType columns(List<String> tables, String... names) {
    List<StructField> fields = new ArrayList<>();
    for (String name : names) {
      fields.add(tables.stream().flatMap(t -> PACKAGED.declaration(t).fixed().stream()).filter(f -> f.name().equals(name))
          .findFirst().orElseThrow(() -> new IllegalArgumentException(String.join(", ", tables) + ": no column " + name
              + " in " + RESOURCE)));
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  public Set<String> tables() {
    return declarations.keySet();
  }

  public boolean declares(String table) {
    return declarations.containsKey(table);
  }

  public Declaration declaration(String table) {
    Declaration declaration = declarations.get(table);
    if (declaration == null) {
      throw new IllegalArgumentException(table + " is not declared in " + RESOURCE);
    }
    return declaration;
  }

  /**
   * The differences between rows about to be written to {@code table} and its declaration, one sentence each: a
   * declared column missing or of another type, a column not declared. Empty when they agree, and for a table that is
   * not declared (the tables of tests and benchmarks). The order is not checked: Delta adds a column a newer version
   * writes at the end of a table written before, so a table derived from such a one (star_dim_region from an older
   * gold_region_profile) has its columns in another order, and readers address columns by name.
   */
  public List<String> differences(String table, StructType rows) {
    Declaration declaration = declarations.get(table);
    List<String> differences = new ArrayList<>();
    if (declaration == null) {
      return differences;
    }
    Map<String, StructField> given = new LinkedHashMap<>();
    for (StructField field : rows.fields()) {
      given.put(field.name(), field);
    }
    for (StructField declared : declaration.fixed()) {
      StructField field = given.remove(declared.name());
      if (field == null) {
        differences.add("column " + declared.name() + " (" + declared.dataType().catalogString() + ") is missing");
        continue;
      }
      if (!sameType(field.dataType(), declared.dataType())) {
        differences.add("column " + declared.name() + " is " + field.dataType().catalogString() + ", declared "
            + declared.dataType().catalogString());
      }
    }
    // the values each placeholder admitted, to check that placeholders of one name come together
    Map<Placeholder, Set<String>> admitted = new LinkedHashMap<>();
    declaration.placeholders().forEach(p -> admitted.put(p, new java.util.TreeSet<>()));
    for (StructField field : given.values()) {
      Placeholder match = declaration.placeholders().stream()
          .filter(p -> p.valueIn(field.name()) != null && sameType(field.dataType(), p.type())).findFirst().orElse(null);
      if (match != null) {
        admitted.get(match).add(match.valueIn(field.name()));
        continue;
      }
      List<String> sameForm = declaration.placeholders().stream().filter(p -> p.valueIn(field.name()) != null)
          .map(p -> p.template() + " columns are " + p.type().catalogString()).toList();
      differences.add("column " + field.name() + " (" + field.dataType().catalogString() + ") is not declared"
          + (sameForm.isEmpty() ? "" : " (" + String.join(", ", sameForm) + ")"));
    }
    // {indicator} and {indicator}_year: each indicator's value column has its year column, and each year its value
    for (Placeholder p : declaration.placeholders()) {
      for (Placeholder q : declaration.placeholders()) {
        if (p != q && p.key().equals(q.key())) {
          for (String value : admitted.get(p)) {
            if (!admitted.get(q).contains(value)) {
              differences.add("column " + p.template().replace("{" + p.key() + "}", value) + " has no column "
                  + q.template().replace("{" + q.key() + "}", value) + " beside it (" + p.template() + " and " + q.template()
                  + " come together)");
            }
          }
        }
      }
    }
    return differences;
  }

  /** Fails, naming the table and every difference, when rows about to be written differ from the table's declaration. */
  public void check(String table, StructType rows) {
    List<String> differences = differences(table, rows);
    if (!differences.isEmpty()) {
      throw new IllegalStateException("writing " + table + ": its rows differ from the schema declared in " + RESOURCE + ": "
          + String.join("; ", differences) + ". A change of an output's columns is a change of that file (and of columns.csv),"
          + " so that BI users and tests see it");
    }
  }

  /** Types without nullability (Delta stores every column as nullable, Spark's plans may say either). */
  static boolean sameType(DataType a, DataType b) {
    return a.catalogString().equals(b.catalogString());
  }

  private static TableSchemas load() {
    InputStream in = TableSchemas.class.getResourceAsStream("/" + RESOURCE);
    if (in == null) {
      throw new IllegalStateException(RESOURCE + " is missing from the jar");
    }
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return parse(ConfFiles.semicolonCsv(reader, RESOURCE));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  static TableSchemas parse(List<Map<String, String>> rows) {
    Map<String, List<StructField>> fixed = new LinkedHashMap<>();
    Map<String, List<Placeholder>> placeholders = new LinkedHashMap<>();
    for (Map<String, String> row : rows) {
      String table = row.get("table");
      String column = row.get("column");
      DataType type;
      try {
        type = DataType.fromDDL(row.get("type"));
      } catch (Exception e) { // Spark's ParseException, which Scala throws undeclared
        throw new IllegalStateException(RESOURCE + ", " + table + "." + column + ": type '" + row.get("type")
            + "' is not Spark SQL DDL: " + e.getMessage(), e);
      }
      if (!type.catalogString().equals(row.get("type"))) {
        // one spelling per type, so that the file reads as the differences the writer reports
        throw new IllegalStateException(RESOURCE + ", " + table + "." + column + ": write the type '" + row.get("type")
            + "' as " + type.catalogString());
      }
      fixed.computeIfAbsent(table, k -> new ArrayList<>());
      placeholders.computeIfAbsent(table, k -> new ArrayList<>());
      if (column.contains("{")) {
        placeholders.get(table).add(Placeholder.of(column, type));
      } else {
        fixed.get(table).add(DataTypes.createStructField(column, type, true));
      }
    }
    Map<String, Declaration> declarations = new LinkedHashMap<>();
    fixed.forEach((table, fields) -> declarations.put(table, new Declaration(table, List.copyOf(fields),
        List.copyOf(placeholders.get(table)))));
    return new TableSchemas(declarations);
  }
}
