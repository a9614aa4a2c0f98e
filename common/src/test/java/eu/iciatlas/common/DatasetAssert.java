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
 * the same rows as a multiset (order ignored), doubles within a relative {@value #RELATIVE_TOLERANCE} (the expected
 * values are written to about 6 significant digits), and a readable diff of missing and extra rows on failure.
 * DatasetAssertTest shows that each check can fail.
 */
public final class DatasetAssert {
  /** Two doubles are equal when they differ by at most this share of the larger (or both are within 1e-12 of 0). */
  static final double RELATIVE_TOLERANCE = 1e-5;

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
    List<List<Object>> got = new ArrayList<>();
    for (Row r : actual.select(columns[0], rest(columns)).collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        values.add(r.get(i));
      }
      got.add(values);
    }
    // each expected row takes the first actual row it matches (in a sorted order, so the diff reads in that order)
    List<List<Object>> missing = new ArrayList<>(expected);
    missing.sort(java.util.Comparator.comparing(DatasetAssert::render));
    List<List<Object>> extra = new ArrayList<>(got);
    extra.sort(java.util.Comparator.comparing(DatasetAssert::render));
    for (java.util.Iterator<List<Object>> want = missing.iterator(); want.hasNext();) {
      List<Object> row = want.next();
      for (java.util.Iterator<List<Object>> have = extra.iterator(); have.hasNext();) {
        if (rowsMatch(row, have.next())) {
          have.remove();
          want.remove();
          break;
        }
      }
    }
    if (!missing.isEmpty() || !extra.isEmpty()) {
      StringBuilder diff = new StringBuilder("rows differ (- expected, + actual):\n");
      missing.forEach(m -> diff.append("- ").append(render(m)).append('\n'));
      extra.forEach(m -> diff.append("+ ").append(render(m)).append('\n'));
      fail(diff.toString());
    }
  }

  private static boolean rowsMatch(List<Object> expected, List<Object> actual) {
    for (int i = 0; i < expected.size(); i++) {
      Object want = expected.get(i);
      Object have = actual.get(i);
      if (want instanceof Double a && have instanceof Double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        if (!(a.equals(b) || Math.abs(a - b) <= Math.max(1e-12, RELATIVE_TOLERANCE * scale))) {
          return false;
        }
      } else if (!cell(want).equals(cell(have))) {
        return false;
      }
    }
    return true;
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

  /** A row as the diff shows it: doubles to 10 significant digits, lists and Scala sequences as lists. */
  static String render(List<Object> row) {
    List<String> cells = new ArrayList<>();
    for (Object o : row) {
      cells.add(cell(o));
    }
    return String.join(" | ", cells);
  }

  private static String cell(Object o) {
    if (o instanceof List<?> l) {
      return l.toString();
    } else if (o instanceof Double d) {
      return String.format(java.util.Locale.ROOT, "%.10g", d);
    } else if (o instanceof scala.collection.Seq<?> s) {
      return scala.jdk.javaapi.CollectionConverters.asJava(s).toString();
    }
    return String.valueOf(o);
  }
}
