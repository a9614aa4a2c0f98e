package eu.iciatlas.common.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Opening input files on any Hadoop file system, transparently gunzipping `.gz`. */
public final class SourceFiles {
  private SourceFiles() {}

  public static InputStream open(String file, Configuration hadoopConf) throws IOException {
    Path path = new Path(file);
    InputStream in = path.getFileSystem(hadoopConf).open(path);
    return isGzip(file) ? new GZIPInputStream(in, 1 << 16) : in;
  }

  public static boolean isGzip(String file) {
    return file.toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  /** The file's name without folders and without `.gz`. */
  public static String baseName(String file) {
    String name = new Path(file).getName();
    return isGzip(name) ? name.substring(0, name.length() - 3) : name;
  }

  /** The first line of a text file, without a UTF-8 byte order mark or line end; null if empty. */
  public static String firstLine(String file, Configuration hadoopConf) {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(open(file, hadoopConf), StandardCharsets.UTF_8))) {
      String line = reader.readLine();
      if (line == null) {
        return null;
      }
      return line.startsWith("\uFEFF") ? line.substring(1) : line;
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
