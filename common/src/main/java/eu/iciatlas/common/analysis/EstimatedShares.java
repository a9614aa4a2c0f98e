package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.Tables;
import eu.iciatlas.common.schema.TableSchemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * gold_ici_share_estimated: the ICI share of each region and period estimated without project text,
 * for periods whose exports have none (2000-2013). The text-free model ({@link IciModel.Features#TEXT_FREE})
 * calls k of a region's n projects ICI; its measured sensitivity Se and specificity Sp
 * ({@link TextFreeRates}) correct that apparent share a = k / n to the Rogan-Gladen estimate
 * (a + Sp - 1) / (Se + Sp - 1), bounded to [0, 1]. The 95 % interval is a percentile bootstrap that
 * draws the region's count (binomial) and both rates (Beta with their effective labelled numbers:
 * the rates' own uncertainty, shared by every region), so it carries all three. Regions and periods
 * with text get the estimate too, as a check of the method against their expected share (gold_ici_share).
 *
 * <p>The bootstrap runs on the driver with Commons Math: one row per region and period (tens), a few
 * thousand draws each.
 */
public final class EstimatedShares {
  private static final StructType SCHEMA = TableSchemas.of(Tables.GOLD_ICI_SHARE_ESTIMATED);

  /** Below this coverage of the check (intervals that hold the expected share where text exists), no estimate without text. */
  public static final double MIN_CHECK_COVERAGE = 0.8;
  /** An interval wider than this (as a fraction) says nothing: it does not pass the check, whatever it holds. */
  public static final double MAX_CHECK_WIDTH = 0.5;
  /** Fewer regions with text than this: the method cannot be checked, so no estimate without text. */
  public static final int MIN_CHECK_REGIONS = 10;

  /** A point estimate with its interval, or nulls with the reason. */
  public record Estimate(Double share, Double low, Double high, String nullReason) {}

  private EstimatedShares() {}

  /** (a + Sp - 1) / (Se + Sp - 1) bounded to [0, 1]; NaN when Se + Sp - 1 is not positive. */
  static double roganGladen(double apparent, double sensitivity, double specificity) {
    return bounded(unbounded(apparent, sensitivity, specificity));
  }

  private static double bounded(double share) {
    return Math.min(1, Math.max(0, share));
  }

  private static double unbounded(double apparent, double sensitivity, double specificity) {
    double j = sensitivity + specificity - 1;
    return j <= 0 ? Double.NaN : (apparent + specificity - 1) / j;
  }

  /** The estimate for k of n projects called ICI; the bootstrap is seeded, so the same inputs give the same interval. */
  public static Estimate estimate(long n, long k, TextFreeRates rates, int resamples, long seed) {
    double se = rates.sensitivity().value();
    double sp = rates.specificity().value();
    if (n == 0) {
      return new Estimate(null, null, null, "no projects");
    }
    if (rates.youden() <= 0) {
      return new Estimate(null, null, null, "the text-free model does not separate ICIs from others (sensitivity + specificity"
          + " - 1 is not positive)");
    }
    double apparent = (double) k / n;
    RandomGenerator random = new Well19937c(seed);
    BetaDistribution sensitivity = beta(random, se, rates.sensitivity().effectiveProjects());
    BetaDistribution specificity = beta(random, sp, rates.specificity().effectiveProjects());
    // the region's apparent share as Beta(k + 1/2, n - k + 1/2): it varies at k = 0 and k = n too (a binomial would not)
    BetaDistribution count = new BetaDistribution(random, k + 0.5, n - k + 0.5);
    double[] draws = new double[resamples];
    int kept = 0;
    for (int b = 0; b < resamples; b++) {
      // unbounded draws: bounding each would pile them up at 0 or 1; only the interval's ends are bounded
      double drawn = unbounded(count.sample(), sensitivity.sample(), specificity.sample());
      if (!Double.isNaN(drawn)) {
        draws[kept++] = drawn;
      }
    }
    double share = roganGladen(apparent, se, sp);
    if (kept < 0.975 * resamples) {
      return new Estimate(share, null, null, String.format(Locale.ROOT, "no interval: in %.0f %% of the resamples the model's"
          + " sensitivity + specificity - 1 is not positive", 100.0 * (resamples - kept) / resamples));
    }
    double[] sorted = Arrays.copyOf(draws, kept);
    Arrays.sort(sorted);
    return new Estimate(share, bounded(Statistics.percentile(sorted, 0.025)), bounded(Statistics.percentile(sorted, 0.975)), null);
  }

  /** Beta with the rate's value as mean and its effective number as weight (Jeffreys' half counts). */
  private static BetaDistribution beta(RandomGenerator random, double rate, double effective) {
    return new BetaDistribution(random, rate * effective + 0.5, (1 - rate) * effective + 0.5);
  }

  /**
   * The table: {@code model} scores the projects (silver_projects with the programme's strand), the counts are taken per
   * region of {@code projectRegions} and period, and each gets its estimate. With no model, every row says why.
   *
   * <p>The method is checked where it can be: in regions whose projects have text, gold_ici_share's expected share
   * ({@code iciShare}) is known, and a 95 % interval should hold it in about 95 % of them. Rogan-Gladen assumes that the
   * model errs alike in every region; where the check shows it does not (fewer than {@link #MIN_CHECK_COVERAGE} of at
   * least {@link #MIN_CHECK_REGIONS} regions held), the estimates of regions without text are null with the check's
   * figures as the reason, and the checked rows keep theirs as the evidence.
   */
  public static Dataset<Row> table(SparkSession spark, Transformer model, TextFreeRates rates, String unavailableReason,
      Dataset<Row> projects, Dataset<Row> projectRegions, Dataset<Row> iciShare, int resamples, long seed) {
    Dataset<Row> scored = model == null ? projects.withColumn("ici_probability", lit(null).cast("double"))
        : IciModel.probability(model, projects);
    Column predicted = model == null ? lit(0) : when(col("ici_probability").geq(rates.threshold()), 1).otherwise(0);
    List<Row> counts = scored.select(col("project_id"), col("has_text"), predicted.as("predicted"))
        .join(projectRegions.filter(col("region_id").isNotNull())
            .select("project_id", "region_id", "region_name", "region_kind", "period"), "project_id")
        .groupBy("region_id", "region_name", "region_kind", "period")
        .agg(count(lit(1)).as("projects"), sum(when(col("has_text"), 1).otherwise(0)).as("with_text"),
            sum(col("predicted")).as("predicted"))
        .orderBy("period", "region_kind", "region_id").collectAsList();
    if (model == null) {
      List<Row> out = new ArrayList<>();
      for (Row r : counts) {
        out.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5), null,
            null, null, null, null, null, null, null, null, unavailableReason));
      }
      return spark.createDataFrame(out, SCHEMA);
    }
    java.util.Map<String, Double> expected = new java.util.HashMap<>();
    for (Row r : iciShare.filter(col("expected_share").isNotNull()).select("region_id", "period", "expected_share").collectAsList()) {
      expected.put(r.getString(0) + "|" + r.getString(1), r.getDouble(2));
    }
    List<Object[]> rows = new ArrayList<>();
    int checked = 0;
    int held = 0;
    for (Row r : counts) {
      String key = r.getString(0) + "|" + r.getString(3);
      long n = r.getLong(4);
      long withText = r.getLong(5);
      long k = r.getLong(6);
      Estimate e = estimate(n, k, rates, resamples, seed ^ key.hashCode());
      Boolean holds = null;
      if (expected.containsKey(key) && e.low() != null) {
        double x = expected.get(key);
        // an interval too wide to say anything holds every share: it does not pass the check
        holds = e.low() <= x && x <= e.high() && e.high() - e.low() <= MAX_CHECK_WIDTH;
        checked++;
        held += holds ? 1 : 0;
      }
      rows.add(new Object[] {r.getString(0), r.getString(1), r.getString(2), r.getString(3), n, withText, k,
          n == 0 ? null : (double) k / n, e.share(), e.low(), e.high(), rates.sensitivity().value(), rates.specificity().value(),
          method(rates, resamples, withText, n), holds, e.nullReason()});
    }
    String failedCheck = checkFailure(checked, held);
    List<Row> out = new ArrayList<>();
    for (Object[] v : rows) {
      boolean withoutText = (long) v[5] * 2 < (long) v[4];
      if (failedCheck != null && withoutText) {
        v[8] = null;
        v[9] = null;
        v[10] = null;
        v[15] = "no estimate: " + failedCheck;
      }
      out.add(RowFactory.create(v));
    }
    return spark.createDataFrame(out, SCHEMA);
  }

  /** The reason the regions without text get no estimate, or null when the check passed. */
  static String checkFailure(int checked, int held) {
    if (checked < MIN_CHECK_REGIONS) {
      return String.format(Locale.ROOT, "the method cannot be checked: %d region(s) with text and an expected share (at least %d"
          + " needed)", checked, MIN_CHECK_REGIONS);
    }
    return held < MIN_CHECK_COVERAGE * checked ? String.format(Locale.ROOT, "the method fails its check: where projects have"
        + " text, its 95 %% interval holds the expected share of gold_ici_share (and is at most %.0f points wide) in %d of %d"
        + " regions (%.0f %%; %.0f %% needed)", 100 * MAX_CHECK_WIDTH, held, checked, 100.0 * held / checked, 100 * MIN_CHECK_COVERAGE)
        : null;
  }

  private static String method(TextFreeRates rates, int resamples, long withText, long n) {
    return String.format(Locale.ROOT, "Rogan-Gladen correction of the share the text-free model (acronym, lead partner, strand)"
        + " calls ICI, by its sensitivity %.3f and specificity %.3f at threshold %.2f (out of fold on %s with the text hidden,"
        + " weighted to the 2014-2020 export), bounded to [0, 1]; 95 %% percentile bootstrap over %d resamples of the region's"
        + " count and both rates (not the choice of the threshold, nor the model's transfer to another period or region)%s", rates.sensitivity().value(), rates.specificity().value(), rates.threshold(), rates.labels(),
        resamples, withText * 2 >= n ? "; this region has text, so gold_ici_share's count share is the better measure here"
            + " and this estimate a check of the method" : "");
  }
}
