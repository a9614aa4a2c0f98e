package eu.iciatlas.common.analysis;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Correlation, rank tests and the least-squares line on small aggregated samples (regions), with
 * Apache Commons Math.
 * Two-sided p-values: Pearson and Spearman from Student's t with n - 2 degrees of freedom,
 * Kendall's tau-b from the normal approximation with the tie-corrected variance of S, Mann-Whitney
 * U from the normal approximation without tie or continuity correction (as Commons Math 3.6 does).
 */
public final class Statistics {
  private Statistics() {}

  public record Correlation(int n, double pearsonR, double pearsonP, double spearmanRho, double spearmanP,
      double kendallTau, double kendallP, double bootstrapLow, double bootstrapHigh) {}

  public record MannWhitney(int nWith, int nWithout, double medianWith, double medianWithout, double u, double p,
      double rankBiserial) {}

  public static Correlation correlate(double[] x, double[] y, int resamples, long seed) {
    int n = x.length;
    if (n < 3 || constant(x) || constant(y)) {
      return new Correlation(n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          Double.NaN);
    }
    double r = new PearsonsCorrelation().correlation(x, y);
    double rho = new SpearmansCorrelation(new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE)).correlation(x, y);
    double tau = new KendallsCorrelation().correlation(x, y);
    double[] ci = bootstrapPearson(x, y, resamples, seed);
    return new Correlation(n, r, tTestP(r, n), rho, tTestP(rho, n), tau, kendallP(x, y, tau), ci[0], ci[1]);
  }

  /** The least-squares line y = intercept + slope x; both NaN below 3 points or where every x is the same. */
  public record Line(double slope, double intercept) {}

  public static Line leastSquares(double[] x, double[] y) {
    if (x.length < 3 || constant(x)) {
      return new Line(Double.NaN, Double.NaN);
    }
    SimpleRegression fit = new SimpleRegression();
    for (int i = 0; i < x.length; i++) {
      fit.addData(x[i], y[i]);
    }
    return new Line(fit.getSlope(), fit.getIntercept());
  }

  /** Two-sided p of H0: correlation = 0, t = r sqrt((n-2)/(1-r^2)) on n-2 degrees of freedom. */
  static double tTestP(double r, int n) {
    if (Math.abs(r) >= 1.0) {
      return 0.0;
    }
    double t = r * Math.sqrt((n - 2) / (1 - r * r));
    return 2 * new TDistribution(n - 2).cumulativeProbability(-Math.abs(t));
  }

  /** Kendall tau-b: z = S / sqrt(var S) with the tie-corrected variance of S. */
  static double kendallP(double[] x, double[] y, double tauB) {
    int n = x.length;
    double s = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        s += Math.signum(x[i] - x[j]) * Math.signum(y[i] - y[j]);
      }
    }
    double v0 = n * (n - 1.0) * (2 * n + 5);
    double vt = tieTerm(x, t -> t * (t - 1.0) * (2 * t + 5));
    double vu = tieTerm(y, t -> t * (t - 1.0) * (2 * t + 5));
    double v1 = tieTerm(x, t -> t * (t - 1.0)) * tieTerm(y, t -> t * (t - 1.0)) / (2.0 * n * (n - 1));
    double v2 = tieTerm(x, t -> t * (t - 1.0) * (t - 2)) * tieTerm(y, t -> t * (t - 1.0) * (t - 2)) / (9.0 * n * (n - 1) * (n - 2));
    double var = (v0 - vt - vu) / 18 + v1 + v2;
    if (var <= 0) {
      return Double.NaN;
    }
    double z = s / Math.sqrt(var);
    return 2 * new NormalDistribution().cumulativeProbability(-Math.abs(z));
  }

  private static double tieTerm(double[] v, java.util.function.DoubleUnaryOperator f) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    double sum = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      sum += f.applyAsDouble(j - i);
      i = j;
    }
    return sum;
  }

  /** Percentile bootstrap 95 % interval of Pearson r: pairs resampled with a seeded generator. */
  static double[] bootstrapPearson(double[] x, double[] y, int resamples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = x.length;
    double[] rs = new double[resamples];
    int kept = 0;
    double[] bx = new double[n];
    double[] by = new double[n];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < n; i++) {
        int k = random.nextInt(n);
        bx[i] = x[k];
        by[i] = y[k];
      }
      if (!constant(bx) && !constant(by)) {
        rs[kept++] = new PearsonsCorrelation().correlation(bx, by);
      }
    }
    double[] valid = Arrays.copyOf(rs, kept);
    Arrays.sort(valid);
    if (kept < 10) {
      return new double[] {Double.NaN, Double.NaN};
    }
    return new double[] {percentile(valid, 0.025), percentile(valid, 0.975)};
  }

  static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  public static MannWhitney mannWhitney(double[] with, double[] without) {
    if (with.length == 0 || without.length == 0) {
      return new MannWhitney(with.length, without.length, median(with), median(without), Double.NaN, Double.NaN, Double.NaN);
    }
    MannWhitneyUTest test = new MannWhitneyUTest();
    // Commons Math returns max(U1, U2); U of the "with" group is derived from the rank sum.
    double uMax = test.mannWhitneyU(with, without);
    double p = test.mannWhitneyUTest(with, without);
    double uWith = uWith(with, without);
    double rankBiserial = 2 * uWith / ((double) with.length * without.length) - 1;
    return new MannWhitney(with.length, without.length, median(with), median(without), uMax, p, rankBiserial);
  }

  /** U of the first sample: its rank sum minus n1(n1+1)/2 (average ranks for ties). */
  static double uWith(double[] with, double[] without) {
    double[] all = new double[with.length + without.length];
    System.arraycopy(with, 0, all, 0, with.length);
    System.arraycopy(without, 0, all, with.length, without.length);
    double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(all);
    double sum = 0;
    for (int i = 0; i < with.length; i++) {
      sum += ranks[i];
    }
    return sum - with.length * (with.length + 1) / 2.0;
  }

  static double median(double[] v) {
    return v.length == 0 ? Double.NaN : new Median().evaluate(v);
  }

  private static boolean constant(double[] v) {
    for (double d : v) {
      if (d != v[0]) {
        return false;
      }
    }
    return true;
  }
}
