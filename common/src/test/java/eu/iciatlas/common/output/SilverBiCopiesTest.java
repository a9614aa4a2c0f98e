package eu.iciatlas.common.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.io.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bi.silver=false: no BI copies of the silver tables, and none of an earlier run left beside the new ones. */
class SilverBiCopiesTest {
  private final ConfFiles conf = new ConfFiles(TestData.repoRoot().resolve("conf"));

  @Test
  void theSettingIsOffInTheShippedConfigurationAndRefusesAnythingButTrueOrFalse() {
    assertFalse(PipelineSettings.load(conf).biSilverCopies(), "silver copies on request only (issue 13): they are the largest");
    assertTrue(PipelineSettings.load(conf, List.of("bi.silver=true")).biSilverCopies());
    InputException e = assertThrows(InputException.class, () -> PipelineSettings.load(conf, List.of("bi.silver=no")));
    assertTrue(e.getMessage().contains("bi.silver") && e.getMessage().contains("true or false"), e.getMessage());
  }

  @Test
  void withoutSilverCopiesOnlyTheSilverTablesLoseTheirs() {
    DataDictionary packaged = DataDictionary.packaged();
    DataDictionary without = packaged.withSilverBiCopies(false);
    assertEquals(DataDictionary.BiFormats.CSV_AND_PARQUET, packaged.biFormats(Tables.SILVER_PROJECTS));
    for (String silver : List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PARTICIPATIONS, Tables.SILVER_PROJECT_CLASSIFICATION,
        Tables.SILVER_PROJECT_REGIONS, Tables.SILVER_REGION_INDICATORS, Tables.SILVER_NUTS_REGIONS)) {
      assertEquals(DataDictionary.BiFormats.NONE, without.biFormats(silver), silver);
      assertEquals(packaged.table(silver).description(), without.table(silver).description(), "still documented");
    }
    for (String other : List.of(Tables.GOLD_ICI_SHARE, Tables.STAR_DIM_PROJECT, Tables.QUARANTINE_KEEP_PARTNERS,
        Tables.INGEST_AUDIT, Tables.RUN_MANIFEST)) {
      assertEquals(packaged.biFormats(other), without.biFormats(other), other);
    }
    assertTrue(packaged.withSilverBiCopies(true) == packaged);
  }

  @Test
  void withdrawRemovesThePublishedSilverCopiesAndNothingElse(@TempDir Path dir) throws Exception {
    Path bi = Files.createDirectories(dir.resolve("bi"));
    for (String t : List.of(Tables.SILVER_PROJECTS, Tables.SILVER_PARTICIPATIONS, Tables.GOLD_ICI_SHARE)) {
      Files.writeString(bi.resolve(t + ".csv"), "a\n1\n");
      Files.writeString(Files.createDirectories(bi.resolve("parquet").resolve(t)).resolve("part-0.parquet"), "x");
    }
    Files.createDirectories(bi.resolve("parquet").resolve(Tables.SILVER_NUTS_REGIONS)); // a Parquet copy without its CSV
    Files.writeString(bi.resolve("README.md"), "#");

    List<String> removed = BiCopies.withdraw(dir.toUri().toString(), new Configuration(), DataDictionary.SILVER_PREFIX);

    assertEquals(List.of(Tables.SILVER_NUTS_REGIONS, Tables.SILVER_PARTICIPATIONS, Tables.SILVER_PROJECTS), removed);
    try (var left = Files.walk(bi)) {
      assertEquals(List.of("README.md", "gold_ici_share.csv", "parquet", "parquet/gold_ici_share",
          "parquet/gold_ici_share/part-0.parquet"), left.filter(p -> !p.equals(bi) && !p.getFileName().toString().startsWith("."))
          .map(p -> bi.relativize(p).toString()).sorted().toList());
    }
    assertEquals(List.of(), BiCopies.withdraw(dir.toUri().toString(), new Configuration(), DataDictionary.SILVER_PREFIX),
        "nothing left to remove");
  }
}
