package eu.iciatlas.common.keep;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/** Strand and countries of a programme from its name (conf/programme_strands.csv, conf/countries.csv). */
public final class ProgrammeRules {
  record StrandRule(String strand, String pattern) {}

  record CountryRule(String iso, String names, List<String> codes) {
    /** One of the names, case-insensitive, from a word start. */
    String byName() {
      return "(?i)\\b(" + names + ")";
    }

    /** The ISO code or one of the codes in a name's "(FI-SE-EE-LA)" suffix. */
    String codeInSuffix() {
      List<String> all = new ArrayList<>(codes);
      all.add(iso);
      return "\\((?:[A-Z]{2}-)*(" + String.join("|", all) + ")(?:-[A-Z]{2})*\\)";
    }
  }

  private final List<StrandRule> strands = new ArrayList<>();
  private final List<CountryRule> countries = new ArrayList<>();

  public ProgrammeRules(ConfFiles conf) {
    for (ConfRow r : conf.table("programme_strands.csv", "strand", "pattern")) {
      String pattern = r.regex("pattern");
      strands.add(new StrandRule(r.required("strand"), pattern));
    }
    for (ConfRow r : conf.table("countries.csv", "iso", "names")) {
      String codes = r.get("codes");
      CountryRule rule = new CountryRule(r.required("iso"), r.required("names"), codes.isEmpty() ? List.of() : List.of(codes.split("\\|")));
      // the names and codes become regexes: a bad one fails here, naming the line, not later inside a Spark job
      r.checkedRegex(rule.byName());
      r.checkedRegex(rule.codeInSuffix());
      countries.add(rule);
    }
  }

  public Column strand(Column programme) {
    Column result = lit("cross_border");
    for (int i = strands.size() - 1; i >= 0; i--) {
      result = when(programme.rlike("(?i)" + strands.get(i).pattern()), lit(strands.get(i).strand())).otherwise(result);
    }
    return result;
  }

  /** ISO codes of the countries a programme's name mentions, by name or as "(FI-SE-EE-LA)" codes. */
  public Column countries(Column programme) {
    List<Column> found = new ArrayList<>();
    for (CountryRule c : countries) {
      found.add(when(programme.rlike(c.byName()).or(programme.rlike(c.codeInSuffix())), lit(c.iso())));
    }
    return array_sort(array_distinct(array_compact(array(found.toArray(new Column[0])))));
  }
}
