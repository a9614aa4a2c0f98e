package eu.iciatlas.common.eurostat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.TestData;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.io.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/indicators.csv: what it must define before any Eurostat file is read. */
class IndicatorDefinitionTest {
  private static final String HEADER = "indicator;dataset;filter;numerator;denominator;scale;recode;unit;description\n";

  @Test
  void theRepositoryDefinitionsLoadWithEurostatSeriesAndComputedTypologies() {
    List<IndicatorDefinition> all = IndicatorDefinition.load(new ConfFiles(TestData.repoRoot().resolve("conf")));
    assertTrue(all.stream().anyMatch(d -> d.typologyVersion() == null), "a Eurostat series");
    assertTrue(all.stream().anyMatch(d -> d.typologyVersion() != null), "a computed typology share");
  }

  @Test
  void onlyComputedTypologyRowsAreRefusedNamingTheFile(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("indicators.csv"), HEADER
        + "urban_population_share;@urbn_type_2016_pop11;;;;100;per_capita;% of population;urban share\n");
    InputException e = assertThrows(InputException.class, () -> IndicatorDefinition.load(new ConfFiles(conf)));
    assertTrue(e.getMessage().startsWith("configuration file indicators.csv in " + conf), e.getMessage());
    assertTrue(e.getMessage().contains("no indicator from a Eurostat dataset"), e.getMessage());
  }

  @Test
  void aFileWithOnlyItsHeaderIsRefused(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("indicators.csv"), "# nothing defined yet\n" + HEADER);
    InputException e = assertThrows(InputException.class, () -> IndicatorDefinition.load(new ConfFiles(conf)));
    assertTrue(e.getMessage().contains("defines no indicator from a Eurostat dataset"), e.getMessage());
  }

  @Test
  void oneEurostatRowIsEnough(@TempDir Path conf) throws Exception {
    Files.writeString(conf.resolve("indicators.csv"), HEADER
        + "population;tgs00001;;;;1000;count;persons;Average population\n");
    List<IndicatorDefinition> one = IndicatorDefinition.load(new ConfFiles(conf));
    assertEquals("tgs00001", one.get(0).sourceDataset());
    assertEquals(1000.0, one.get(0).scale());
  }
}
