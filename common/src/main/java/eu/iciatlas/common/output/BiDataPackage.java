package eu.iciatlas.common.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * DIR/bi/datapackage.json: a Frictionless Tabular Data Package of the CSVs under DIR/bi, so tools and
 * scripts read the types, units, descriptions, primary keys and the star schema's foreign keys instead
 * of guessing them (frictionless validate, pandas via frictionless, R's frictionless, Open Data portals).
 * Generated from the tables as written and the data dictionary, like DIR/bi/README.md.
 */
public final class BiDataPackage {
  public static final String FILE = "datapackage.json";

  /** The star schema's joins: table, column, referenced table, referenced column. */
  static final List<String[]> FOREIGN_KEYS = List.of(
      new String[] {"star_fact_participation", "project_key", "star_dim_project", "project_key"},
      new String[] {"star_fact_participation", "programme_sk", "star_dim_programme", "programme_sk"},
      new String[] {"star_fact_participation", "region_key", "star_dim_region", "region_key"},
      new String[] {"star_dim_project", "programme_sk", "star_dim_programme", "programme_sk"},
      new String[] {"star_bridge_project_specialization", "project_key", "star_dim_project", "project_key"},
      new String[] {"star_bridge_project_specialization", "specialization_key", "star_dim_specialization", "specialization_key"},
      new String[] {"star_bridge_programme_country", "programme_sk", "star_dim_programme", "programme_sk"},
      new String[] {"star_bridge_project_reason", "project_key", "star_dim_project", "project_key"});

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BiDataPackage() {}

  /** Writes DIR/bi/datapackage.json describing the given exported tables (in that order) with their schemas. */
  public static Path write(FileSystem fs, Path bi, List<String> tables, java.util.function.Function<String, StructType> schemaOf) {
    DataDictionary dictionary = DataDictionary.packaged();
    List<Object> resources = new ArrayList<>();
    for (String table : tables) {
      resources.add(resource(dictionary, table, schemaOf.apply(table), tables));
    }
    Map<String, Object> pkg = new LinkedHashMap<>();
    pkg.put("profile", "tabular-data-package");
    pkg.put("name", "ici-atlas-output");
    pkg.put("title", "ICI Atlas output: international cluster initiatives in Interreg cooperation");
    pkg.put("description", "The CSV copies of the ICI Atlas tables of this folder; README.md is the same data dictionary"
        + " in prose. Lists are joined with '|', nested values are JSON; a cell of input text that starts with =, +, -, @,"
        + " tab or CR is prefixed with ' so spreadsheets do not run it.");
    // the inputs' credits, as the report carries them (data/sample/README.md of the repository)
    pkg.put("sources", List.of(
        Map.of("title", "keep.eu (Interact): reuse with credit, a link and an indication of changes", "path", "https://keep.eu"),
        Map.of("title", "Source: Eurostat (re-use with acknowledgement)", "path", "https://ec.europa.eu/eurostat"),
        Map.of("title", "Eurostat GISCO NUTS (© EuroGeographics for the administrative boundaries) and JRC NUTS converter",
            "path", "https://ec.europa.eu/eurostat/web/gisco")));
    pkg.put("resources", resources);
    Path target = new Path(bi, FILE);
    Path partial = new Path(bi, "_tmp_" + FILE);
    try {
      try (OutputStream out = fs.create(partial, true)) {
        JSON.writeValue(out, pkg);
      }
      // one rename: a reader never sees half a file
      fs.delete(target, false);
      if (!fs.rename(partial, target)) {
        throw new IOException("cannot rename " + partial + " to " + target);
      }
      return target;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> resource(DataDictionary dictionary, String table, StructType schema, List<String> exported) {
    DataDictionary.TableEntry entry = dictionary.table(table);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", table);
    r.put("path", table + ".csv");
    r.put("profile", "tabular-data-resource");
    r.put("format", "csv");
    r.put("mediatype", "text/csv");
    r.put("encoding", "utf-8");
    if (entry != null) {
      r.put("description", entry.description() + ". Grain: " + entry.grain() + ".");
    }
    r.put("dialect", Map.of("delimiter", ",", "doubleQuote", true, "header", true));
    List<Object> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Map<String, Object> field = new LinkedHashMap<>();
      field.put("name", f.name());
      field.putAll(type(f.dataType()));
      DataDictionary.ColumnEntry c = dictionary.column(table, f.name());
      if (c != null) {
        field.put("description", c.description() + (f.dataType() instanceof ArrayType ? " (a list, joined with '|')" : ""));
        if (c.unit() != null && !c.unit().isEmpty()) {
          field.put("unit", c.unit());
        }
      }
      fields.add(field);
    }
    Map<String, Object> tableSchema = new LinkedHashMap<>();
    tableSchema.put("fields", fields);
    tableSchema.put("missingValues", List.of(""));
    List<String> key = entry == null ? List.of() : primaryKey(entry.keys(), schema);
    if (!key.isEmpty()) {
      tableSchema.put("primaryKey", key);
    }
    List<Object> foreign = new ArrayList<>();
    for (String[] fk : FOREIGN_KEYS) {
      if (fk[0].equals(table) && exported.contains(fk[2])) {
        foreign.add(Map.of("fields", fk[1], "reference", Map.of("resource", fk[2], "fields", fk[3])));
      }
    }
    if (!foreign.isEmpty()) {
      tableSchema.put("foreignKeys", foreign);
    }
    r.put("schema", tableSchema);
    return r;
  }

  /**
   * The dictionary's keys when every one is a column ("programme_sk (natural key programme_key)" gives programme_sk);
   * none when the dictionary says a key column may be empty (a Table Schema primary key has no missing values).
   */
  static List<String> primaryKey(String keys, StructType schema) {
    if (keys.contains("may be empty")) {
      return List.of();
    }
    List<String> names = Arrays.asList(schema.fieldNames());
    List<String> key = new ArrayList<>();
    for (String k : keys.split(",")) {
      String name = k.replaceAll("\\(.*\\)", "").trim();
      if (!names.contains(name)) {
        return List.of();
      }
      key.add(name);
    }
    return key;
  }

  /** Table Schema type of a Spark type, as the CSV writes it (lists joined with '|' and nested values as JSON are text). */
  static Map<String, Object> type(DataType t) {
    if (t instanceof StringType) {
      return Map.of("type", "string");
    }
    if (t instanceof IntegerType || t instanceof LongType || t instanceof ShortType) {
      return Map.of("type", "integer");
    }
    if (t instanceof DoubleType || t instanceof FloatType || t instanceof DecimalType) {
      return Map.of("type", "number");
    }
    if (t instanceof BooleanType) {
      return Map.of("type", "boolean");
    }
    if (t instanceof DateType) {
      return Map.of("type", "date");
    }
    if (t instanceof TimestampType) {
      return Map.of("type", "datetime", "format", "any");
    }
    return Map.of("type", "string");
  }
}
