package eu.iciatlas.benchmarks;

import eu.iciatlas.common.SparkSessions;
import eu.iciatlas.common.io.CsvSources;
import eu.iciatlas.common.io.InputFiles;
import eu.iciatlas.common.io.SourceFiles;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The floor of the benchmark: what any Spark job over the same input must pay. Reads every Keep.eu
 * CSV file with the pipeline's own CSV options (CsvSources: one partition per multi-line file) and
 * counts it, then writes as many rows to Delta as the pipeline wrote in all its tables.
 * Usage: FloorBenchmark KEEP_DIR ROWS_TO_WRITE OUTPUT_DIR. Prints 'floor read_s=.. write_s=.. rows_read=..'.
 */
public final class FloorBenchmark {
  private FloorBenchmark() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: FloorBenchmark KEEP_DIR ROWS_TO_WRITE OUTPUT_DIR");
      System.exit(2);
    }
    SparkSession spark = SparkSessions.getOrCreate("ici-atlas floor");
    long start = System.nanoTime();
    long rows = 0;
    for (String file : InputFiles.expand("KEEP_DIR", List.of(args[0]), List.of("csv"), spark.sparkContext().hadoopConfiguration())) {
      String header = SourceFiles.firstLine(file, spark.sparkContext().hadoopConfiguration());
      int columns = CsvSources.parseHeader(header, CsvSources.Dialect.KEEP).size();
      rows += CsvSources.read(spark, file, columns, CsvSources.Dialect.KEEP).count();
    }
    double readSeconds = (System.nanoTime() - start) / 1e9;
    long toWrite = Long.parseLong(args[1]);
    long writeStart = System.nanoTime();
    spark.range(toWrite).selectExpr("id", "cast(id as string) as text", "id % 7 as period")
        .write().format("delta").mode("overwrite").save(args[2]);
    double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
    System.out.printf(java.util.Locale.ROOT, "floor read_s=%.1f write_s=%.1f rows_read=%d rows_written=%d%n",
        readSeconds, writeSeconds, rows, toWrite);
    spark.stop();
  }
}
