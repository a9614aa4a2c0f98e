package eu.iciatlas.jobs;

import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.InputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * What one ingestion run reads and writes, as the user gave it. Paths may be local or on any Hadoop
 * file system; keep and eurostat entries may be files, folders or globs. settingOverrides are key=value
 * pairs over conf/pipeline.properties. {@link #resolve} expands the paths into files once, before the
 * run: the checks, the run's manifest and the ingestion all read that list.
 */
public record IngestConfig(List<String> keep, List<String> eurostat, String nuts, List<String> periods,
    String output, Path confDir, List<String> settingOverrides, String runId) {

  /**
   * The files behind each input option, and which extensions it takes: an InputException names the option when one
   * has none.
   */
  public Resolved resolve(Configuration hadoop) {
    return new Resolved(this, InputFiles.expand("--keep", keep, List.of("csv", "xlsx"), hadoop),
        InputFiles.expand("--eurostat", eurostat, List.of("tsv", "csv"), hadoop),
        InputFiles.expand("--nuts", List.of(nuts), List.of("csv"), hadoop));
  }

  /**
   * An ingestion with its input files, expanded once ({@link IngestConfig#resolve}): the checks, the run's manifest and
   * the ingestion read this list instead of listing the options' folders and globs again.
   */
  public record Resolved(IngestConfig config, List<String> keepFiles, List<String> eurostatFiles, List<String> nutsFiles) {
    public Resolved {
      keepFiles = List.copyOf(keepFiles);
      eurostatFiles = List.copyOf(eurostatFiles);
      nutsFiles = List.copyOf(nutsFiles);
    }

    /** Every input file, in the order of the options: what the run manifest records. */
    public List<String> all() {
      List<String> files = new ArrayList<>(keepFiles);
      files.addAll(eurostatFiles);
      files.addAll(nutsFiles);
      return files;
    }

    /** Fails, naming the option and the file, when a file found before the run is gone by the time it starts. */
    void requireStillThere(Configuration hadoop) {
      requireEach("--keep", keepFiles, hadoop);
      requireEach("--eurostat", eurostatFiles, hadoop);
      requireEach("--nuts", nutsFiles, hadoop);
    }

    private static void requireEach(String option, List<String> files, Configuration hadoop) {
      for (String file : files) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
        boolean there;
        try {
          there = path.getFileSystem(hadoop).exists(path);
        } catch (IOException e) {
          throw new InputException(option + " " + file + ": cannot be reached: " + e.getMessage(), e);
        }
        if (!there) {
          throw new InputException(option + " " + file + ": no longer there (it was when the run's inputs were checked);"
              + " nothing was written: restore the file or run again without it");
        }
      }
    }
  }
}
