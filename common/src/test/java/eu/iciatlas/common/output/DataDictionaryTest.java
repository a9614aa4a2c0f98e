package eu.iciatlas.common.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.Tables;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dictionary decides which BI copies a table gets, so a table it forgets would lose them silently. */
class DataDictionaryTest {
  private static final List<String> WITHOUT_BI_COPIES = List.of(Tables.BRONZE_KEEP_PROJECTS, Tables.BRONZE_KEEP_PARTNERS,
      Tables.BRONZE_KEEP_CALLS, Tables.BRONZE_EUROSTAT, Tables.SILVER_NUTS_CONVERSION);

  @Test
  void everyTableThePipelineWritesIsDocumentedButTheBronzeTablesAndTheConversionMatrices() throws Exception {
    DataDictionary dictionary = DataDictionary.packaged();
    List<String> undocumented = new ArrayList<>();
    int tables = 0;
    for (Field f : Tables.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String table = (String) f.get(null);
        tables++;
        if (WITHOUT_BI_COPIES.contains(table)) {
          assertEquals(DataDictionary.BiFormats.NONE, dictionary.biFormats(table), table);
        } else if (dictionary.table(table) == null) {
          undocumented.add(table);
        }
      }
    }
    assertTrue(tables >= 45, "the table names of Tables: " + tables);
    assertEquals(List.of(), undocumented, "add them to ici-atlas-dictionary/tables.csv (with their bi copies)");
    assertEquals(DataDictionary.BiFormats.CSV_AND_PARQUET, dictionary.biFormats(Tables.GOLD_ICI_SHARE));
    assertEquals(DataDictionary.BiFormats.CSV, dictionary.biFormats(Tables.QUARANTINE_KEEP_PARTNERS));
  }

  @Test
  void anUnknownBiValueNamesTheTableAndWhatToWrite() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataDictionary.BiFormats.of("xlsx", "gold_t"));
    assertEquals("ici-atlas-dictionary/tables.csv, table gold_t: bi is 'xlsx'; write none, csv or csv+parquet", e.getMessage());
  }
}
