package eu.iciatlas.common.keep;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** Column expressions that turn Keep.eu cells into typed values; built-in functions only. */
public final class KeepNormalise {
  public static final DecimalType MONEY = DataTypes.createDecimalType(20, 2);
  private static final String PERIOD_PREFIX = "^(\\d{4})\\s*[-\u2013\u2014]\\s*(\\d{4})";

  private KeepNormalise() {}

  /** Blank (empty or only white space) cells become null. */
  public static Column blankToNull(Column c) {
    Column t = trim(c);
    return when(length(t).gt(0), t);
  }

  /** Programme name with white space collapsed and the period written "2007 - 2013". */
  public static Column programme(Column raw) {
    Column collapsed = trim(regexp_replace(raw, "\\s+", " "));
    return blankToNull(regexp_replace(collapsed, PERIOD_PREFIX, "$1 - $2"));
  }

  /** Matching key of a programme: case, trailing dots and spaces do not count. */
  public static Column programmeKey(Column programme) {
    return lower(regexp_replace(programme, "[\\s.]+$", ""));
  }

  /** "2007-2013" from a programme name or period cell starting "2007 - 2013", "2007 – 2013" or "2007-2013". */
  public static Column periodFromProgramme(Column programme) {
    Column from = regexp_extract(programme, "^\\s*(\\d{4})\\s*[-\u2013\u2014]\\s*(\\d{4})", 1);
    Column to = regexp_extract(programme, "^\\s*(\\d{4})\\s*[-\u2013\u2014]\\s*(\\d{4})", 2);
    return when(length(from).gt(0), concat(from, lit("-"), to));
  }

  /** The NUTS code of a "CODE  / Name" cell, or of a cell holding just the code. */
  public static Column nutsCode(Column cell) {
    return blankToNull(regexp_extract(trim(cell), "^([A-Z]{2}[A-Z0-9]{0,3})(\\s*/.*)?$", 1));
  }

  /** ISO 3166 alpha-2 (EU style: EL, UK) code of a "EE Estonia / EESTI" cell or a bare code. */
  public static Column countryCode(Column cell) {
    return blankToNull(regexp_extract(trim(cell), "^([A-Z]{2})(\\s.*)?$", 1));
  }

  /** Budget text such as "1,638,511.09" (comma thousands) as a decimal; null when unparseable. */
  public static Column money(Column cell) {
    Column digits = regexp_replace(regexp_replace(trim(cell), "[,\\s\u00a0]", ""), "^(EUR|\u20ac)", "");
    return digits.try_cast(MONEY);
  }

  /** Keep.eu dates are yyyy/MM/dd; ISO dates from newer exports are accepted too. */
  public static Column date(Column cell) {
    Column t = trim(cell);
    return coalesce(
        try_to_timestamp(t, lit("yyyy/MM/dd")),
        try_to_timestamp(t, lit("yyyy-MM-dd")),
        try_to_timestamp(t, lit("yyyy-MM-dd HH:mm:ss")),
        try_to_timestamp(t, lit("dd.MM.yyyy"))).cast(DataTypes.DateType);
  }

  /** Yes/No (any case, also true/false, 1/0) as a boolean; null when blank or anything else. */
  public static Column yesNo(Column cell) {
    Column t = lower(trim(cell));
    return when(t.isin("yes", "true", "1", "y"), lit(true)).when(t.isin("no", "false", "0", "n"), lit(false));
  }

  /** Legal status in lower case; n/a and blanks become "unknown". */
  public static Column legalStatus(Column cell) {
    Column t = lower(trim(cell));
    return when(t.isNull().or(t.equalTo("")).or(t.isin("n/a", "na", "-")), lit("unknown")).otherwise(t);
  }
}
