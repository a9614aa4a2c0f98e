package eu.iciatlas.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluation arithmetic of the classifier: weighted precision, recall, F1, Brier score, reliability bins. */
class TrainClassifierJobTest {
  private static final List<TrainClassifierJob.Scored> SCORED = List.of(
      // eval_id, truth, weight, probability, rules' decision, theme
      new TrainClassifierJob.Scored("1", true, 1.0, 0.9, true, true),
      new TrainClassifierJob.Scored("2", true, 3.0, 0.4, false, false),
      new TrainClassifierJob.Scored("3", false, 3.0, 0.6, true, false),
      new TrainClassifierJob.Scored("4", false, 1.0, 0.05, false, true));

  /**
   * Three ICIs: A (w 1) labelled food|tourism, rules food (primary food); B (w 2) labelled energy,
   * rules research|energy (primary research); C (w 1) labelled food, rules tourism. food: precision
   * 1/1, recall 1/2; tourism: 0/1, 0/1; research: 0/2, no label; energy: 2/2, 2/2; the primary
   * agrees for A only (1 of 4).
   */
  @Test
  void specializationFiguresCompareTheRulesCodesWithTheLabelsWeighted() {
    List<TrainClassifierJob.Specializations> rows = List.of(
        new TrainClassifierJob.Specializations(1.0, List.of("food", "tourism"), List.of("food"), "food"),
        new TrainClassifierJob.Specializations(2.0, List.of("energy"), List.of("research", "energy"), "research"),
        new TrainClassifierJob.Specializations(1.0, List.of("food"), List.of("tourism"), "tourism"));
    Map<String, Map<String, Object>> byCode = new java.util.LinkedHashMap<>();
    TrainClassifierJob.specializationFigures(rows).forEach(m -> byCode.put((String) m.get("specialization"), m));
    assertEquals(List.of("energy", "food", "research", "tourism", "primary agrees"), List.copyOf(byCode.keySet()));
    assertEquals(1.0, (Double) byCode.get("food").get("precision"), 1e-12);
    assertEquals(0.5, (Double) byCode.get("food").get("recall"), 1e-12);
    assertEquals(2L, byCode.get("food").get("labelled"));
    assertEquals(0.0, (Double) byCode.get("tourism").get("precision"), 1e-12);
    assertEquals(0.0, (Double) byCode.get("research").get("precision"), 1e-12);
    assertEquals(null, byCode.get("research").get("recall"), "no label carries it: nothing to divide by");
    assertEquals(1.0, (Double) byCode.get("energy").get("recall"), 1e-12);
    assertEquals(0.25, (Double) byCode.get("primary agrees").get("precision"), 1e-12);
  }

  @Test
  void weightedFiguresCountEachProjectByItsWeight() {
    TrainClassifierJob.Figures f = TrainClassifierJob.figures(SCORED, 0.5);
    // predicted ICI: 1 (tp, w 1) and 3 (fp, w 3); missed: 2 (fn, w 3)
    assertEquals(1.0 / 4, f.precision(), 1e-12);
    assertEquals(1.0 / 4, f.recall(), 1e-12);
    assertEquals(0.25, f.f1(), 1e-12);
    double brier = (1 * 0.01 + 3 * 0.36 + 3 * 0.36 + 1 * 0.0025) / 8;
    assertEquals(brier, f.brier(), 1e-12);
    assertEquals(4.0, f.positives(), 1e-12);
    TrainClassifierJob.Figures unweighted = TrainClassifierJob.figuresUnweighted(SCORED, 0.5);
    assertEquals(0.5, unweighted.precision(), 1e-12);
    assertEquals(0.5, unweighted.recall(), 1e-12);
  }

  @Test
  void decisionsWithoutProbabilityScoreTheirErrorRateAsBrier() {
    TrainClassifierJob.Figures rules = TrainClassifierJob.decisionFigures(SCORED, true, true);
    assertEquals(1.0 / 4, rules.precision(), 1e-12);
    assertEquals((3.0 + 3.0) / 8, rules.brier(), 1e-12, "weighted share of wrong decisions");
    TrainClassifierJob.Figures theme = TrainClassifierJob.decisionFigures(SCORED, false, false);
    assertEquals(0.5, theme.precision(), 1e-12);
    assertEquals(0.5, theme.recall(), 1e-12);
  }

  @Test
  void reliabilityBinsCompareMeanPredictionWithTheObservedShare() {
    List<Map<String, Object>> bins = TrainClassifierJob.reliability(SCORED);
    assertEquals(10, bins.size());
    assertEquals(1, bins.get(4).get("projects"));
    assertEquals(1.0, (Double) bins.get(4).get("observed"), 1e-12, "project 2 (0.4) is an ICI");
    assertEquals(0.0, (Double) bins.get(6).get("observed"), 1e-12, "project 3 (0.6) is none");
    assertEquals(0.9, (Double) bins.get(9).get("mean_predicted"), 1e-12);
    assertEquals(null, bins.get(2).get("observed"), "an empty bin observes nothing");
  }
}
