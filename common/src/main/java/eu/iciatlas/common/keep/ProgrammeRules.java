package eu.iciatlas.common.keep;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import eu.iciatlas.common.config.ConfFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/** Strand and countries of a programme from its name (conf/programme_strands.csv, conf/countries.csv). */
public final class ProgrammeRules {
  record StrandRule(String strand, String pattern) {}

  record CountryRule(String iso, String names, List<String> codes) {}

  private final List<StrandRule> strands = new ArrayList<>();
  private final List<CountryRule> countries = new ArrayList<>();

  public ProgrammeRules(ConfFiles conf) {
    List<Map<String, String>> strandRows = conf.table("programme_strands.csv");
    for (int i = 0; i < strandRows.size(); i++) {
      String pattern = ConfFiles.required(strandRows.get(i), "pattern", "programme_strands.csv", i);
      ConfFiles.regex(pattern, "programme_strands.csv", i);
      strands.add(new StrandRule(ConfFiles.required(strandRows.get(i), "strand", "programme_strands.csv", i), pattern));
    }
    List<Map<String, String>> countryRows = conf.table("countries.csv");
    for (int i = 0; i < countryRows.size(); i++) {
      Map<String, String> row = countryRows.get(i);
      String codes = row.getOrDefault("codes", "");
      countries.add(new CountryRule(ConfFiles.required(row, "iso", "countries.csv", i),
          ConfFiles.required(row, "names", "countries.csv", i),
          codes.isEmpty() ? List.of() : List.of(codes.split("\\|"))));
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
      List<String> codes = new ArrayList<>(c.codes());
      codes.add(c.iso());
      String codeInSuffix = "\\((?:[A-Z]{2}-)*(" + String.join("|", codes) + ")(?:-[A-Z]{2})*\\)";
      String byName = "(?i)\\b(" + c.names() + ")";
      found.add(when(programme.rlike(byName).or(programme.rlike(codeInSuffix)), lit(c.iso())));
    }
    return array_sort(array_distinct(array_compact(array(found.toArray(new Column[0])))));
  }
}
