package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Compares Datasets as Spark's own tests do: same columns, the same rows as a multiset (order
 * ignored), doubles within a tolerance, and a readable side-by-side diff on failure.
 */
public final class DatasetAssert {
  private DatasetAssert() {}

  public static void assertRows(List<List<Object>> expected, Dataset<Row> actual, String... columns) {
    assertEquals(List.of(columns), List.of(actual.select(columns[0], rest(columns)).columns()));
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

  private static String[] rest(String[] columns) {
    String[] r = new String[columns.length - 1];
    System.arraycopy(columns, 1, r, 0, r.length);
    return r;
  }

  /** Doubles are rounded to 6 significant digits, so 0.1 + 0.2 equals 0.3. */
  static String render(List<Object> row) {
    List<String> cells = new ArrayList<>();
    for (Object o : row) {
      if (o instanceof Double d) {
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
