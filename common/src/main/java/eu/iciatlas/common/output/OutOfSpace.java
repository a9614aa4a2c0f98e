package eu.iciatlas.common.output;

import eu.iciatlas.common.io.InputSniffer;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.Locale;

/**
 * A write that failed because the output's storage is full or read-only shows up as a Spark
 * TASK_WRITE_FAILED whose reason is several causes deep; this turns it into a message that names
 * the folder, what is free there and what to do.
 */
public final class OutOfSpace {
  private OutOfSpace() {}

  /** The failure as the user should read it: the message is complete, its causes are detail. */
  public static final class Failure extends RuntimeException {
    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** {@code failure} itself, or a failure whose message says the folder is full or read-only. */
  public static RuntimeException explain(RuntimeException failure, String outputDir) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
        return new Failure("no space left under " + InputSniffer.display(outputDir) + " (" + space(outputDir)
            + "). Free some space or choose another --output, then run again.", failure);
      }
      if (m.contains("Read-only file system")) {
        return new Failure(InputSniffer.display(outputDir) + " became read-only during the run. "
            + "Choose a folder you can write to, then run again.", failure);
      }
    }
    return failure;
  }

  /** "12.0 MiB free of 130.0 MiB" for a local folder, else what is known. */
  static String space(String outputDir) {
    try {
      java.nio.file.Path p = java.nio.file.Path.of(new org.apache.hadoop.fs.Path(outputDir).toUri().getPath());
      while (p != null && !Files.exists(p)) {
        p = p.getParent();
      }
      if (p == null) {
        return "free space unknown";
      }
      FileStore store = Files.getFileStore(p);
      return String.format(Locale.ROOT, "%.1f MiB free of %.1f MiB", store.getUsableSpace() / 1048576.0,
          store.getTotalSpace() / 1048576.0);
    } catch (IOException | RuntimeException e) {
      return "free space unknown";
    }
  }
}
