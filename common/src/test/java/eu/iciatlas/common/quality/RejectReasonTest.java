package eu.iciatlas.common.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eu.iciatlas.common.output.DataDictionary;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The quarantine tables' reason column is described with exactly the codes the rules can give. */
class RejectReasonTest {
  @Test
  void theDataDictionaryNamesEveryReasonAndNoOther() {
    String description = DataDictionary.packaged().column("quarantine_keep_partners", "reason").description();
    TreeSet<String> named = new TreeSet<>();
    Matcher m = Pattern.compile("\\b[A-Z]+(?:_[A-Z]+)+\\b").matcher(description);
    while (m.find()) {
      named.add(m.group());
    }
    assertEquals(new TreeSet<>(Arrays.stream(RejectReason.values()).map(Enum::name).toList()), named, description);
  }
}
