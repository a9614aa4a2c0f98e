package eu.iciatlas.common.generate;

import eu.iciatlas.common.io.InputException;
import java.nio.file.Path;
import java.util.List;

/**
 * What one generator run writes.
 *
 * @param scale scale factor: SF 1 = 35,000 projects and about 150,000 participations (all of
 *     Keep.eu); ignored when {@code replicate} > 0
 * @param seed the same seed (and options) gives byte-identical files
 * @param output folder (local or any Hadoop file system); its {@code projects/}, {@code partners/}
 *     and {@code calls/} sub-folders are replaced
 * @param replicate 0 for a synthetic dump; k > 0 writes the real rows of {@code sources} k times,
 *     copy c > 1 with {@code " -R<c>"} appended to every acronym and call serial number
 * @param sources the real Keep.eu exports the distributions are taken from (files, folders,
 *     globs; the bundled sample {@code data/sample/keep})
 * @param confDir configuration folder for the programme strands and countries (null: packaged)
 * @param gzip write {@code .csv.gz} instead of {@code .csv}
 * @param projectsPerFile projects per part file (synthetic dumps; each part is one file per table)
 */
public record GeneratorOptions(double scale, long seed, String output, int replicate, List<String> sources,
    Path confDir, boolean gzip, int projectsPerFile) {
  /** SF 1: projects in all of Keep.eu. */
  public static final long PROJECTS_AT_SF1 = 35_000;
  /** SF 1: participations (project x partner rows) in all of Keep.eu. */
  public static final long PARTICIPATIONS_AT_SF1 = 150_000;
  public static final int DEFAULT_PROJECTS_PER_FILE = 10_000;

  public GeneratorOptions {
    if (output == null || output.isBlank()) {
      throw new InputException("--output: the folder to write the generated export to is required");
    }
    if (replicate < 0) {
      throw new InputException("--replicate " + replicate + ": expected 0 (synthetic) or a number of copies >= 1");
    }
    if (replicate == 0 && !(scale > 0 && scale <= 100_000)) {
      throw new InputException("--scale " + scale + ": expected a scale factor > 0 (1 = all of Keep.eu, 35,000 projects)");
    }
    if (sources == null || sources.isEmpty()) {
      throw new InputException("--source: the real Keep.eu exports to take the distributions from are required"
          + " (bin/ici-atlas defaults to the bundled sample)");
    }
    if (projectsPerFile < 1) {
      throw new InputException("--projects-per-file " + projectsPerFile + ": expected >= 1");
    }
    sources = List.copyOf(sources);
  }

  /** A synthetic dump at scale factor {@code scale}, plain CSV, 10,000 projects per file. */
  public static GeneratorOptions synthetic(double scale, long seed, String output, List<String> sources) {
    return new GeneratorOptions(scale, seed, output, 0, sources, null, false, DEFAULT_PROJECTS_PER_FILE);
  }

  /** The real rows of {@code sources}, k times. */
  public static GeneratorOptions replicated(int k, String output, List<String> sources) {
    return new GeneratorOptions(0, 0, output, k, sources, null, false, DEFAULT_PROJECTS_PER_FILE);
  }

  public GeneratorOptions withProjectsPerFile(int n) {
    return new GeneratorOptions(scale, seed, output, replicate, sources, confDir, gzip, n);
  }

  public GeneratorOptions withGzip(boolean gz) {
    return new GeneratorOptions(scale, seed, output, replicate, sources, confDir, gz, projectsPerFile);
  }

  /** Projects of a synthetic dump. */
  public long projects() {
    return Math.max(1, Math.round(PROJECTS_AT_SF1 * scale));
  }
}
