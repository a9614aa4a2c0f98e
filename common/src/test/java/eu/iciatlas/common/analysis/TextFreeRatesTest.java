package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import eu.iciatlas.common.io.InputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
  void theFileReadsBackAndBadRowsAreRefusedWithTheirRow() {
    TextFreeRates rates = new TextFreeRates(0.12, new WeightedProportion(142, 280.5531, 208.6385, 98.61),
        new WeightedProportion(458, 1571.447, 891.0235, 432.05), "ici_labels_v2.csv (sha256 6f09a7c52c00)");
    List<Map<String, String>> rows = new java.util.ArrayList<>();
    List<String> lines = rates.csv().lines().filter(l -> !l.startsWith("#")).toList();
    String[] header = lines.get(0).split(";");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(";");
      Map<String, String> row = new java.util.LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], cells[i]);
      }
      rows.add(row);
    }
    TextFreeRates back = TextFreeRates.parse(rows);
    assertEquals(rates.sensitivity().value(), back.sensitivity().value(), 1e-6);
    assertEquals(rates.specificity().value(), back.specificity().value(), 1e-6);
    assertEquals(0.12, back.threshold(), 1e-12);
    rows.get(1).put("weighted_correct", "2000");
    InputException e = assertThrows(InputException.class, () -> TextFreeRates.parse(rows));
    assertEquals(true, e.getMessage().contains("row 2") && e.getMessage().contains("weighted_correct"), e.getMessage());
  }
}
