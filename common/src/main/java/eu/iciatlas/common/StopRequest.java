package eu.iciatlas.common;

/**
 * A stop asked for from outside the run (SIGTERM from a scheduler, Ctrl-C): the signal handler
 * records it and cancels the running Spark jobs; the writer refuses its next commit, so the run
 * fails at the next step and its guard restores the tables. Once the guard has taken note
 * ({@link #acknowledge()}), its own restore commits are allowed again.
 */
public final class StopRequest {
  private static volatile String signal;
  private static volatile int number;
  private static volatile boolean acknowledged;

  private StopRequest() {}

  /** A run stopped on request: what the CLI reports with exit 128 + the signal's number. */
  public static final class Stopped extends RuntimeException {
    public Stopped(String message) {
      super(message);
    }
  }

  public static void request(String signalName, int signalNumber) {
    number = signalNumber;
    signal = signalName;
  }

  /** The signal that asked for the stop (e.g. "TERM"), or null. */
  public static String requested() {
    return signal;
  }

  /** The process exit code of a stopped run: 128 + the signal's number. */
  public static int exitCode() {
    return 128 + number;
  }

  /** Fails when a stop was asked for and the run has not yet begun to restore. */
  public static void check(String before) {
    if (signal != null && !acknowledged) {
      throw new Stopped("stopped by SIG" + signal + " before " + before);
    }
  }

  /** The run's guard is restoring: its own commits go through. */
  public static void acknowledge() {
    acknowledged = true;
  }

  /** A guarded run starts: a stop asked for earlier in this JVM still holds, an earlier run's restore does not. */
  public static void newRun() {
    acknowledged = false;
  }

  /** For tests that simulate a stop in the same JVM. */
  public static void reset() {
    signal = null;
    number = 0;
    acknowledged = false;
  }
}
