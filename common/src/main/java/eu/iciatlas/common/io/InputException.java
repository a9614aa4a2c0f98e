package eu.iciatlas.common.io;

/** A bad input file or option: the message names the file, row or option and what to do. */
public class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
