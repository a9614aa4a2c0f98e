package eu.iciatlas.jobs;

import eu.iciatlas.common.io.InputFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * What one ingestion run reads and writes. Paths may be local or on any Hadoop file system;
 * keep and eurostat entries may be files, folders or globs. settingOverrides are key=value pairs
 * over conf/pipeline.properties. The files behind each input option, and which extensions it takes,
 * are said here once, for the checks before a run, the run's manifest and the ingestion.
 */
public record IngestConfig(List<String> keep, List<String> eurostat, String nuts, List<String> periods,
    String output, Path confDir, List<String> settingOverrides, String runId) {

  /** The Keep.eu exports behind --keep (CSV or XLSX); an InputException names the option when there are none. */
  public List<String> keepFiles(Configuration hadoop) {
    return InputFiles.expand("--keep", keep, List.of("csv", "xlsx"), hadoop);
  }

  /** The Eurostat series behind --eurostat (TSV or CSV). */
  public List<String> eurostatFiles(Configuration hadoop) {
    return InputFiles.expand("--eurostat", eurostat, List.of("tsv", "csv"), hadoop);
  }

  /** The NUTS code lists and conversion matrices behind --nuts. */
  public List<String> nutsFiles(Configuration hadoop) {
    return InputFiles.expand("--nuts", List.of(nuts), List.of("csv"), hadoop);
  }

  /** Every input file, in the order of the options: what the run manifest records. */
  public List<String> inputFiles(Configuration hadoop) {
    List<String> files = new ArrayList<>(keepFiles(hadoop));
    files.addAll(eurostatFiles(hadoop));
    files.addAll(nutsFiles(hadoop));
    return files;
  }
}
