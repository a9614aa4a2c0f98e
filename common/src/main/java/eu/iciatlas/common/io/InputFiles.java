package eu.iciatlas.common.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Expands the paths a user passes (files, folders, globs; local or any Hadoop file system) into a
 * sorted list of input files. Anything that matches nothing fails at once, naming the option.
 */
public final class InputFiles {
  private InputFiles() {}

  public static List<String> expand(String option, List<String> patterns, List<String> extensions,
      Configuration hadoopConf) {
    TreeSet<String> files = new TreeSet<>();
    for (String pattern : patterns) {
      List<String> matched = expandOne(option, pattern, extensions, hadoopConf);
      if (matched.isEmpty()) {
        throw new InputException(option + " " + pattern + ": no " + String.join("/", extensions)
            + " file there. Pass existing files, folders or globs (plain or .gz).");
      }
      files.addAll(matched);
    }
    return new ArrayList<>(files);
  }

  private static List<String> expandOne(String option, String pattern, List<String> extensions,
      Configuration hadoopConf) {
    List<String> out = new ArrayList<>();
    try {
      Path path = new Path(pattern);
      FileSystem fs = path.getFileSystem(hadoopConf);
      FileStatus[] statuses = fs.globStatus(path);
      if (statuses == null || statuses.length == 0) {
        throw new InputException(option + " " + pattern
            + ": no such file or folder. Check the path, or quote a glob so the shell leaves it to ici-atlas.");
      }
      for (FileStatus status : statuses) {
        if (status.isDirectory()) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(status.getPath(), true);
          while (it.hasNext()) {
            Path file = it.next().getPath();
            if (hasExtension(file.getName(), extensions) && !file.getName().startsWith(".")) {
              out.add(file.toString());
            }
          }
        } else if (hasExtension(status.getPath().getName(), extensions)) {
          out.add(status.getPath().toString());
        } else {
          throw new InputException(option + " " + status.getPath() + ": not a "
              + String.join("/", extensions) + " file (plain or .gz).");
        }
      }
    } catch (IOException e) {
      throw new InputException(option + " " + pattern + ": cannot list: " + e.getMessage(), e);
    }
    return out;
  }

  static boolean hasExtension(String name, List<String> extensions) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      lower = lower.substring(0, lower.length() - 3);
    }
    for (String ext : extensions) {
      if (lower.endsWith("." + ext)) {
        return true;
      }
    }
    return false;
  }
}
