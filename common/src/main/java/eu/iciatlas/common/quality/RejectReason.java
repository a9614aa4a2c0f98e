package eu.iciatlas.common.quality;

/**
 * Why an input row was quarantined: the reason codes of the quarantine tables' {@code reason} column
 * (their names are what the tables hold). A row that fails a rule is never dropped: it goes to
 * quarantine with its reason, a detail in words and its raw record, and the audit counts it.
 *
 * <p>There is no warning level among them, by design: a row is accepted or quarantined. What is wrong with a whole
 * file or option fails the run before it writes ({@code InputException}, naming the file and what to do); what is
 * worth a word but refuses nothing is a progress line that starts with "warning:" (a region footprint code without a
 * region in the output version), or a plain line (a JRC matrix region the output version does not list, read as
 * another or left out).
 */
public enum RejectReason {
  /** The record does not split into the header's fields (a CSV line with too many or too few cells). */
  MALFORMED_RECORD,
  /** A quoted field is not closed before the end of the file. */
  UNTERMINATED_QUOTE,
  /** A key column (programme, acronym, partner) is empty. */
  MISSING_KEY,
  /** The row's programme period cannot be told from the file or the programme. */
  UNKNOWN_PERIOD,
  /** An amount that is not a number. */
  BAD_NUMBER,
  /** A date that is not a date. */
  BAD_DATE,
  /** A lead-partner flag that is neither yes nor no. */
  BAD_LEAD_FLAG,
  /** A NUTS code that no code list of the Keep.eu NUTS version has. */
  UNKNOWN_NUTS_CODE,
  /** The same row twice in one delivery. */
  DUPLICATE_ROW,
  /** Eurostat: an observation whose value is not a number (flags aside). */
  BAD_VALUE,
  /** Eurostat: a time that is no annual period. */
  BAD_TIME,
  /** Eurostat: an observation without a geo code. */
  MISSING_GEO
}
