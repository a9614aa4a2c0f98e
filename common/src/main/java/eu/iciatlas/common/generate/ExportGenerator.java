package eu.iciatlas.common.generate;

import eu.iciatlas.common.Progress;
import java.util.Optional;
import java.util.ServiceLoader;
import org.apache.spark.sql.SparkSession;

/**
 * The synthetic Keep.eu export generator (benchmarks, scale tests): a tool, not part of what users
 * submit, so it lives in its own module (tools/) outside the application jar. The 'generate' verb
 * finds it with {@link ServiceLoader} where its jar is on the class path, as bin/ici-atlas puts it.
 */
public interface ExportGenerator {
  /** Writes the export {@code options} ask for; returns the line that says what was written. */
  String generate(SparkSession spark, GeneratorOptions options, Progress progress);

  /** The generator on the class path, if any. */
  static Optional<ExportGenerator> onClassPath() {
    return ServiceLoader.load(ExportGenerator.class).findFirst();
  }
}
