package eu.iciatlas.common.analysis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract_all;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.config.ConfFiles;
import eu.iciatlas.common.config.ConfRow;
import eu.iciatlas.common.config.PipelineSettings;
import eu.iciatlas.common.keep.KeepBronze;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The classifier's one-pass matching gives exactly what Spark's regexes give ({@code rlike} for
 * the rules, {@code regexp_extract_all(.., 0)} for the specializations), pattern by pattern, on
 * every project of the bundled export and on generated texts at the edges of the patterns.
 */
class TextPatternsTest {
  private final SparkSession spark = SparkTestSession.get();
  private final ConfFiles conf = new ConfFiles(TestData.repoRoot().resolve("conf"));
  private final IciClassifier classifier = new IciClassifier(conf, PipelineSettings.load(conf));
  private final List<String> rulePatterns = new ArrayList<>();
  private final List<String> specializationPatterns = new ArrayList<>();

  TextPatternsTest() {
    for (ConfRow r : conf.table("classifier/ici_rules.csv")) {
      if ("text".equals(r.get("kind"))) {
        rulePatterns.add(r.get("pattern"));
      }
    }
    for (ConfRow r : conf.table("classifier/specializations.csv")) {
      specializationPatterns.add(r.get("pattern"));
    }
  }

  @Test
  void sameAsSparksRegexesOnEveryProjectOfTheBundledExport() {
    Dataset<Row> projects = KeepBronze.read(spark, List.of(TestData.sample("keep/keep_closed_1420.xlsx").toString()),
        "test", new Timestamp(0), m -> { }).get(Kind.PROJECTS);
    Dataset<String> texts = projects.select(concat_ws(" ", col("acronym"), col("project_name"),
            col("project_name_lang2"), col("project_name_lang3"), col("description_en"), col("description_1"),
            col("description_2"), col("expected_results_en"), col("expected_results_1"), col("expected_results_2")).as("value"))
        .as(Encoders.STRING());
    int[] seen = assertSameAsSpark(texts);
    assertTrue(seen[2] > 1000 && seen[0] > 1500 && seen[1] > 12000, "the check saw the export's " + seen[2]
        + " projects and their matches: " + seen[0] + " rule hits, " + seen[1] + " matches");
  }

  /** Terms of every pattern, cut and glued at word edges, in mixed case, with accents and Cyrillic around them. */
  @Test
  void sameAsSparksRegexesAtWordEdgesCaseAccentsAndCyrillic() {
    List<String> terms = new ArrayList<>();
    for (String p : concat(rulePatterns, specializationPatterns)) {
      List<String> literals = RequiredLiterals.of(p);
      assertNotNull(literals, "every configured pattern is prefiltered (else it runs on every text): " + p);
      for (String branch : TextPatterns.branches(p)) {
        assertNotNull(RequiredLiterals.of(branch), "every alternative of a configured pattern has literals (else the "
            + "pattern is not split and its regex tries every alternative at every position): " + branch + " in " + p);
      }
      terms.addAll(literals);
    }
    String[] around = {"", " ", "-", "s", "ä", "é", "ё", "Ж", "_", "1", ".", "\n", "’", "ß", "İ"};
    Random random = new Random(20261206);
    List<String> texts = new ArrayList<>();
    for (int t = 0; t < 3000; t++) {
      StringBuilder text = new StringBuilder();
      int words = 1 + random.nextInt(6);
      for (int w = 0; w < words; w++) {
        String term = terms.get(random.nextInt(terms.size()));
        if (random.nextInt(4) == 0) {
          term = term.substring(0, Math.max(1, term.length() - 1 - random.nextInt(Math.max(1, term.length() / 2))));
        }
        if (random.nextBoolean()) {
          term = term.toUpperCase(java.util.Locale.ROOT);
        }
        text.append(around[random.nextInt(around.length)]).append(term).append(around[random.nextInt(around.length)]);
      }
      texts.add(text.toString());
    }
    int[] seen = assertSameAsSpark(spark.createDataset(texts, Encoders.STRING()));
    assertTrue(seen[0] > 2000 && seen[1] > 3000, "the generated texts matched: " + seen[0] + " rule hits, " + seen[1] + " matches");
  }

