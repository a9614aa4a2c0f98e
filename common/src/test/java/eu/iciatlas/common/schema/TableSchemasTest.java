package eu.iciatlas.common.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.output.DataDictionary;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The declared schemas are the one home of every output's columns: complete, documented and checked as declared. */
class TableSchemasTest {
  private final TableSchemas schemas = TableSchemas.packaged();

  @Test
  void everyTableThePipelineWritesIsDeclaredAndNothingElse() throws Exception {
    TreeSet<String> named = new TreeSet<>();
    for (Field f : Tables.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        named.add((String) f.get(null));
      }
    }
    assertTrue(named.size() >= 45, "the table names of Tables: " + named.size());
    assertEquals(named, new TreeSet<>(schemas.tables()));
  }

  @Test
  void everyDeclaredColumnOfADocumentedTableIsDescribedInTheDataDictionary() {
    DataDictionary dictionary = DataDictionary.packaged();
    List<String> undescribed = new ArrayList<>();
    int columns = 0;
    for (String table : schemas.tables()) {
      if (dictionary.table(table) == null) {
        continue; // bronze tables and the conversion matrices: as delivered, documented by their sources
      }
      for (var field : schemas.declaration(table).fixed()) {
        columns++;
        if (dictionary.column(table, field.name()) == null) {
          undescribed.add(table + "." + field.name());
        }
      }
    }
    assertTrue(columns > 400, "declared columns of documented tables: " + columns);
    assertEquals(List.of(), undescribed, "describe them in ici-atlas-dictionary/columns.csv");
  }

  @Test
  void rowsAsDeclaredPassAndEveryKindOfDifferenceIsNamed() {
    StructType declared = TableSchemas.of(Tables.GOLD_ICI_SHARE_SUMMARY);
    assertEquals(List.of(), schemas.differences(Tables.GOLD_ICI_SHARE_SUMMARY, declared));
    // nullability is not part of the declaration
    StructType notNull = new StructType(java.util.Arrays.stream(declared.fields())
        .map(f -> DataTypes.createStructField(f.name(), f.dataType(), false)).toArray(org.apache.spark.sql.types.StructField[]::new));
    assertEquals(List.of(), schemas.differences(Tables.GOLD_ICI_SHARE_SUMMARY, notNull));

    StructType changed = new StructType().add("region_kind", DataTypes.StringType).add("period", DataTypes.StringType)
        .add("regions", DataTypes.IntegerType).add("surprise", DataTypes.StringType);
    List<String> differences = schemas.differences(Tables.GOLD_ICI_SHARE_SUMMARY, changed);
    assertFalse(differences.stream().anyMatch(d -> d.contains("region_kind") || d.contains("period")),
        "the order is not checked: " + differences);
    assertTrue(differences.contains("column regions is int, declared bigint"), differences.toString());
    assertTrue(differences.contains("column surprise (string) is not declared"), differences.toString());
    assertTrue(differences.stream().anyMatch(d -> d.startsWith("column pooled_share (double) is missing")), differences.toString());

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> schemas.check(Tables.GOLD_ICI_SHARE_SUMMARY, changed));
    assertTrue(e.getMessage().startsWith("writing gold_ici_share_summary: its rows differ from the schema declared in "
        + "ici-atlas-dictionary/schemas.csv: "), e.getMessage());
    assertTrue(e.getMessage().contains("column surprise (string) is not declared"), e.getMessage());
  }

  @Test
  void columnsInAnotherOrderPass() {
    // star_dim_region from a gold_region_profile written before projects_with_text existed: Delta appended it last
    StructType declared = TableSchemas.of(Tables.GOLD_ICI_SHARE_SUMMARY);
    java.util.List<org.apache.spark.sql.types.StructField> reversed = new java.util.ArrayList<>(List.of(declared.fields()));
    java.util.Collections.reverse(reversed);
    assertEquals(List.of(), schemas.differences(Tables.GOLD_ICI_SHARE_SUMMARY,
        new StructType(reversed.toArray(new org.apache.spark.sql.types.StructField[0]))));
  }

  @Test
  void placeholdersAdmitTheColumnsThatDependOnTheInputsWithTheirTypesOnly() {
    StructType bronze = new StructType().add("acronym", DataTypes.StringType).add("Some Other Header", DataTypes.StringType);
    for (var field : schemas.declaration(Tables.BRONZE_KEEP_PROJECTS).fixed()) {
      bronze = bronze.add(field);
    }
    assertEquals(List.of(), schemas.differences(Tables.BRONZE_KEEP_PROJECTS, bronze));
    assertEquals(List.of("column budget (double) is not declared ({delivered} columns are string)"),
        schemas.differences(Tables.BRONZE_KEEP_PROJECTS, bronze.add("budget", DataTypes.DoubleType)));

    StructType profile = new StructType();
    for (var field : schemas.declaration(Tables.GOLD_REGION_PROFILE).fixed()) {
      profile = profile.add(field);
    }
    StructType withIndicator = profile.add("patents", DataTypes.DoubleType).add("patents_year", DataTypes.IntegerType);
    assertEquals(List.of(), schemas.differences(Tables.GOLD_REGION_PROFILE, withIndicator));
    assertEquals(List.of("column patents_year (string) is not declared ({indicator} columns are double, {indicator}_year"
            + " columns are int)", "column patents has no column patents_year beside it ({indicator} and {indicator}_year"
            + " come together)"),
        schemas.differences(Tables.GOLD_REGION_PROFILE, profile.add("patents", DataTypes.DoubleType)
            .add("patents_year", DataTypes.StringType)));
    // a stray number in a profile is no indicator: it has no year
    assertEquals(List.of("column mean_budget has no column mean_budget_year beside it ({indicator} and {indicator}_year come"
        + " together)"), schemas.differences(Tables.GOLD_REGION_PROFILE, withIndicator.add("mean_budget", DataTypes.DoubleType)));
    assertEquals(List.of("column tourism_year has no column tourism beside it ({indicator}_year and {indicator} come together)"),
        schemas.differences(Tables.GOLD_REGION_PROFILE, withIndicator.add("tourism_year", DataTypes.IntegerType)));
  }

  @Test
  void aTableOfATestOrBenchmarkIsNotChecked() {
    assertEquals(List.of(), schemas.differences("gold_test_table", new StructType().add("x", DataTypes.StringType)));
  }

  @Test
  void declaredTypesAreSparkSqlInOneSpelling() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TableSchemas.parse(List.of(
        Map.of("table", "gold_t", "column", "n", "type", "long"))));
    assertEquals("ici-atlas-dictionary/schemas.csv, gold_t.n: write the type 'long' as bigint", e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> TableSchemas.parse(List.of(
        Map.of("table", "gold_t", "column", "n", "type", "number"))));
    assertTrue(e.getMessage().startsWith("ici-atlas-dictionary/schemas.csv, gold_t.n: type 'number' is not Spark SQL DDL"),
        e.getMessage());
  }

  @Test
  void testsTakeTheirColumnsWithTheDeclaredTypes() {
    StructType columns = TableSchemas.columns(Tables.SILVER_PROJECTS, "project_id", "themes", "total_budget");
    assertEquals("struct<project_id:string,themes:array<string>,total_budget:decimal(20,2)>", columns.catalogString());
    assertThrows(IllegalArgumentException.class, () -> TableSchemas.columns(Tables.SILVER_PROJECTS, "budget"));
    assertEquals(TableSchemas.of(Tables.GOLD_CORRELATIONS).size() - 1,
        TableSchemas.withoutColumns(Tables.GOLD_CORRELATIONS, "nuts_version").size());
  }
}
