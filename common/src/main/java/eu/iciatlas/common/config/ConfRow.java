package eu.iciatlas.common.config;

import eu.iciatlas.common.io.InputException;
import java.util.Map;

/**
 * One row of a ';' configuration table: its values by column (trimmed; a blank or absent cell is
 * "") and where it is, so that every reader's message names the file and the line a user opens (the
 * line the row ends on, which is its only line unless a quoted value holds a line break).
 */
public record ConfRow(String file, long line, Map<String, String> values) {
  public ConfRow {
    values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
  }

  /** The cell of {@code column}, "" when blank or when the table has no such column. */
  public String get(String column) {
    return values.getOrDefault(column, "");
  }

  /** The cell of {@code column}; fails naming file, line and column when it is blank. */
  public String required(String column) {
    String value = get(column);
    if (value.isEmpty()) {
      throw error("column '" + column + "' is missing or empty");
    }
    return value;
  }

  /** The required cell of {@code column}, checked to be a Java regex. */
  public String regex(String column) {
    return checkedRegex(required(column));
  }

  /** {@code pattern} (made from this row's cells), checked to be a Java regex. */
  public String checkedRegex(String pattern) {
    try {
      java.util.regex.Pattern.compile(pattern);
      return pattern;
    } catch (java.util.regex.PatternSyntaxException e) {
      throw error("bad regex '" + pattern + "': " + e.getDescription() + " near index " + e.getIndex());
    }
  }

  /** The required cell of {@code column} as a number. */
  public double number(String column) {
    String value = required(column);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw error(column + " '" + value + "' is not a number");
    }
  }

  /** A refusal of this row: "configuration file F, line N: message". */
  public InputException error(String message) {
    return new InputException("configuration file " + file + ", line " + line + ": " + message);
  }
}
