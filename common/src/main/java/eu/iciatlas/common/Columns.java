package eu.iciatlas.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Small bridges from Java to the Scala-typed parts of the Dataset API. */
public final class Columns {
  private Columns() {}

  /** Column names as the Scala Seq that {@code Dataset.join(other, usingColumns, joinType)} takes. */
  public static Seq<String> names(String... names) {
    return CollectionConverters.asScala(Arrays.asList(names)).toList();
  }

  /** The named columns, then {@code more}: for select and groupBy over key lists. */
  public static Column[] cols(List<String> names, Column... more) {
    List<Column> out = new ArrayList<>();
    names.forEach(n -> out.add(functions.col(n)));
    out.addAll(Arrays.asList(more));
    return out.toArray(new Column[0]);
  }
}
