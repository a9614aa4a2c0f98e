package eu.iciatlas.common.analysis;

import eu.iciatlas.common.config.ConfFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;

/**
 * The text-free model of conf/classifier/text_free_model/ (a Spark ML pipeline written by {@code train-classifier
 * --text-free}) with the sensitivity and specificity measured in the same training, read from the same folder so
 * that the two always belong together; or the reason there is none, which the estimated shares then carry. Loading
 * the saved pipeline runs small Spark jobs: the analysis does it once, at its start.
 */
public record TextFreeModel(Transformer model, TextFreeRates rates, String unavailableReason) {
  public static final String FOLDER = "classifier/text_free_model";
  public static final String RATES = FOLDER + "/text_free_rates.csv";

  public static TextFreeModel load(ConfFiles conf, Path confDir) {
    if (confDir == null) {
      return unavailable("the packaged configuration holds no Spark model: pass --conf with " + FOLDER);
    }
    Path folder = confDir.resolve(FOLDER);
    if (!Files.isDirectory(folder) || !Files.isRegularFile(confDir.resolve(RATES))) {
      return unavailable("no " + folder + " with text_free_rates.csv (bin/ici-atlas train-classifier --text-free writes both)");
    }
    TextFreeRates rates = TextFreeRates.parse(conf.table(RATES, "class", "threshold", "labels", "labelled_projects", "weighted_projects",
        "weighted_correct", "effective_projects"));
    try {
      return new TextFreeModel(PipelineModel.load(folder.toUri().toString()), rates, null);
    } catch (RuntimeException e) {
      return unavailable("cannot load " + folder + " (" + e.getMessage() + "); on a cluster the --conf folder must be on"
          + " storage every executor reads");
    }
  }

  private static TextFreeModel unavailable(String reason) {
    return new TextFreeModel(null, null, reason);
  }
}