  @Test
  void branchesAreTheTopLevelAlternativesWhereSplittingKeepsTheMeaning() {
    assertEquals(List.of("a", "(b|c)d", "[|]", "\\|", "e\\b", ""), TextPatterns.branches("a|(b|c)d|[|]|\\||e\\b|"));
    assertEquals(List.of("x(?i)a|b"), TextPatterns.branches("x(?i)a|b"), "an inline flag reaches the next branch");
    assertEquals(List.of("[a[|]]|b"), TextPatterns.branches("[a[|]]|b"));
    assertEquals(List.of("[]|]|b"), TextPatterns.branches("[]|]|b"));
    TextPatterns patterns = new TextPatterns(List.of("zz|\\bsmes?\\b|small and medium", "(x|y)z"));
    boolean[] found = patterns.find("smeshing small and medium");
    assertTrue(found[0] && !found[1]);
    assertFalse(patterns.find("smeshing")[0]);
    // overlapping branches: leftmost start, then the first branch in order, then on after its end
    String overlapping = "bc|ab\\w*|b|abc|c\\b";
    String text = "abcab bab cbc xbc";
    List<String> expected = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(overlapping).matcher(text);
    while (m.find()) {
      expected.add(m.group());
    }
    assertEquals(List.of("abcab", "b", "ab", "bc", "bc"), expected);
    assertEquals(expected, new TextPatterns(List.of(overlapping)).findAll(text).get(0));
  }

  /** Syntax a user may write that splitting or the literal reader could get wrong: java.util.regex's answers all the same. */
  @Test
  void syntaxThatMustNotBeSplitOrPrefilteredGivesTheRegexsAnswers() {
    String[][] cases = {
        {"(a)|(b)\\2", "bb"}, {"(a)|(b)\\1", "bb"}, // splitting would renumber the groups
        {"[a\\c]b]", "a"}, {"[\\Q\\E]a]", "a"}, // escapes longer than two characters inside a class
        {".x|\\B", "\uD835\uDC00"}, {"\uD83D\uDE00|\\B", "\uD835\uDC00"}, // an empty-matching branch between surrogates
        {"x|(?i)CLUSTER", "a Cluster"}, {"ab|", "zz"}, {"\\Qa|b\\E|c", "a|b c"}, {"(?<n>a)|b\\k<n>", "ba"}};
    for (String[] c : cases) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(c[0]).matcher(c[1]);
      List<String> all = new ArrayList<>();
      while (m.find()) {
        all.add(m.group());
      }
      TextPatterns patterns = new TextPatterns(List.of(c[0]));
      assertEquals(java.util.regex.Pattern.compile(c[0]).matcher(c[1]).find(), patterns.find(c[1])[0], c[0] + " on " + c[1]);
      assertEquals(all, patterns.findAll(c[1]).get(0), c[0] + " on " + c[1]);
    }
  }

  @Test
  void aPatternWithoutRequiredLiteralsIsAlwaysTried() {
    TextPatterns patterns = new TextPatterns(List.of("\\p{L}+ster\\b", "cluster", "netzwerk"));
    assertEquals(List.of(List.of("klyster", "cluster"), List.of("cluster"), List.of()),
        patterns.findAll("ein klyster, ein cluster."));
    boolean[] found = patterns.find("baltic cluster");
    assertTrue(found[0] && found[1] && !found[2]);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** Lower-cases the texts as the classifier does, runs both, compares; returns {rule hits, specialization matches, texts}. */
  private int[] assertSameAsSpark(Dataset<String> raw) {
    Column text = lower(col("value"));
    List<Column> expectedHits = new ArrayList<>();
    rulePatterns.forEach(p -> expectedHits.add(text.rlike(p)));
    List<Column> expectedMatches = new ArrayList<>();
    specializationPatterns.forEach(p -> expectedMatches.add(regexp_extract_all(text, lit(p), lit(0))));
    List<Row> rows = raw.select(text.as("text"), classifier.textRuleHits(text).as("hits"),
            classifier.specializationMatches(text).as("matches"),
            array(expectedHits.toArray(new Column[0])).as("expected_hits"),
            array(expectedMatches.toArray(new Column[0])).as("expected_matches"))
        .collectAsList();
    int hits = 0;
    int matches = 0;
    for (Row row : rows) {
      String t = row.getString(0);
      List<Boolean> got = row.getList(1);
      List<Boolean> expected = row.getList(3);
      for (int i = 0; i < rulePatterns.size(); i++) {
        assertEquals(expected.get(i), got.get(i), "rule pattern " + rulePatterns.get(i) + " on: " + t);
        hits += expected.get(i) ? 1 : 0;
      }
      List<scala.collection.Seq<String>> gotMatches = row.getList(2);
      List<scala.collection.Seq<String>> expectedAll = row.getList(4);
      for (int i = 0; i < specializationPatterns.size(); i++) {
        List<String> want = scala.jdk.javaapi.CollectionConverters.asJava(expectedAll.get(i));
        assertEquals(want, scala.jdk.javaapi.CollectionConverters.asJava(gotMatches.get(i)),
            "specialization pattern " + specializationPatterns.get(i) + " on: " + t);
        matches += want.size();
      }
    }
    return new int[] {hits, matches, rows.size()};
  }
}
