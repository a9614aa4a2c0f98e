package eu.iciatlas.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** What the report's header and tables print, without a run. */
class ReportModelTest {
  @Test
  void aRunsTimeIsPrintedInUtcWhateverTheJvmsZone() {
    TimeZone before = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Europe/Helsinki"));
      assertEquals("2026-12-05 09:39:06 UTC", ReportModel.utc(Timestamp.from(Instant.parse("2026-12-05T09:39:06.760709Z"))));
    } finally {
      TimeZone.setDefault(before);
    }
    assertEquals("", ReportModel.utc(null));
  }

  @Test
  void regionKindsAreWords() {
    assertEquals("cross-border", ReportModel.regionKind("cross_border"));
    assertEquals("transnational", ReportModel.regionKind("transnational"));
  }

  @Test
  void eachStatisticGetsOnePlainSentence() {
    // the sample's 2014-2020 NUTS 2 row: r -0.22, p 0.074, bootstrap interval excluding 0
    String s = ReportModel.statisticSentence("nuts2", "ici_projects", 65, -0.2235, 0.0736, -0.41, -0.03);
    assertTrue(s.startsWith("NUTS 2 regions, ICI projects against urbanization (n = 65): Pearson r = -0.22, a weak negative"), s);
    assertTrue(s.contains("explains 5 % of the variation (r² = 0.05)"), s);
    assertTrue(s.contains("With p = 0.074, chance alone could give"), s);
    assertTrue(s.contains("The bootstrap interval (-0.41 to -0.03) excludes 0 nonetheless"), "the apparent contradiction explained: " + s);
    String clear = ReportModel.statisticSentence("region", "ici_share", 13, 0.62, 0.02, 0.2, 0.9);
    assertTrue(clear.contains("a strong positive") && clear.contains("unlikely to be chance alone") && !clear.contains("nonetheless"), clear);
    assertTrue(ReportModel.statisticSentence("nuts2", "ici_share", 108, null, null, null, null).contains("no correlation can be computed"));
    assertTrue(ReportModel.statisticSentence("nuts2", "ici_share", 50, 0.05, 0.7, -0.2, 0.3).contains("no linear association"));
  }

  @Test
  void shareAxesEndAtTheNextTenPercentAboveTheLargestShare() {
    assertEquals(0.5, VegaSpecs.axisEnd(0.455), 1e-12);
    assertEquals(0.4, VegaSpecs.axisEnd(0.4), 1e-12);
    assertEquals(0.1, VegaSpecs.axisEnd(0), 1e-12, "an empty chart still has an axis");
    assertEquals(1.0, VegaSpecs.axisEnd(1.0), 1e-12);
  }

  @Test
  void everyChartFollowsThePeriodAndTheRegionSelectors() {
    java.util.List<java.util.Map<String, Object>> rows = java.util.List.of(java.util.Map.of("period", "2014-2020", "region_id", "a",
        "region_name", "A </script> B", "region_kind", "cross_border", "share", 0.25));
    var spec = VegaSpecs.shares(rows, "2014-2020", 0.3);
    assertEquals("[{\"name\":\"period\",\"value\":\"2014-2020\"},{\"name\":\"region\",\"value\":\"\"}]", spec.get("params").toString());
    assertTrue(spec.get("transform").get(0).get("filter").asText().startsWith("datum.period == period"));
    assertEquals(0.3, spec.at("/layer/0/encoding/x/scale/domain/1").asDouble(), 1e-12, "the axis of every period");
    String json = VegaSpecs.scriptJson(spec);
    assertFalse(json.contains("</script>"), "text of the data cannot close the script element: " + json);
    assertTrue(json.contains("A \\u003c/script> B"), json);
  }
}
