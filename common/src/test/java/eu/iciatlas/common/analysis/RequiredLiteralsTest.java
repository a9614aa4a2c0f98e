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
    assertNull(RequiredLiterals.of("[a\\c]b]"), "\\c] is one character: the class goes on to the next ]");
    assertNull(RequiredLiterals.of("[\\Q\\E]a]"), "\\Q\\E makes the ] a member");
    assertEquals(List.of("b"), RequiredLiterals.of("[\\w\\]]b"));
  }
}
