package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.io.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFreeRatesTest {
  /**
   * Two ICIs (weights 1 and 3) scored 0.9 and 0.3, three others (weights 2, 2, 4) scored 0.6, 0.2 and 0.1. At 0.31-0.60
   * the model finds the ICI of weight 1 and calls the other of weight 2 at 0.6 ICI: sensitivity 1/4, specificity 6/8,
   * J 0. At 0.21-0.30 it finds both ICIs and misses nothing but 0.6: sensitivity 1, specificity 6/8, J 0.75 (best; the
   * first such threshold, 0.21, is kept). Below 0.21, 0.2 is called ICI too: specificity 4/8.
   */
  @Test
  void theThresholdOfBestYoudenJWithWeightedRatesAndTheirEffectiveNumbers() {
    List<TextFreeRates.Scored> scored = List.of(new TextFreeRates.Scored(0.9, true, 1), new TextFreeRates.Scored(0.3, true, 3),
        new TextFreeRates.Scored(0.6, false, 2), new TextFreeRates.Scored(0.2, false, 2), new TextFreeRates.Scored(0.1, false, 4));
    TextFreeRates rates = TextFreeRates.measure(scored, "labels.csv (sha256 0)");
    assertEquals(0.21, rates.threshold(), 1e-12);
    assertEquals(1.0, rates.sensitivity().value(), 1e-12);
    assertEquals(0.75, rates.specificity().value(), 1e-12);
    assertEquals(0.75, rates.youden(), 1e-12);
    assertEquals(16.0 / 10.0, rates.sensitivity().effectiveProjects(), 1e-12, "Kish: (1 + 3)^2 / (1 + 9)");
    assertEquals(64.0 / 24.0, rates.specificity().effectiveProjects(), 1e-12, "Kish: (2 + 2 + 4)^2 / (4 + 4 + 16)");
    assertEquals(3, rates.specificity().labelledProjects());
  }

  @Test
  void theFileReadsBackAndBadRowsAreRefusedWithTheirLine(@TempDir Path dir) throws java.io.IOException {
    TextFreeRates rates = new TextFreeRates(0.12, new WeightedProportion(142, 280.5531, 208.6385, 98.61),
        new WeightedProportion(458, 1571.447, 891.0235, 432.05), "ici_labels_v2.csv (sha256 6f09a7c52c00)");
    TextFreeRates back = TextFreeRates.parse(new ConfFiles(Files.createDirectories(dir)).table(
        Files.writeString(dir.resolve("rates.csv"), rates.csv()).getFileName().toString()));
    assertEquals(rates.sensitivity().value(), back.sensitivity().value(), 1e-6);
    assertEquals(rates.specificity().value(), back.specificity().value(), 1e-6);
    assertEquals(0.12, back.threshold(), 1e-12);
    // the not_ici row with more correct than projects: refused naming the line a user opens (comments counted)
    List<String> lines = new java.util.ArrayList<>(rates.csv().lines().toList());
    int header = lines.indexOf(lines.stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow());
    int column = List.of(lines.get(header).split(";")).indexOf("weighted_correct");
    int notIci = lines.indexOf(lines.stream().filter(l -> l.contains(";not_ici;") || l.startsWith("not_ici;")).findFirst().orElseThrow());
    String[] cells = lines.get(notIci).split(";", -1);
    cells[column] = "2000";
    lines.set(notIci, String.join(";", cells));
    Files.writeString(dir.resolve("bad.csv"), String.join("\n", lines) + "\n");
    InputException e = assertThrows(InputException.class, () -> TextFreeRates.parse(new ConfFiles(dir).table("bad.csv")));
    assertTrue(e.getMessage().startsWith("configuration file bad.csv, line " + (notIci + 1) + ": ")
        && e.getMessage().contains("weighted_correct"), e.getMessage());
  }
}
