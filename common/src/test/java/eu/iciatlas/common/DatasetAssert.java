package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares Datasets as Spark's own tests do: the named columns exist with the types of the expected
 * values (Long for bigint, Integer for int, Double for double, String, Boolean, List for arrays),
 * the same rows as a multiset (order ignored), doubles to 6 significant digits, and a readable diff
 * of missing and extra rows on failure. DatasetAssertTest shows that each check can fail.
 */
public final class DatasetAssert {
  private DatasetAssert() {}

  public static void assertRows(List<List<Object>> expected, Dataset<Row> actual, String... columns) {
    List<String> present = List.of(actual.columns());
    for (String c : columns) {
      if (!present.contains(c)) {
        fail("no column " + c + "; the Dataset has " + present);
      }
    }
    org.apache.spark.sql.types.StructType schema = actual.select(columns[0], rest(columns)).schema();
    for (List<Object> row : expected) {
      assertEquals(columns.length, row.size(), () -> "expected row " + row + " has " + row.size() + " values for "
          + columns.length + " columns " + List.of(columns));
      for (int i = 0; i < columns.length; i++) {
        Object value = row.get(i);
        org.apache.spark.sql.types.DataType type = schema.fields()[i].dataType();
        if (value != null && !javaTypeFits(value, type)) {
          fail("column " + columns[i] + " is " + type.simpleString() + ", but the expected value " + value + " is a "
              + value.getClass().getSimpleName());
        }
      }
    }
    List<String> want = new ArrayList<>();
    for (List<Object> row : expected) {
      want.add(render(row));
    }
    List<String> got = new ArrayList<>();
    for (Row r : actual.select(columns[0], rest(columns)).collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        values.add(r.get(i));
      }
      got.add(render(values));
    }
    Collections.sort(want);
    Collections.sort(got);
    if (!want.equals(got)) {
      StringBuilder diff = new StringBuilder("rows differ (- expected, + actual):\n");
      List<String> missing = new ArrayList<>(want);
      got.forEach(missing::remove);
      List<String> extra = new ArrayList<>(got);
      want.forEach(extra::remove);
      missing.forEach(m -> diff.append("- ").append(m).append('\n'));
      extra.forEach(m -> diff.append("+ ").append(m).append('\n'));
      fail(diff.toString());
    }
  }

  private static boolean javaTypeFits(Object value, org.apache.spark.sql.types.DataType type) {
    return switch (type.typeName()) {
      case "long" -> value instanceof Long;
      case "integer" -> value instanceof Integer;
      case "double" -> value instanceof Double;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "array" -> value instanceof List<?>;
      default -> true; // dates, maps, structs: compared by their rendering only
    };
  }

  private static String[] rest(String[] columns) {
    String[] r = new String[columns.length - 1];
    System.arraycopy(columns, 1, r, 0, r.length);
    return r;
  }

  /** Doubles are rounded to 6 significant digits, so 0.1 + 0.2 equals 0.3. */
  static String render(List<Object> row) {
    List<String> cells = new ArrayList<>();
    for (Object o : row) {
      if (o instanceof List<?> l) {
        cells.add(l.toString());
      } else if (o instanceof Double d) {
        cells.add(String.format("%.6g", d));
      } else if (o instanceof scala.collection.Seq<?> s) {
        cells.add(scala.jdk.javaapi.CollectionConverters.asJava(s).toString());
      } else {
        cells.add(String.valueOf(o));
      }
    }
    return String.join(" | ", cells);
  }
}
