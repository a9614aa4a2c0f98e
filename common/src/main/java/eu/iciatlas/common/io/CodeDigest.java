package eu.iciatlas.common.io;

import eu.iciatlas.common.output.RunGuard;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The SHA-256 of the code that makes a table: the classes and the data dictionary of ICI Atlas
 * ({@code eu/iciatlas/}, {@code ici-atlas-dictionary/}) wherever this module and the given classes
 * were loaded from (one application jar, or the modules' classes folders), and the Spark and Delta
 * jars by name. Part of the notes that let a rerun keep a reference table: the same input files
 * read by other code may give other rows, so a new build rebuilds them once. When the code cannot
 * be read (a class loader without local files), the digest is a random value of this JVM, so the
 * tables are rebuilt rather than kept on a guess. Computed once per JVM.
 */
public final class CodeDigest {
  private static final List<String> PREFIXES = List.of("eu/iciatlas/", "ici-atlas-dictionary/");
  private static final Map<List<Class<?>>, String> DIGESTS = new ConcurrentHashMap<>();

  private CodeDigest() {}

  /** The digest of this module's code, of the code of {@code others} (e.g. the job that shapes the table) and of Spark and Delta. */
  public static String of(Class<?>... others) {
    List<Class<?>> anchors = new ArrayList<>(List.of(CodeDigest.class, org.apache.spark.sql.SparkSession.class,
        io.delta.tables.DeltaTable.class));
    anchors.addAll(List.of(others));
    return DIGESTS.computeIfAbsent(List.copyOf(anchors), CodeDigest::compute);
  }

  private static String compute(List<Class<?>> anchors) {
    try {
      Set<Path> locations = new LinkedHashSet<>();
      for (Class<?> c : anchors) {
        locations.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
      }
      List<String> texts = new ArrayList<>();
      for (Path location : locations) {
        texts.add("location " + location.getFileName());
        if (Files.isDirectory(location)) {
          try (Stream<Path> files = Files.walk(location)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
              String name = location.relativize(f).toString().replace('\\', '/');
              if (ours(name)) {
                texts.add(name + " " + RunGuard.sha256(Files.readAllBytes(f)));
              }
            }
          }
        } else {
          // one pass over the jar's directory: Spark's and Delta's jars hold none of ours and count by their names
          try (JarFile jar = new JarFile(location.toFile())) {
            for (JarEntry e : jar.stream().filter(e -> !e.isDirectory() && ours(e.getName()))
                .sorted(java.util.Comparator.comparing(JarEntry::getName)).toList()) {
              try (InputStream in = jar.getInputStream(e)) {
                texts.add(e.getName() + " " + RunGuard.sha256(in.readAllBytes()));
              }
            }
          }
        }
      }
      return RunGuard.sha256(texts);
    } catch (Exception | LinkageError e) {
      return "unreadable code " + java.util.UUID.randomUUID();
    }
  }

  private static boolean ours(String name) {
    return PREFIXES.stream().anyMatch(name::startsWith);
  }
}
