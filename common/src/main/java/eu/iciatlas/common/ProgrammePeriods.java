package eu.iciatlas.common;

/**
 * What a programme period is, said once (the command line's --period and the writers' period scopes
 * use it): seven calendar years from 2000 on, written START-END (2000-2006, 2007-2013, 2014-2020,
 * 2021-2027, 2028-2034, ...).
 */
public final class ProgrammePeriods {
  /** The periods to name in a message; Keep.eu has these four. */
  public static final String EXAMPLES = "2000-2006, 2007-2013, 2014-2020 or 2021-2027";

  private ProgrammePeriods() {}

  public static boolean isPeriod(String text) {
    if (text == null || !text.matches("\\d{4}-\\d{4}")) {
      return false;
    }
    int start = Integer.parseInt(text.substring(0, 4));
    int end = Integer.parseInt(text.substring(5));
    return end - start == 6 && start >= 2000 && (start - 2000) % 7 == 0;
  }
}
