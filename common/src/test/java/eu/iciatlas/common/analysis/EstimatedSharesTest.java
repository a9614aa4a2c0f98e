package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EstimatedSharesTest {
  private static TextFreeRates rates(double se, double sp, double effective) {
    return new TextFreeRates(0.12, new WeightedProportion(100, 100, 100 * se, effective),
        new WeightedProportion(400, 400, 400 * sp, effective), "labels.csv");
  }

  @Test
  void roganGladenCorrectsTheApparentShareAndStaysWithinZeroAndOne() {
    // Se 0.75, Sp 0.55: a true share of 0.2 appears as 0.75 * 0.2 + 0.45 * 0.8 = 0.51
    assertEquals(0.2, EstimatedShares.roganGladen(0.51, 0.75, 0.55), 1e-12);
    assertEquals(0.0, EstimatedShares.roganGladen(0.30, 0.75, 0.55), 1e-12, "below the false-positive rate: bounded to 0");
    assertEquals(1.0, EstimatedShares.roganGladen(0.90, 0.75, 0.55), 1e-12, "above the sensitivity: bounded to 1");
    assertTrue(Double.isNaN(EstimatedShares.roganGladen(0.5, 0.5, 0.5)), "no separation, no estimate");
  }

  @Test
  void theIntervalCarriesTheCountAndBothRatesAndIsReproducible() {
    EstimatedShares.Estimate small = EstimatedShares.estimate(72, 37, rates(0.75, 0.55, 100), 2000, 7);
    assertEquals(EstimatedShares.roganGladen(37.0 / 72, 0.75, 0.55), small.share(), 1e-12);
    assertTrue(small.low() <= small.share() && small.share() <= small.high(), small.toString());
    assertEquals(small, EstimatedShares.estimate(72, 37, rates(0.75, 0.55, 100), 2000, 7), "same seed, same interval");
    // more projects narrow the count's part; rates measured on more labels narrow theirs
    EstimatedShares.Estimate large = EstimatedShares.estimate(7200, 3700, rates(0.75, 0.55, 100), 2000, 7);
    EstimatedShares.Estimate sharper = EstimatedShares.estimate(7200, 3700, rates(0.75, 0.55, 100_000), 2000, 7);
    assertTrue(large.high() - large.low() < small.high() - small.low(), large + " vs " + small);
    assertTrue(sharper.high() - sharper.low() < (large.high() - large.low()) / 3, sharper + " vs " + large);
    // with exact rates and many projects the interval closes on the true share
    assertEquals(0.2, EstimatedShares.estimate(1_000_000, 510_000, rates(0.75, 0.55, 1e9), 2000, 7).high(), 0.01);
  }

  @Test
  void aRegionWithNoneOrAllProjectsCalledIciStillHasAnIntervalFromItsCount() {
    // a good model (Se = Sp = 0.95, exactly known): 0 or 20 of 20 called ICI leaves room either way
    EstimatedShares.Estimate none = EstimatedShares.estimate(20, 0, rates(0.95, 0.95, 1e9), 2000, 7);
    EstimatedShares.Estimate all = EstimatedShares.estimate(20, 20, rates(0.95, 0.95, 1e9), 2000, 7);
    assertEquals(0.0, none.share(), 1e-12);
    assertEquals(0.0, none.low(), 1e-12);
    assertTrue(none.high() > 0.0, "20 projects do not prove a share of 0: " + none);
    assertEquals(1.0, all.high(), 1e-12);
    assertTrue(all.low() < 1.0, "nor one of 1: " + all);
    // a share called ICI below the model's false-positive rate: estimate and interval at 0, never below
    EstimatedShares.Estimate below = EstimatedShares.estimate(20, 0, rates(0.75, 0.55, 1e9), 2000, 7);
    assertEquals(0.0, below.low(), 1e-12);
    assertEquals(0.0, below.high(), 1e-12);
  }

  @Test
  void theCheckNeedsTenRegionsAndEightInTen() {
    assertNull(EstimatedShares.checkFailure(10, 8));
    assertNull(EstimatedShares.checkFailure(16, 13));
    assertTrue(EstimatedShares.checkFailure(10, 7).contains("in 7 of 10 regions (70 %; 80 % needed)"),
        EstimatedShares.checkFailure(10, 7));
    assertTrue(EstimatedShares.checkFailure(9, 9).startsWith("the method cannot be checked: 9 region(s)"),
        EstimatedShares.checkFailure(9, 9));
  }

  @Test
  void aModelThatDoesNotSeparateGivesNoEstimateButSaysWhy() {
    EstimatedShares.Estimate none = EstimatedShares.estimate(72, 30, rates(0.5, 0.5, 100), 2000, 7);
    assertNull(none.share());
    assertTrue(none.nullReason().contains("does not separate"), none.nullReason());
    EstimatedShares.Estimate weak = EstimatedShares.estimate(72, 30, rates(0.52, 0.5, 20), 2000, 7);
    assertNull(weak.low(), "J of 0.02 on 20 labels: most resamples have no separation");
    assertTrue(weak.nullReason().startsWith("no interval"), weak.nullReason());
  }
}
