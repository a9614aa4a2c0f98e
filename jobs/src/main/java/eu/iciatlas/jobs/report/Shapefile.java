package eu.iciatlas.jobs.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the polygons (shape type 5) of an ESRI shapefile and the attributes of its dBASE table:
 * enough for the GISCO NUTS files. No well-kept shapefile reader is on Maven Central (GeoTools
 * lives in its own repository), and the format is two fixed binary layouts (ESRI's 1998 white
 * paper; dBASE III), so this is the small reader.
 */
final class Shapefile {
  /** One feature: its attributes and its rings as x0,y0,x1,y1,... in the file's coordinates. */
  record Feature(Map<String, String> attributes, List<double[]> rings) {}

  private Shapefile() {}

  static List<Feature> read(String resourceBase) {
    List<List<double[]>> shapes = polygons(bytes(resourceBase + ".shp"));
    List<Map<String, String>> rows = dbf(bytes(resourceBase + ".dbf"));
    if (shapes.size() != rows.size()) {
      throw new IllegalStateException(resourceBase + ": " + shapes.size() + " shapes but " + rows.size() + " attribute rows");
    }
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      out.add(new Feature(rows.get(i), shapes.get(i)));
    }
    return out;
  }

  private static ByteBuffer bytes(String resource) {
    try (InputStream in = Shapefile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not packaged in the jar (jobs/pom.xml resources)");
      }
      return ByteBuffer.wrap(in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  private static List<List<double[]>> polygons(ByteBuffer b) {
    List<List<double[]>> out = new ArrayList<>();
    int fileLength = b.order(ByteOrder.BIG_ENDIAN).getInt(24) * 2;
    int pos = 100;
    while (pos < fileLength) {
      int contentLength = b.order(ByteOrder.BIG_ENDIAN).getInt(pos + 4) * 2;
      int c = pos + 8;
      b.order(ByteOrder.LITTLE_ENDIAN);
      int type = b.getInt(c);
      List<double[]> rings = new ArrayList<>();
      if (type == 5) {
        int parts = b.getInt(c + 36);
        int points = b.getInt(c + 40);
        int pointsAt = c + 44 + 4 * parts;
        for (int p = 0; p < parts; p++) {
          int from = b.getInt(c + 44 + 4 * p);
          int to = p + 1 < parts ? b.getInt(c + 44 + 4 * (p + 1)) : points;
          double[] ring = new double[2 * (to - from)];
          for (int k = from; k < to; k++) {
            ring[2 * (k - from)] = b.getDouble(pointsAt + 16 * k);
            ring[2 * (k - from) + 1] = b.getDouble(pointsAt + 16 * k + 8);
          }
          rings.add(ring);
        }
      } else if (type != 0) {
        throw new IllegalStateException("shape type " + type + " is not a polygon");
      }
      out.add(rings);
      pos = c + contentLength;
    }
    return out;
  }

  private static List<Map<String, String>> dbf(ByteBuffer b) {
    b.order(ByteOrder.LITTLE_ENDIAN);
    int records = b.getInt(4);
    int headerLength = b.getShort(8) & 0xffff;
    int recordLength = b.getShort(10) & 0xffff;
    List<String> names = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    for (int at = 32; b.get(at) != 0x0d; at += 32) {
      byte[] name = new byte[11];
      b.get(at, name);
      names.add(new String(name, StandardCharsets.US_ASCII).replace("\0", "").trim());
      widths.add(b.get(at + 16) & 0xff);
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (int r = 0; r < records; r++) {
      int at = headerLength + r * recordLength + 1; // first byte: deletion flag
      Map<String, String> row = new LinkedHashMap<>();
      for (int f = 0; f < names.size(); f++) {
        byte[] value = new byte[widths.get(f)];
        b.get(at, value);
        row.put(names.get(f), new String(value, StandardCharsets.UTF_8).trim());
        at += widths.get(f);
      }
      out.add(row);
    }
    return out;
  }
}
