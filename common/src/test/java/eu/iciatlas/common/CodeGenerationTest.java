package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class CodeGenerationTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void theInputsBytesCountFilesAndFoldersAndNothingForAMissingPath() throws Exception {
    Path dir = Files.createTempDirectory("ici-codegen");
    Files.write(dir.resolve("a.csv"), new byte[1000]);
    Files.createDirectories(dir.resolve("table/_delta_log"));
    Files.write(dir.resolve("table/part-0.parquet"), new byte[300]);
    Files.write(dir.resolve("table/_delta_log/0.json"), new byte[20]);
    assertEquals(1320, CodeGeneration.bytes(spark.sparkContext().hadoopConfiguration(),
        List.of(dir.resolve("a.csv").toString(), dir.resolve("table").toString(), dir.resolve("missing").toString())));
  }

  @Test
  void smallInputsRunWithoutCodeGenerationAndSaySoLargeOnesWithIt() {
    String before = spark.conf().get(CodeGeneration.WHOLE_STAGE);
    String factoryBefore = spark.conf().get(CodeGeneration.FACTORY_MODE);
    try {
      ByteArrayOutputStream lines = new ByteArrayOutputStream();
      Progress progress = new Progress(new PrintStream(lines, true, StandardCharsets.UTF_8));
      CodeGeneration.chooseFor(spark, 5L << 20, "Keep.eu files", progress);
      assertEquals("false", spark.conf().get(CodeGeneration.WHOLE_STAGE));
      assertEquals("NO_CODEGEN", spark.conf().get(CodeGeneration.FACTORY_MODE));
      assertEquals(List.of(3L), spark.range(3).selectExpr("count(*)").as(org.apache.spark.sql.Encoders.LONG()).collectAsList(),
          "queries run with Spark's interpreted evaluators");
      String said = lines.toString(StandardCharsets.UTF_8);
      assertTrue(said.contains("small input (Keep.eu files, 5.0 MB < 32 MB)") && said.contains("--conf spark.sql.codegen.wholeStage=true")
          && said.contains("--conf spark.sql.codegen.factoryMode=FALLBACK"), said);

      lines.reset();
      CodeGeneration.chooseFor(spark, CodeGeneration.SMALL_INPUT_BYTES, "Keep.eu files", progress);
      assertEquals("true", spark.conf().get(CodeGeneration.WHOLE_STAGE), "from the threshold on: Spark's default");
      assertEquals("FALLBACK", spark.conf().get(CodeGeneration.FACTORY_MODE), "Spark's default");
      assertEquals("", lines.toString(StandardCharsets.UTF_8));
    } finally {
      spark.conf().set(CodeGeneration.WHOLE_STAGE, before);
      spark.conf().set(CodeGeneration.FACTORY_MODE, factoryBefore);
    }
  }
}
