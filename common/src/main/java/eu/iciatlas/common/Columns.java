package eu.iciatlas.common;

import java.util.Arrays;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Small bridges from Java to the Scala-typed parts of the Dataset API. */
public final class Columns {
  private Columns() {}

  /** Column names as the Scala Seq that {@code Dataset.join(other, usingColumns, joinType)} takes. */
  public static Seq<String> names(String... names) {
    return CollectionConverters.asScala(Arrays.asList(names)).toList();
  }
}
