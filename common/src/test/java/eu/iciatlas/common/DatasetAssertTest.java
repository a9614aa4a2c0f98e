package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The comparison the other tests rest on: it passes on equal rows and fails on each kind of difference. */
class DatasetAssertTest {
  private final Dataset<Row> rows = SparkTestSession.get().createDataFrame(List.of(
      RowFactory.create("AA21", 25L, 0.1 + 0.2, List.of("x")), RowFactory.create("AA22", 75L, null, List.of())),
      new StructType().add("nuts2", DataTypes.StringType).add("n", DataTypes.LongType).add("share", DataTypes.DoubleType)
          .add("tags", DataTypes.createArrayType(DataTypes.StringType)));

  @Test
  void equalRowsInAnyOrderPass() {
    DatasetAssert.assertRows(List.of(Arrays.asList("AA22", 75L, null, List.of()), Arrays.asList("AA21", 25L, 0.3, List.of("x"))),
        rows, "nuts2", "n", "share", "tags");
  }

  /** Doubles are compared with a tolerance, not rounded: two values either side of a 6-digit rounding step are equal. */
  @Test
  void doublesAcrossARoundingStepPass() {
    Dataset<Row> close = SparkTestSession.get().createDataFrame(List.of(RowFactory.create("AA21", 0.12345649)),
        new StructType().add("nuts2", DataTypes.StringType).add("share", DataTypes.DoubleType));
    DatasetAssert.assertRows(List.of(Arrays.asList("AA21", 0.1234566)), close, "nuts2", "share");
    assertThrows(AssertionFailedError.class, () -> DatasetAssert.assertRows(List.of(Arrays.asList("AA21", 0.12346)), close,
        "nuts2", "share"), "a difference in the fifth digit");
  }

  @Test
  void eachKindOfDifferenceFails() {
    AssertionFailedError missing = assertThrows(AssertionFailedError.class,
        () -> DatasetAssert.assertRows(List.of(Arrays.asList("AA21")), rows, "nuts3"));
    assertTrue(missing.getMessage().contains("no column nuts3"), missing.getMessage());
    AssertionFailedError type = assertThrows(AssertionFailedError.class, () -> DatasetAssert.assertRows(
        List.of(Arrays.asList("AA21", 25), Arrays.asList("AA22", 75)), rows, "nuts2", "n"));
    assertTrue(type.getMessage().contains("column n is bigint"), type.getMessage());
    AssertionFailedError value = assertThrows(AssertionFailedError.class, () -> DatasetAssert.assertRows(
        List.of(Arrays.asList("AA21", 25L), Arrays.asList("AA22", 76L)), rows, "nuts2", "n"));
    assertTrue(value.getMessage().contains("- AA22 | 76") && value.getMessage().contains("+ AA22 | 75"), value.getMessage());
    assertThrows(AssertionFailedError.class, () -> DatasetAssert.assertRows(
        List.of(Arrays.asList("AA21", 25L)), rows, "nuts2", "n"), "a row too few");
    assertThrows(AssertionFailedError.class, () -> DatasetAssert.assertRows(
        List.of(Arrays.asList("AA21", 25L, 0.3001, List.of("x")), Arrays.asList("AA22", 75L, null, List.of())),
        rows, "nuts2", "n", "share", "tags"), "a double beyond the tolerance");
  }
}
