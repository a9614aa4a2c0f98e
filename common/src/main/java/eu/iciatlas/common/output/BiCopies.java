package eu.iciatlas.common.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The BI copies of a run are made under {@code DIR/bi/_staging} while it runs and moved into
 * {@code DIR/bi} only after its run_manifest row says it succeeded, so a BI tool or notebook never
 * reads CSVs of a run that failed or is still going. On a local folder each move is one atomic
 * rename; the whole publication takes milliseconds.
 */
public final class BiCopies {
  public static final String STAGING = "_staging";

  private BiCopies() {}

  public static Path biDir(String outputDir) {
    return new Path(outputDir, "bi");
  }

  public static Path stagingDir(String outputDir) {
    return new Path(biDir(outputDir), STAGING);
  }

  /**
   * In the staging folder: the table-name prefixes (one per line) whose published copies the publication
   * removes, so that a crash between the two is finished by the recovery's publication like the moves.
   */
  static final String WITHDRAWAL = "_withdraw";

  /** What a publication did: the copies moved into DIR/bi, and the tables whose earlier copies it removed. */
  public record Published(int moved, List<String> withdrawn) {}

  /**
   * Stages the removal of the published copies of the tables named {@code prefix}* (bi.silver=false): the
   * publication of this run does it ({@link #publish}), or the recovery that finishes an interrupted one.
   */
  public static void stageWithdrawal(String outputDir, Configuration conf, String prefix) {
    Path marker = new Path(stagingDir(outputDir), WITHDRAWAL);
    try {
      FileSystem fs = marker.getFileSystem(conf);
      try (java.io.OutputStream out = fs.create(marker, true)) {
        out.write((prefix + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + marker + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the published copies a staged withdrawal names, then moves every staged copy into DIR/bi
   * (replacing the earlier copy of that table). Run again after a crash, it finishes what is left.
   */
  public static Published publish(String outputDir, Configuration conf) {
    Path staging = stagingDir(outputDir);
    Path bi = biDir(outputDir);
    int moved = 0;
    List<String> withdrawn = new java.util.ArrayList<>();
    try {
      FileSystem fs = staging.getFileSystem(conf);
      if (!fs.exists(staging)) {
        return new Published(0, List.of());
      }
      Path marker = new Path(staging, WITHDRAWAL);
      if (fs.exists(marker)) {
        try (java.io.InputStream in = fs.open(marker)) {
          for (String prefix : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!prefix.isBlank()) {
              withdrawn.addAll(withdraw(outputDir, conf, prefix.trim()));
            }
          }
        }
      }
      for (FileStatus f : fs.listStatus(staging)) {
        String name = f.getPath().getName();
        if (name.endsWith(".csv") || name.endsWith(".duckdb") || name.endsWith(".xlsx")) {
          replace(fs, f.getPath(), new Path(bi, name));
          moved++;
        } else if (name.equals("parquet")) {
          fs.mkdirs(new Path(bi, "parquet"));
          for (FileStatus t : fs.listStatus(f.getPath())) {
            Path target = new Path(new Path(bi, "parquet"), t.getPath().getName());
            fs.delete(target, true);
            fs.rename(t.getPath(), target);
            moved++;
          }
        }
      }
      fs.delete(staging, true);
      removeHadoopLitter(fs, bi);
      return new Published(moved, List.copyOf(withdrawn));
    } catch (IOException e) {
      throw new IllegalStateException("cannot move the BI copies from " + staging + " into " + bi + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the published copies of the tables whose names start with {@code prefix} (bi/&lt;table&gt;.csv and
   * bi/parquet/&lt;table&gt;/): a run that makes none of them (bi.silver=false) leaves no copies of an earlier run
   * beside its own, which could disagree with the tables. Returns the tables whose copies were removed.
   */
  public static List<String> withdraw(String outputDir, Configuration conf, String prefix) {
    Path bi = biDir(outputDir);
    java.util.TreeSet<String> removed = new java.util.TreeSet<>();
    try {
      FileSystem fs = bi.getFileSystem(conf);
      for (Path dir : List.of(bi, new Path(bi, "parquet"))) {
        if (!fs.exists(dir)) {
          continue;
        }
        for (FileStatus f : fs.listStatus(dir)) {
          String name = f.getPath().getName();
          if (name.startsWith(prefix) && (dir.equals(bi) ? name.endsWith(".csv") : f.isDirectory())) {
            fs.delete(f.getPath(), true);
            removed.add(name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name);
          }
        }
      }
      return List.copyOf(removed);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the " + prefix + "* copies from " + bi + ": " + e.getMessage(), e);
    }
  }

  /** Removes what a failed or interrupted run left under DIR/bi: its staged copies and half-written exports. */
  public static int discard(String outputDir, Configuration conf) {
    Path bi = biDir(outputDir);
    int removed = 0;
    try {
      FileSystem fs = bi.getFileSystem(conf);
      if (!fs.exists(bi)) {
        return 0;
      }
      for (FileStatus f : fs.listStatus(bi)) {
        String name = f.getPath().getName();
        if (name.equals(STAGING) || name.startsWith("_tmp_")) {
          fs.delete(f.getPath(), true);
          removed++;
        }
      }
      return removed;
    } catch (IOException e) {
      throw new IllegalStateException("cannot clean " + bi + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the files Hadoop leaves beside what it writes: the local file system's {@code .NAME.crc}
   * checksums and the committer's {@code _SUCCESS} markers. BI tools list them as data files (a
   * folder of Parquet with a 0-byte _SUCCESS, a .crc beside every CSV); nothing reads them later.
   */
  public static void removeHadoopLitter(FileSystem fileSystem, Path dir) throws IOException {
    // the checksum file system hides its .crc files from listings: list and delete on the raw one beneath
    FileSystem fs = fileSystem instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed
        ? checksummed.getRawFileSystem() : fileSystem;
    if (!fs.exists(dir)) {
      return;
    }
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(dir, true);
    List<Path> litter = new java.util.ArrayList<>();
    while (files.hasNext()) {
      Path p = files.next().getPath();
      String name = p.getName();
      if (name.equals("_SUCCESS") || (name.startsWith(".") && name.endsWith(".crc"))) {
        litter.add(p);
      }
    }
    for (Path p : litter) {
      fs.delete(p, false);
    }
  }

  private static void replace(FileSystem fs, Path from, Path to) throws IOException {
    // a write-ahead log left beside an earlier DuckDB file would be replayed into the new one
    fs.delete(new Path(to.getParent(), to.getName() + ".wal"), false);
    if ("file".equals(to.toUri().getScheme())) {
      Files.move(java.nio.file.Path.of(from.toUri()), java.nio.file.Path.of(to.toUri()),
          StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } else {
      fs.delete(to, false);
      fs.rename(from, to);
    }
  }
}
