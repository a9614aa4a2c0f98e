package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Expected values come from scripts/independent_statistics.py: the same samples computed from first
 * principles with Python's standard library (definitions, numerically integrated t density, pair
 * counting), not with Commons Math.
 */
class StatisticsTest {
  private static final double[] X = {1.2, 2.4, 2.4, 3.1, 4.8, 5.0, 6.3, 7.7, 8.1, 9.9, 10.4, 12.0};
  private static final double[] Y = {2.0, 1.5, 3.9, 3.0, 6.1, 4.4, 7.5, 6.8, 9.9, 8.0, 12.5, 11.0};

  @Test
  void correlationsAndPValuesMatchAnIndependentComputation() {
    Statistics.Correlation c = Statistics.correlate(X, Y, 2000, 7);
    assertEquals(12, c.n());
    assertEquals(0.9302405171009817, c.pearsonR(), 1e-12);
    assertEquals(1.1563567543615427e-05, c.pearsonP(), 1e-9);
    assertEquals(0.9492133645984592, c.spearmanRho(), 1e-12);
    assertEquals(2.442741734998144e-06, c.spearmanP(), 1e-9);
    assertEquals(0.8091838819320085, c.kendallTau(), 1e-12);
    assertEquals(0.0002695626342019211, c.kendallP(), 1e-9);
    assertTrue(c.bootstrapLow() < c.pearsonR() && c.pearsonR() < c.bootstrapHigh(), c.toString());
    assertTrue(c.bootstrapLow() > 0.7 && c.bootstrapHigh() <= 1.0, c.toString());
    assertEquals(c, Statistics.correlate(X, Y, 2000, 7), "a seeded bootstrap gives the same interval on a rerun");
  }

  /** The expected line: Python's statistics.linear_regression, and the same in exact fractions. */
  @Test
  void theLeastSquaresLineMatchesAnIndependentComputation() {
    Statistics.Line line = Statistics.leastSquares(X, Y);
    assertEquals(0.9376040689049681, line.slope(), 1e-12);
    assertEquals(0.6561351457721535, line.intercept(), 1e-12);
    assertTrue(Double.isNaN(Statistics.leastSquares(new double[] {2, 2, 2}, new double[] {1, 2, 3}).slope()), "x constant");
    assertTrue(Double.isNaN(Statistics.leastSquares(new double[] {1, 2}, new double[] {1, 2}).intercept()), "two points");
    assertEquals(0.0, Statistics.leastSquares(new double[] {1, 2, 3}, new double[] {5, 5, 5}).slope(), 0.0,
        "a flat line where every y is the same (no correlation, but a line)");
  }

  @Test
  void mannWhitneyMatchesAnIndependentComputation() {
    Statistics.MannWhitney t = Statistics.mannWhitney(new double[] {4, 7, 7, 9, 12, 15}, new double[] {1, 2, 2, 3, 5, 7, 8});
    assertEquals(36.0, t.u(), 1e-12);
    assertEquals(0.03212457120765665, t.p(), 1e-9);
    assertEquals(0.7142857142857142, t.rankBiserial(), 1e-12);
    assertEquals(8.0, t.medianWith(), 1e-12);
    assertEquals(3.0, t.medianWithout(), 1e-12);
  }

  @Test
  void degenerateSamplesGiveNoStatisticRatherThanANumber() {
    Statistics.Correlation c = Statistics.correlate(new double[] {1, 1, 1}, new double[] {1, 2, 3}, 100, 1);
    assertTrue(Double.isNaN(c.pearsonR()));
    assertTrue(Double.isNaN(Statistics.mannWhitney(new double[] {}, new double[] {1}).p()));
  }
}
