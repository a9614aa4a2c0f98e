package eu.iciatlas.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfFilesTest {
  private static final String TABLE = """
      # a comment
      # another one
      code;pattern;note

      forestry;\\bforest;"a note; with a semicolon"
      # a comment between rows
      tourism;;
      """;

  @Test
  void rowsKnowTheLineAnEditorShows(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("t.csv"), TABLE);
    List<ConfRow> rows = new ConfFiles(dir).table("t.csv", "code", "pattern");
    assertEquals(2, rows.size());
    assertEquals(5, rows.get(0).line());
    assertEquals(7, rows.get(1).line());
    assertEquals("\\bforest", rows.get(0).regex("pattern"));
    assertEquals("a note; with a semicolon", rows.get(0).get("note"));
    assertEquals("", rows.get(1).get("pattern"), "a blank cell");
    assertEquals("", rows.get(1).get("no_such_column"));
    InputException blank = assertThrows(InputException.class, () -> rows.get(1).required("pattern"));
    assertEquals("configuration file t.csv, line 7: column 'pattern' is missing or empty", blank.getMessage());
  }

  @Test
  void aHeaderWithoutARequiredColumnIsRefusedOnce(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("t.csv"), TABLE.replace("code;pattern", "kode;pattern"));
    InputException e = assertThrows(InputException.class, () -> new ConfFiles(dir).table("t.csv", "code", "pattern"));
    assertTrue(e.getMessage().contains("t.csv") && e.getMessage().contains("its header has no column code")
        && e.getMessage().contains("kode;pattern;note"), e.getMessage());
  }

  @Test
  void aFileWithItsHeaderOnlyHasNoRowsAndItsHeaderIsStillChecked(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("t.csv"), "# nothing yet\ncode;pattern;note\n");
    assertEquals(List.of(), new ConfFiles(dir).table("t.csv", "code", "pattern"));
    InputException e = assertThrows(InputException.class, () -> new ConfFiles(dir).table("t.csv", "code", "themes"));
    assertTrue(e.getMessage().contains("its header has no column themes (it has code;pattern;note)"), e.getMessage());
  }

  @Test
  void windowsLineBreaksAreCountedToo(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("t.csv"), TABLE.replace("\n", "\r\n"));
    List<ConfRow> rows = new ConfFiles(dir).table("t.csv", "code", "pattern");
    assertEquals(List.of(5L, 7L), rows.stream().map(ConfRow::line).toList());
    assertEquals("\\bforest", rows.get(0).get("pattern"));
  }

  @Test
  void badCellsNameTheirLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("t.csv"), TABLE.replace("\\bforest", "\\bforest[").replace("tourism;;", "tourism;x;more;cells"));
    ConfFiles conf = new ConfFiles(dir);
    InputException cells = assertThrows(InputException.class, () -> conf.table("t.csv"));
    assertTrue(cells.getMessage().startsWith("configuration file t.csv in " + dir + ", line 7: 4 cells for 3 columns"),
        cells.getMessage());
    Files.writeString(dir.resolve("t.csv"), TABLE.replace("\\bforest", "\\bforest["));
    ConfRow row = conf.table("t.csv").get(0);
    InputException regex = assertThrows(InputException.class, () -> row.regex("pattern"));
    assertTrue(regex.getMessage().startsWith("configuration file t.csv, line 5: bad regex '\\bforest['"), regex.getMessage());
    InputException number = assertThrows(InputException.class, () -> row.number("code"));
    assertEquals("configuration file t.csv, line 5: code 'forestry' is not a number", number.getMessage());
  }

  @Test
  void aFileMissingFromTheFolderIsReadFromThePackagedCopy(@TempDir Path dir) {
    List<ConfRow> packaged = new ConfFiles(dir).table("programme_strands.csv", "strand", "pattern");
    assertTrue(packaged.size() >= 3, "the packaged strands: " + packaged);
    assertTrue(new ConfFiles(dir).exists("programme_strands.csv"));
    assertTrue(!new ConfFiles(dir).exists("regions/no_such_definition.csv"));
  }
}
