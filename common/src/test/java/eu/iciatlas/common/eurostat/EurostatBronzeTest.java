package eu.iciatlas.common.eurostat;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.iciatlas.common.DatasetAssert;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.quality.Validation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same observations delivered in every Eurostat layout must parse to the same long rows. The
 * values are real (nama_10r_2gdp PPS_HAB_EU, bulk TSV 2017: EE00 75 and 76, FI1B 149 e in 2013);
 * the FI1B 2014 cell is replaced by a confidential ': c' so that missing values are exercised.
 */
class EurostatBronzeTest {
  private static final Timestamp NOW = Timestamp.valueOf("2026-01-01 00:00:00");
  private static final List<List<Object>> EXPECTED = List.of(
      Arrays.asList("nama_10r_2gdp", "PPS_HAB_EU", "EE00", 2013, 75.0, null),
      Arrays.asList("nama_10r_2gdp", "PPS_HAB_EU", "EE00", 2014, 76.0, null),
      Arrays.asList("nama_10r_2gdp", "PPS_HAB_EU", "FI1B", 2013, 149.0, "e"),
      Arrays.asList("nama_10r_2gdp", "PPS_HAB_EU", "FI1B", 2014, null, "c"));

  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> read(Path file) {
    return EurostatBronze.read(spark, List.of(file.toString()), "run", NOW);
  }

  private static void assertSameObservations(Dataset<Row> rows) {
    DatasetAssert.assertRows(EXPECTED, Validation.accepted(rows), "dataset", "unit", "geo", "year", "value", "flags");
  }

  @Test
  void legacyBulkTsvWithDescendingYears(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("nama_10r_2gdp.tsv");
    Files.writeString(f, "unit,geo\\time\t2014 \t2013 \n"
        + "PPS_HAB_EU,EE00\t76 \t75 \n"
        + "PPS_HAB_EU,FI1B\t: c\t149 e\n");
    assertSameObservations(read(f));
  }

  @Test
  void apiTsvWithFrequencyAndAscendingYears(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("estat_nama_10r_2gdp.tsv");
    Files.writeString(f, "freq,unit,geo\\TIME_PERIOD\t2013 \t2014 \n"
        + "A,PPS_HAB_EU,EE00\t75 \t76 \n"
        + "A,PPS_HAB_EU,FI1B\t149 e\t: c\n");
    Dataset<Row> rows = read(f);
    assertSameObservations(rows);
    assertEquals("A", Validation.accepted(rows).selectExpr("dimensions['freq']").first().getString(0));
  }

  @Test
  void sdmxCsv10(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("gdp.csv");
    Files.writeString(f, "DATAFLOW,LAST UPDATE,freq,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        + "ESTAT:NAMA_10R_2GDP(1.0),27/02/24 23:00:00,A,PPS_HAB_EU,EE00,2013,75,\n"
        + "ESTAT:NAMA_10R_2GDP(1.0),27/02/24 23:00:00,A,PPS_HAB_EU,EE00,2014,76,\n"
        + "ESTAT:NAMA_10R_2GDP(1.0),27/02/24 23:00:00,A,PPS_HAB_EU,FI1B,2013,149,e\n"
        + "ESTAT:NAMA_10R_2GDP(1.0),27/02/24 23:00:00,A,PPS_HAB_EU,FI1B,2014,,c\n", StandardCharsets.UTF_8);
    assertSameObservations(read(f));
  }

  @Test
  void sdmxCsv20WithColumnsInAnotherOrder(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("gdp2.csv");
    Files.writeString(f, "STRUCTURE,STRUCTURE_ID,ACTION,geo,unit,freq,TIME_PERIOD,OBS_FLAG,OBS_VALUE,CONF_STATUS\n"
        + "dataflow,ESTAT:nama_10r_2gdp(1.0),I,EE00,PPS_HAB_EU,A,2013,,75,\n"
        + "dataflow,ESTAT:nama_10r_2gdp(1.0),I,EE00,PPS_HAB_EU,A,2014,,76,\n"
        + "dataflow,ESTAT:nama_10r_2gdp(1.0),I,FI1B,PPS_HAB_EU,A,2013,e,149,\n"
        + "dataflow,ESTAT:nama_10r_2gdp(1.0),I,FI1B,PPS_HAB_EU,A,2014,c,,C\n", StandardCharsets.UTF_8);
    assertSameObservations(read(f));
  }

  @Test
  void unparseableCellsAndShortLinesAreQuarantinedNotDropped(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("nama_10r_2gdp.tsv");
    Files.writeString(f, "unit,geo\\time\t2014 \t2013 \n"
        + "PPS_HAB_EU,EE00\t76 \t75 \n"
        + "PPS_HAB_EU,FI1B\tn/a\t149 e\n"
        + "PPS_HAB_EU,FI1C\t12\n");
    Dataset<Row> rows = read(f);
    DatasetAssert.assertRows(List.of(
            Arrays.asList(1L, 2014, null), Arrays.asList(1L, 2013, null),
            Arrays.asList(2L, 2014, "BAD_VALUE"), Arrays.asList(2L, 2013, null),
            Arrays.asList(3L, null, "MALFORMED_RECORD")),
        rows, "_source_row", "year", Validation.REASON);
    assertEquals("PPS_HAB_EU,FI1C\t12", rows.filter(col(Validation.REASON).equalTo("MALFORMED_RECORD"))
        .first().<String>getAs("raw_record").trim());
  }

  @Test
  void realBulkFilesParseCompletely() {
    Path tgs = TestData.sample("eurostat/tgs00001.tsv.gz");
    Path lfs = TestData.sample("eurostat/lfst_r_lfe2en2.tsv.gz");
    // persisted as the job does: Spark refuses a count that would read only the corrupt-record column
    Dataset<Row> rows = EurostatBronze.read(spark, List.of(tgs.toString(), lfs.toString()), "run", NOW).cache();
    assertEquals(0, rows.filter(col(Validation.REASON).isNotNull()).count());
    // tgs00001: 317 regions x 10 years; lfst_r_lfe2en2: 28,065 lines x 8 years
    assertEquals(317 * 10, rows.filter(col("dataset").equalTo("tgs00001")).count());
    assertEquals(28_065 * 8, rows.filter(col("dataset").equalTo("lfst_r_lfe2en2")).count());
    Row ee = rows.filter("dataset = 'lfst_r_lfe2en2' and geo = 'AT1' and year = 2008 and dimensions['nace_r2'] = 'A'"
        + " and dimensions['age'] = 'Y15-24'").first();
    assertEquals(4.0, ee.<Double>getAs("value"));
    assertEquals("bu", ee.getAs("flags"));
  }

  @Test
  void aFileWithGeoAsItsOnlyDimensionWritesToDeltaAlone(@TempDir Path dir) {
    Path tgs = TestData.sample("eurostat/tgs00001.tsv.gz");
    Dataset<Row> rows = Validation.accepted(read(tgs)).drop("raw_record");
    assertEquals("map<string,string>", rows.schema().apply("dimensions").dataType().simpleString());
    rows.write().format("delta").save(dir.resolve("t").toString());
    assertEquals(3170, spark.read().format("delta").load(dir.resolve("t").toString()).count());
  }

  @Test
  void aTsvWithoutGeoFailsNamingTheFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.tsv");
    Files.writeString(f, "unit,sex\\time\t2014\nTHS,F\t1\n");
    InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> read(f));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }
}
