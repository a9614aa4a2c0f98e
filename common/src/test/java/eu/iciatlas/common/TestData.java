package eu.iciatlas.common;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the real data: the repository's bundled sample and ../shared/data (CI has it). */
public final class TestData {
  private TestData() {}

  public static Path repoRoot() {
    String root = System.getProperty("ici.repo.root");
    Path p = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("data/sample"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (data/sample)");
    }
    return p;
  }

  /** Writes the rows of a SQL query as the Delta table {@code table} of the output folder {@code output} (hand-made test tables). */
  public static void deltaTable(Path output, String table, String query) {
    SparkTestSession.get().sql(query).write().format("delta").mode("overwrite")
        .save(output.resolve("delta").resolve(table).toString());
  }

  public static Path sample(String relative) {
    return repoRoot().resolve("data/sample").resolve(relative);
  }

  /** A file of ../shared/data; fails (not skips) on CI, where ../shared is always there. */
  public static Path shared(String relative) {
    Path p = repoRoot().resolveSibling("shared").resolve("data").resolve(relative);
    if (!Files.exists(p)) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException("CI must have " + p);
      }
      assumeTrue(false, "no " + p + " on this machine");
    }
    return p;
  }

  /** The packaged data dictionary and the named test tables, which get a CSV copy for BI. */
  public static eu.iciatlas.common.output.DataDictionary dictionaryWithCsvTables(String... tables) {
    eu.iciatlas.common.output.DataDictionary dictionary = eu.iciatlas.common.output.DataDictionary.packaged();
    for (String t : tables) {
      dictionary = dictionary.with(new eu.iciatlas.common.output.DataDictionary.TableEntry(t, "one row per test row", "",
          "a test table", eu.iciatlas.common.output.DataDictionary.BiFormats.CSV));
    }
    return dictionary;
  }

  /** Removes a folder and everything under it (nothing when it is not there). */
  public static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
