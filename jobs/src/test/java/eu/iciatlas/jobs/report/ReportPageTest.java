package eu.iciatlas.jobs.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The template lays out a model as it is: data escaped as text, the marked parts raw, the parts a model lacks left out. */
class ReportPageTest {
  private static ReportModel model(ReportModel.Table2 table2) {
    return new ReportModel("<script>/* the chart libraries */</script>\n", "2014-2020", null,
        List.of(new ReportModel.PeriodOption("2014-2020", false), new ReportModel.PeriodOption("2007-2013", true)),
        List.of(new ReportModel.RegionOption("r1", "<b>Øresund & Skåne</b>")), List.of(), null, null, null, List.of(),
        List.of(table2), null, List.of(), List.of(), List.of(), List.of(), null, "2016 and 2021", "licence <text>",
        "/* page script */\n");
  }

  @Test
  void valuesFromTheDataAreEscapedAndTheMarkedPartsAreNot() {
    String html = ReportPage.render(model(new ReportModel.Table2("2007-2013", true, List.of(new ReportModel.Table2Row("r1",
        "Region 'quoted' <i>", "Wind (2)", "none", "none")))));
    assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang='en'>\n<head>\n"), html.substring(0, 60));
    assertTrue(html.contains("<script>/* the chart libraries */</script>\n</head>"), "the libraries inlined as they are");
    assertTrue(html.contains("<option value='2014-2020' selected>2014-2020</option><option value='2007-2013'>2007-2013</option>"));
    assertTrue(html.contains("<option value='r1'>&lt;b&gt;Øresund &amp; Skåne&lt;/b&gt;</option>"), "names are text");
    assertTrue(html.contains("<div data-period='2007-2013' hidden>\n<table class='table2'>"));
    assertTrue(html.contains("<tr data-region='r1'><td>Region &#39;quoted&#39; &lt;i&gt;</td><td>Wind (2)</td>"));
    assertTrue(html.contains("<pre>licence &lt;text&gt;</pre>"));
    assertTrue(html.endsWith("<script>\n/* page script */\n</script>\n</body>\n</html>\n"));
    // a model without an urbanization indicator, a run or figures: said, or left out
    assertTrue(html.contains("<p>No urbanization indicator in the Eurostat inputs of this run.</p>"));
    assertFalse(html.contains(" Run <code>"), "no run line without a run");
    assertFalse(html.contains("<figure id='figure1'>"), "no map without its figure");
  }
}
