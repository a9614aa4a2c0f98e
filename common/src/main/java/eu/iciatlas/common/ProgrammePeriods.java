package eu.iciatlas.common;

/**
 * What a programme period is, said once: seven calendar years from 2000 on, written START-END
 * (2000-2006, 2007-2013, 2014-2020, 2021-2027, 2028-2034, ...), what --period takes; the writers'
 * period scopes take any START-END, as the data may hold other spans.
 */
public final class ProgrammePeriods {
  /** The periods to name in a message; Keep.eu has these four. */
  public static final String EXAMPLES = "2000-2006, 2007-2013, 2014-2020 or 2021-2027";

  private ProgrammePeriods() {}

  /**
   * START-END with four-digit years: the shape of a period as the data may hold it (a programme
   * named "1994-1999 ..." gets that span from its name), which a period scope of a write accepts.
   */
  public static boolean hasPeriodShape(String text) {
    return text != null && text.matches("\\d{4}-\\d{4}");
  }

  /** A programme period as --period takes it: seven years from 2000 on. */
  public static boolean isPeriod(String text) {
    if (!hasPeriodShape(text)) {
      return false;
    }
    int start = Integer.parseInt(text.substring(0, 4));
    int end = Integer.parseInt(text.substring(5));
    return end - start == 6 && start >= 2000 && (start - 2000) % 7 == 0;
  }
}
