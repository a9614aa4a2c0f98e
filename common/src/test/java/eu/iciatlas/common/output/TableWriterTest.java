package eu.iciatlas.common.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.iciatlas.common.Progress;
import eu.iciatlas.common.SparkTestSession;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableWriterTest {
  /** t and a get a CSV copy for BI; b to h, not in the dictionary, none. */
  private static final DataDictionary TEST_TABLES = eu.iciatlas.common.TestData.dictionaryWithCsvTables("t", "a");
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void csvCellsThatLookLikeFormulasAreNeutralisedAndPeriodWritesReplaceOnlyTheirPeriod(@TempDir Path dir) throws Exception {
    StructType schema = new StructType().add("period", DataTypes.StringType).add("text", DataTypes.StringType)
        .add("amount", DataTypes.DoubleType).add("tags", DataTypes.createArrayType(DataTypes.StringType));
    TableWriter writer = new TableWriter(spark, dir.toString(), new Progress(new PrintStream(System.err, true)), TEST_TABLES);
    Dataset<Row> first = spark.createDataFrame(List.of(
        RowFactory.create("2007-2013", "=HYPERLINK(\"http://x\")", -5.0, List.of("a")),
        RowFactory.create("2014-2020", "@SUM(A1)", 1.0, List.of("+b", "c")),
        RowFactory.create("2014-2020", "plain, text", 2.0, List.of())), schema);
    writer.write("t", first, TableWriter.Scope.periods("period", List.of("2007-2013", "2014-2020"), false));
    List<String> lines = Files.readAllLines(dir.resolve("bi/t.csv"));
    assertEquals(List.of("period,text,amount,tags",
        "2007-2013,\"'=HYPERLINK(\"\"http://x\"\")\",-5.0,a",
        "2014-2020,'@SUM(A1),1.0,'+b|c",
        "2014-2020,\"plain, text\",2.0,\"\""), lines);

    Dataset<Row> again = spark.createDataFrame(List.of(RowFactory.create("2014-2020", "new", 3.0, List.of())), schema);
    writer.write("t", again, TableWriter.Scope.periods("period", List.of("2014-2020"), false));
    assertEquals(List.of("2007-2013", "2014-2020"), writer.read("t").orderBy("period").select("period")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList(), "2007-2013 untouched, 2014-2020 replaced");
    assertEquals("new", writer.read("t").filter("period = '2014-2020'").first().getAs("text"));

    // a table a run keeps unchanged gets its copy back where bi/ has none (b has no copies in the dictionary)
    List<String> latest = Files.readAllLines(dir.resolve("bi/t.csv"));
    assertEquals(List.of(), writer.copyWhereBiHasNone(List.of("t")), "the copy is there");
    Files.delete(dir.resolve("bi/t.csv"));
    assertEquals(List.of("t"), writer.copyWhereBiHasNone(List.of("t", "b")));
    assertEquals(latest, Files.readAllLines(dir.resolve("bi/t.csv")), "the latest version, as its write copied it");
  }

  @Test
  void aScopedWriteReplacesExactlyTheRowsOfItsValueWhateverCharactersTheValueHas(@TempDir Path dir) {
    // a run id given through the API rather than the CLI (which checks it): quotes and backslashes are data. Doubling
    // a quote, as standard SQL does, is not Spark SQL's escape: with it, the write of run a'b failed Delta's check
    // of its condition (tried)
    TableWriter writer = new TableWriter(spark, dir.toString(), new Progress(new PrintStream(System.err, true)), TEST_TABLES);
    StructType schema = new StructType().add("run_id", DataTypes.StringType).add("n", DataTypes.IntegerType)
        .add("period", DataTypes.StringType);
    List<String> ids = List.of("ab", "a'b", "a\\b", "a\\'b", "`x`");
    List<Row> rows = new java.util.ArrayList<>();
    for (String id : ids) {
      rows.add(RowFactory.create(id, 1, null));
    }
    writer.write("t", spark.createDataFrame(rows, schema));
    for (String id : ids) {
      // one row written, though Delta rewrites the file it shares with other runs' rows (copied, not counted)
      assertEquals(1, writer.write("t", spark.createDataFrame(List.of(RowFactory.create(id, 2, null)), schema),
          TableWriter.Scope.equalTo("run_id", id)), id);
    }
    assertEquals(ids.stream().sorted().toList(), writer.read("t").filter("n = 2").orderBy("run_id").select("run_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList(), "each run's row replaced once, by its own");
    assertEquals(ids.size(), writer.read("t").count());
    assertEquals("(`period` IN ('2007-2013', '2014-2020') OR `period` IS NULL)",
        TableWriter.Scope.periods("period", List.of("2014-2020", "2007-2013", "2014-2020"), true).condition());
    assertEquals("1 = 0", TableWriter.Scope.periods("period", List.of(), false).condition(), "no periods: no rows");
    assertEquals("`period` IN ('1994-1999')", TableWriter.Scope.periods("period", List.of("1994-1999"), false).condition(),
        "a span the data holds (from a programme's name), though --period would refuse it");
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> TableWriter.Scope.periods("period", List.of("2014-2020') OR (1 = 1"), false));
  }

  @Test
  void rowsForAScopeOfNoValuesAreRefusedAndCountsHoldWithoutDeltaMetrics(@TempDir Path dir) {
    TableWriter writer = new TableWriter(spark, dir.toString(), new Progress(new PrintStream(System.err, true)), TEST_TABLES);
    StructType schema = new StructType().add("period", DataTypes.StringType).add("n", DataTypes.IntegerType);
    Dataset<Row> two = spark.createDataFrame(List.of(RowFactory.create("2007-2013", 1), RowFactory.create("2014-2020", 2)),
        schema);
    writer.write("t", two);
    TableWriter.Scope none = TableWriter.Scope.periods("period", List.of(), false);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> writer.write("t", two.filter("n = 2"), none));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("writing t"), e.getMessage());
    assertEquals(2, writer.read("t").count(), "nothing added");
    long versionBefore = writer.latestVersion("t");
    assertEquals(0, writer.write("t", two.limit(0), none), "no rows for no values: nothing written");
    assertEquals(versionBefore + 1, writer.latestVersion("t"), "a commit all the same, which names the write");
    assertEquals(0, writer.write("t", two.limit(0), TableWriter.Scope.periods("period", List.of("2021-2027"), true), "run 2"),
        "a rerun of a period with no rows, in a table with none of it either (e.g. nothing quarantined): 0");
    assertEquals(versionBefore + 2, writer.latestVersion("t"));
    assertEquals("run 2", writer.lastCommitNote("t"), "the table's last commit names the last write, though it changed nothing");
    assertEquals(2, writer.read("t").count());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new TableWriter.Scope(null, List.of("2014-2020"), false), "the whole table takes no values");

    String metrics = "spark.databricks.delta.history.metricsEnabled";
    spark.conf().set(metrics, "false");
    try {
      // no numOutputRows in the commit: the count comes from the written version, still the scope's rows only
      assertEquals(1, writer.write("t", spark.createDataFrame(List.of(RowFactory.create("2014-2020", 3)), schema),
          TableWriter.Scope.periods("period", List.of("2014-2020"), false)));
      assertEquals(2, writer.write("t", two));
    } finally {
      spark.conf().unset(metrics);
    }
  }

  @Test
  void documentedTablesCarryTheirDescriptionAndColumnCommentsInOneCommit(@TempDir Path dir) {
    TableWriter writer = new TableWriter(spark, dir.toString(), new Progress(new PrintStream(System.err, true)), TEST_TABLES);
    // a row of the declared columns: region_id, period and share set, the others null
    StructType schema = eu.iciatlas.common.schema.TableSchemas.of("gold_ici_share");
    Object[] values = new Object[schema.size()];
    values[schema.fieldIndex("region_id")] = "r1";
    values[schema.fieldIndex("period")] = "2014-2020";
    values[schema.fieldIndex("share")] = 0.5;
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(values)), schema);
    assertEquals(1, writer.write("gold_ici_share", rows, TableWriter.Scope.periods("period", List.of("2014-2020"), false)));
    org.junit.jupiter.api.Assertions.assertTrue(Files.exists(dir.resolve("bi/gold_ici_share.csv"))
        && Files.isDirectory(dir.resolve("bi/parquet/gold_ici_share")), "the dictionary gives gold tables CSV and Parquet copies");
    Row detail = spark.sql("DESCRIBE DETAIL delta.`" + writer.deltaPath("gold_ici_share") + "`").first();
    org.junit.jupiter.api.Assertions.assertTrue(((String) detail.getAs("description")).startsWith("Figure 2: projects assigned"),
        () -> detail.getAs("description"));
    StructType written = writer.read("gold_ici_share").schema();
    assertEquals("ici_projects / projects, null when fewer than half of the projects have text (see share_null_reason) [fraction 0-1]", written.apply("share").getComment().get());
    assertEquals("Interreg programme period, e.g. 2014-2020 [programme period]", written.apply("period").getComment().get());
    // a column without a description (only a table of a test can have one: the declared columns are all described)
    Dataset<Row> t = spark.createDataFrame(List.of(RowFactory.create("x")), new StructType().add("undocumented", DataTypes.StringType));
    writer.write("t", t);
    StructField stored = writer.read("t").schema().apply("undocumented");
    org.junit.jupiter.api.Assertions.assertTrue(stored.getComment().isEmpty());
    // the column is taken by Dataset.col, which marks it with its Dataset's id; that mark stays out of the table's schema
    assertEquals("{}", stored.metadata().json());
    assertEquals(1L, io.delta.tables.DeltaTable.forPath(spark, writer.deltaPath("gold_ici_share")).history().count());
    writer.write("gold_ici_share", rows, TableWriter.Scope.periods("period", List.of("2014-2020"), false));
    assertEquals(2L, io.delta.tables.DeltaTable.forPath(spark, writer.deltaPath("gold_ici_share")).history().count(),
        "a rerun adds exactly one commit");
    assertEquals("ici_projects / projects, null when fewer than half of the projects have text (see share_null_reason) [fraction 0-1]", writer.read("gold_ici_share").schema().apply("share").getComment().get());
    assertEquals(1, writer.latestVersion("gold_ici_share"));
    assertEquals(null, writer.lastCommitNote("gold_ici_share"));
    writer.write("gold_ici_share", rows, TableWriter.Scope.WHOLE_TABLE, "inputs abc");
    assertEquals("inputs abc", writer.lastCommitNote("gold_ici_share"), "the note kept in the commit");
    assertEquals(-1, writer.latestVersion("no_such_table"));
    org.junit.jupiter.api.Assertions.assertFalse(writer.exists("no_such_table"));
  }

  @Test
  void rowsThatDifferFromTheDeclaredSchemaAreRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
    TableWriter writer = new TableWriter(spark, dir.toString(), new Progress(new PrintStream(System.err, true)));
    StructType schema = new StructType().add("period", DataTypes.StringType).add("region_kind", DataTypes.StringType)
        .add("regions", DataTypes.IntegerType);
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("2014-2020", "cross_border", 3)), schema);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> writer.write("gold_ici_share_summary", rows));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("writing gold_ici_share_summary: its rows differ from the"
        + " schema declared in ici-atlas-dictionary/schemas.csv: column regions is int, declared bigint; column regions_with_ici"
        + " (bigint) is missing;"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertFalse(writer.exists("gold_ici_share_summary"));
    org.junit.jupiter.api.Assertions.assertFalse(Files.exists(dir.resolve("bi")), "no BI copy either");
  }

  @Test
  void aQualifiedOutputWithSpacesAndNonAsciiLettersIsWrittenAndRewritten(@TempDir Path dir) throws Exception {
    // what the CLI passes for --output "Ergebnisse ä ø/ici atlas" (relative, qualified against the current folder)
    Path folder = dir.resolve("Ergebnisse ä ø").resolve("ici atlas");
    String qualified = new org.apache.hadoop.fs.Path("file:" + folder).toString();
    TableWriter writer = new TableWriter(spark, qualified, new Progress(new PrintStream(System.err, true)), TEST_TABLES);
    StructType schema = new StructType().add("period", DataTypes.StringType).add("n", DataTypes.IntegerType);
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("2014-2020", 1), RowFactory.create("2007-2013", 2)), schema);
    assertEquals(2, writer.write("t", rows));
    assertEquals(1, writer.write("t", rows.filter("n = 1"), TableWriter.Scope.periods("period", List.of("2014-2020"), false)));
    assertEquals(2, writer.read("t").count());
    assertEquals(List.of("period,n", "2007-2013,2", "2014-2020,1"), Files.readAllLines(folder.resolve("bi/t.csv")));
    org.junit.jupiter.api.Assertions.assertTrue(Files.isDirectory(folder.resolve("delta/t/_delta_log")));
  }
  @Test
  void concurrentWritesGiveOneCommitEachAndAfterAFailureStartNoMoreAndFailWithIt(@TempDir Path dir) throws Exception {
    TableWriter writer = new TableWriter(spark, dir.toString(), new Progress(new PrintStream(System.err, true)), TEST_TABLES);
    StructType schema = new StructType().add("period", DataTypes.StringType).add("n", DataTypes.IntegerType);
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("2014-2020", 1), RowFactory.create("2007-2013", 2)), schema);
    java.util.Map<String, Long> counts = ConcurrentWrites.write(writer, List.of(
        new ConcurrentWrites.PendingWrite("a", () -> rows, TableWriter.Scope.WHOLE_TABLE),
        new ConcurrentWrites.PendingWrite("b", () -> rows.filter("n = 2"), TableWriter.Scope.WHOLE_TABLE),
        new ConcurrentWrites.PendingWrite("c", () -> rows.filter("n = 1"), TableWriter.Scope.WHOLE_TABLE)));
    assertEquals(List.of("a", "b", "c"), List.copyOf(counts.keySet()), "in the order given");
    assertEquals(List.of(2L, 1L, 1L), List.copyOf(counts.values()));
    for (String t : List.of("a", "b", "c")) {
      assertEquals(0, writer.latestVersion(t), t + ": one commit");
    }
    assertEquals(List.of("period,n", "2007-2013,2", "2014-2020,1"), Files.readAllLines(dir.resolve("bi/a.csv")),
        "a: the CSV copy the dictionary gives it");
    org.junit.jupiter.api.Assertions.assertFalse(Files.exists(dir.resolve("bi/b.csv")) || Files.exists(dir.resolve("bi/parquet")),
        "b: not in the dictionary, no BI copy");
    // d fails at once; e and f started beside it and end with their one commit (or were skipped);
    // g and h would start only after d's thread was free: after the failure they are not started
    IllegalStateException failure = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> ConcurrentWrites.write(writer, List.of(
            new ConcurrentWrites.PendingWrite("d", () -> { throw new IllegalStateException("no rows for d"); },
                TableWriter.Scope.WHOLE_TABLE),
            new ConcurrentWrites.PendingWrite("e", () -> rows, TableWriter.Scope.WHOLE_TABLE),
            new ConcurrentWrites.PendingWrite("f", () -> rows, TableWriter.Scope.WHOLE_TABLE),
            new ConcurrentWrites.PendingWrite("g", () -> rows, TableWriter.Scope.WHOLE_TABLE),
            new ConcurrentWrites.PendingWrite("h", () -> rows, TableWriter.Scope.WHOLE_TABLE))));
    assertEquals("no rows for d", failure.getMessage());
    for (String t : List.of("e", "f")) {
      org.junit.jupiter.api.Assertions.assertTrue(writer.latestVersion(t) <= 0, t + ": at most its one commit");
    }
    assertEquals(-1, writer.latestVersion("g"), "not started after the failure");
    assertEquals(-1, writer.latestVersion("h"), "not started after the failure");
    org.junit.jupiter.api.Assertions.assertFalse(writer.exists("d"));
    writer.close();
  }
}
