package eu.iciatlas.common.io;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.poi.openxml4j.opc.OPCPackage;

/** Size, SHA-256 and export date of an input file on any Hadoop file system: the provenance of a dump. */
public record FileDigest(String path, long bytes, String sha256, LocalDate exportDate, String exportDateSource) {
  private static final Pattern DATE_IN_NAME = Pattern.compile("(20\\d\\d)[-_]?([01]\\d)[-_]?([0-3]\\d)");

  public static FileDigest of(String file, Configuration hadoopConf) {
    Path p = new Path(file);
    try {
      FileSystem fs = p.getFileSystem(hadoopConf);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (InputStream in = fs.open(p)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          sha.update(buffer, 0, n);
        }
      }
      LocalDate exportDate = null;
      String source = null;
      if (file.toLowerCase(Locale.ROOT).endsWith(".xlsx")) {
        exportDate = xlsxCreated(fs, p);
        source = exportDate == null ? null : "XLSX document properties (created)";
      }
      if (exportDate == null) {
        Matcher m = DATE_IN_NAME.matcher(p.getName());
        if (m.find()) {
          try {
            exportDate = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            source = "file name";
          } catch (java.time.DateTimeException notADate) {
            exportDate = null;
          }
        }
      }
      return new FileDigest(file, fs.getFileStatus(p).getLen(), HexFormat.of().formatHex(sha.digest()), exportDate, source);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read to compute its SHA-256: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keep.eu's XLSX exports carry their creation time in docProps/core.xml. */
  private static LocalDate xlsxCreated(FileSystem fs, Path p) {
    try (InputStream in = fs.open(p); OPCPackage pkg = OPCPackage.open(in)) {
      return pkg.getPackageProperties().getCreatedProperty()
          .map(d -> d.toInstant().atZone(ZoneOffset.UTC).toLocalDate()).orElse(null);
    } catch (Exception e) {
      return null; // a damaged package is reported by the XLSX reader itself
    }
  }
}
