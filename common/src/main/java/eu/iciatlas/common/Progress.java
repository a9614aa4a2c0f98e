package eu.iciatlas.common;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** One line per stage on stderr: what ran, how many rows it wrote, how long it took. */
public final class Progress {
  private final PrintStream out;
  private final Instant start = Instant.now();

  public Progress(PrintStream out) {
    this.out = out;
  }

  public static Progress toStderr() {
    return new Progress(System.err);
  }

  /** No progress lines (--quiet): errors still reach stderr through the CLI. */
  public static Progress silent() {
    return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  public void stage(String stage, String detail, Instant stageStart) {
    Duration took = Duration.between(stageStart, Instant.now());
    Duration total = Duration.between(start, Instant.now());
    out.printf("[ici-atlas] %-34s %-44s %7.1f s  (total %6.1f s)%n",
        stage, detail, took.toMillis() / 1000.0, total.toMillis() / 1000.0);
    out.flush();
  }

  public void info(String message) {
    out.println("[ici-atlas] " + message);
    out.flush();
  }
}
