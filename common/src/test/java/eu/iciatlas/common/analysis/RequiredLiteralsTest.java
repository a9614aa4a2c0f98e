package eu.iciatlas.common.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.keep.KeepBronze;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** The substring prefilter of the classifier's regexes: what it extracts, and that it never drops a match. */
class RequiredLiteralsTest {

  @Test
  void literalsOfAlternativesConcatenationsAndQuantifiers() {
    assertEquals(List.of("cluster", "klynge", "кластер"), RequiredLiterals.of("\\b(cluster\\w*|klynge\\w*|кластер\\w*)"));
    // optional parts give nothing; of the required parts the one with the longest shortest literal is kept
    assertEquals(List.of("colo"), RequiredLiterals.of("colou?r"));
    assertEquals(List.of("network", "cooperation"), RequiredLiterals.of("\\b(sme|firm)[ -]?(network\\w*|cooperation)"));
    assertEquals(List.of("partnership", "smes"), RequiredLiterals.of("partnerships?|\\bsmes\\b"));
    assertEquals(List.of("a.b"), RequiredLiterals.of("a\\.b"));
    assertEquals(List.of("ab"), RequiredLiterals.of("(?:ab)+c*"));
  }

  @Test
  void givesUpWhereNothingIsRequiredOrTheSyntaxIsUnknown() {
    assertNull(RequiredLiterals.of("cluster|\\w+"), "one alternative without a literal");
    assertEquals(List.of("cluster", "ing"), RequiredLiterals.of("cluster|\\w+ing"));
    assertNull(RequiredLiterals.of("(ab)?"));
    assertNull(RequiredLiterals.of("(?i)cluster"), "flags change what the literals match");
    assertNull(RequiredLiterals.of("(a)\\1"));
    assertNull(RequiredLiterals.of("\\p{L}+cluster"));
    assertNull(RequiredLiterals.of("(?=abc)"));
    assertNull(RequiredLiterals.of("abc)"));
    assertNull(RequiredLiterals.of("[abc"));
  }

  /** Every pattern of conf/classifier, on the texts of the real 2014-2020 export: no text with a match lacks all literals. */
  @Test
  void neverDropsAMatchOfTheConfiguredPatternsInRealTexts() {
    ConfFiles conf = new ConfFiles(TestData.repoRoot().resolve("conf"));
    List<String> patterns = new ArrayList<>();
    for (Map<String, String> r : conf.table("classifier/ici_rules.csv")) {
      if ("text".equals(r.get("kind"))) {
        patterns.add(r.get("pattern"));
      }
    }
    for (Map<String, String> r : conf.table("classifier/specializations.csv")) {
      patterns.add(r.get("pattern"));
    }
    var projects = KeepBronze.read(SparkTestSession.get(), List.of(TestData.sample("keep/keep_closed_1420.xlsx").toString()),
        "test", new Timestamp(0), m -> { }).get(Kind.PROJECTS);
    List<String> texts = projects.select(functions.concat_ws(" ", functions.col("project_name"),
            functions.col("description_en"), functions.col("description_1"), functions.col("description_2"),
            functions.col("expected_results_en")))
        .orderBy(functions.rand(7)).limit(600).as(Encoders.STRING()).collectAsList();
    int matches = 0;
    for (String pattern : patterns) {
      List<String> literals = RequiredLiterals.of(pattern);
      assertNotNull(literals, "the classifier's patterns are all prefiltered: " + pattern);
      Pattern regex = Pattern.compile(pattern);
      for (String raw : texts) {
        String text = raw.toLowerCase(Locale.ROOT);
        if (regex.matcher(text).find()) {
          matches++;
          assertTrue(literals.stream().anyMatch(text::contains), pattern + " matches a text that has none of " + literals);
        }
      }
    }
    assertTrue(matches > 1000, "the check saw matches: " + matches);
  }
}
