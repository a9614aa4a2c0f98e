package eu.iciatlas.common.keep;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eu.iciatlas.common.DatasetAssert;
import eu.iciatlas.common.SparkTestSession;
import eu.iciatlas.common.TestData;
import eu.iciatlas.common.keep.KeepColumns.Kind;
import eu.iciatlas.common.quality.Validation;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepIngestTest {
  private static final String PARTNER_HEADER = "Programme;Acronym;Project Partner;Lead Partner;Street;Postal code;Town;"
      + "Country;Website;Department;Legal Status;Country code;NUTS1 (or equivalent);NUTS2 (or equivalent);NUTS3 (or equivalent)";
  private static final String FI = "FI Finland / SUOMI;FI1  / MANNER-SUOMI;FI1B  / Helsinki-Uusimaa;FI1B1  / Helsinki-Uusimaa";
  private static final String EE = "EE Estonia / EESTI;EE0  / EESTI;EE00  / Eesti;EE001  / Põhja-Eesti";
  private static final Timestamp NOW = Timestamp.valueOf("2026-01-01 00:00:00");

  private final SparkSession spark = SparkTestSession.get();

  private Map<Kind, Dataset<org.apache.spark.sql.Row>> bronze(Path... files) {
    List<String> paths = new ArrayList<>();
    for (Path f : files) {
      paths.add(f.toString());
    }
    return KeepBronze.read(spark, paths, "test-run", NOW, m -> { });
  }

  private static Dataset<org.apache.spark.sql.Row> checkPartners(Dataset<org.apache.spark.sql.Row> bronze) {
    return KeepSilver.checkPartners(bronze, List.of("FI1", "EE0"), List.of("FI1B", "EE00"), List.of("FI1B1", "EE001"));
  }

  @Test
  void partnerCsvWithEveryFormatTrapKeepsEveryRowAndNamesEachReject(@TempDir Path dir) throws Exception {
    String crlf = "\r\n";
    String csv = "\uFEFF" + PARTNER_HEADER + crlf
        // en dash and trailing dot in the programme; bare LF inside quoted street and department
        + "2007 \u2013 2013 Central Baltic (FI-SE-EE-LA).;ABC;Org A;Yes;\"Street 1\nsecond line\";00100;Helsinki;Finland;;\"Dept\nunit\";Public;" + FI + crlf
        + "2007 - 2013 Central Baltic (FI-SE-EE-LA);ABC;Org B;No;;;Tallinn;Estonia;;;private;" + EE + crlf
        + "2007 - 2013 Central Baltic (FI-SE-EE-LA);ABC;Org C;Helsinki;;;Tallinn;Estonia;;;private;" + EE + crlf
        + "2007 - 2013 Central Baltic (FI-SE-EE-LA);;Org D;No;;;Tallinn;Estonia;;;private;" + EE + crlf
        + "Central Baltic;XYZ;Org E;No;;;Tallinn;Estonia;;;private;" + EE + crlf
        + "2007 - 2013 Central Baltic (FI-SE-EE-LA);ABC;Org F;No;;;Town;Finland;;;public;FI Finland / SUOMI;FI1  / MANNER-SUOMI;FI1B  / Helsinki-Uusimaa;FI9Z9  / Nowhere" + crlf
        + "2007 - 2013 Central Baltic (FI-SE-EE-LA);ABC;Org G;No" + crlf
        + "2007 - 2013 Central Baltic (FI-SE-EE-LA);ABC;Org B;No;;;Tallinn;Estonia;;;private;" + EE + crlf
        + "2007 - 2013 Central Baltic (FI-SE-EE-LA);QQ;\"Org H;No;;;Tallinn;Estonia;;;private;" + EE + crlf;
    Path file = dir.resolve("partners.csv");
    Files.writeString(file, csv, StandardCharsets.UTF_8);

    Dataset<org.apache.spark.sql.Row> partners = bronze(file).get(Kind.PARTNERS);
    assertEquals(9, partners.count(), "every record of the file is a bronze row");
    Dataset<org.apache.spark.sql.Row> checked = checkPartners(partners);

    DatasetAssert.assertRows(List.of(
            Arrays.asList(1L, null), Arrays.asList(2L, null),
            Arrays.asList(3L, "BAD_LEAD_FLAG"), Arrays.asList(4L, "MISSING_KEY"), Arrays.asList(5L, "UNKNOWN_PERIOD"),
            Arrays.asList(6L, "UNKNOWN_NUTS_CODE"), Arrays.asList(7L, "MALFORMED_RECORD"),
            Arrays.asList(8L, "DUPLICATE_ROW"), Arrays.asList(9L, "UNTERMINATED_QUOTE")),
        checked, "_source_row", Validation.REASON);

    Dataset<org.apache.spark.sql.Row> silver = KeepSilver.participations(Validation.accepted(checked));
    DatasetAssert.assertRows(List.of(
            Arrays.asList("Org A", true, "2007-2013", "FI", "FI1", "FI1B", "FI1B1", "public", "Street 1\nsecond line", "Dept\nunit"),
            Arrays.asList("Org B", false, "2007-2013", "EE", "EE0", "EE00", "EE001", "private", null, null)),
        silver, "organisation", "is_lead", "period", "country_code", "nuts1", "nuts2", "nuts3", "legal_status", "street",
        "department");
    assertEquals(1, silver.select("project_id").distinct().count(),
        "the programme name with en dash and trailing dot is the same programme");

    Dataset<org.apache.spark.sql.Row> quarantined = Validation.quarantined(checked, List.of("programme", "acronym"), List.of());
    assertEquals(7, quarantined.count());
    String malformed = quarantined.filter(col("reason").equalTo("MALFORMED_RECORD")).first().getAs("raw_record");
    assertTrue(malformed.contains("Org G"), "the raw text of a malformed record is kept: " + malformed);
  }

  @Test
  void projectRowsOfTwoLeadPartnersMergeAndBadNumbersAndDatesAreQuarantined(@TempDir Path dir) throws Exception {
    String header = "Programme;Acronym;Project Name;Lead Partner;Budget;EU Funding;Thematic1;Thematic2;Thematic3;"
        + "Description EN;Project start;Project end";
    String p = "2014 - 2020 INTERREG V-A Sweden - Denmark - Norway (Öresund - Kattegat - Skagerrak).";
    String csv = header + "\r\n"
        + p + ";\"\"\"Green\"\" Hub\";Green Hub;Lund University;1,638,511.09;919094.3100000001;Clustering and economic cooperation;SME and entrepreneurship;;\"A cluster\nof SMEs\";2015/10/27;2019/09/30\r\n"
        + p + ";\"\"\"Green\"\" Hub\";Green Hub;Region Skåne;1,638,511.09;919094.3100000001;Clustering and economic cooperation;SME and entrepreneurship;;\"A cluster\nof SMEs\";2015/10/27;2019/09/30\r\n"
        + p + ";BadBudget;x;Lead;1.638.511,09;;;;;;2015/10/27;2019/09/30\r\n"
        + p + ";BadDate;x;Lead;100;;;;;;27.13.2015;2019/09/30\r\n";
    Path file = dir.resolve("projects.csv.gz");
    try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(csv.getBytes(StandardCharsets.UTF_8));
    }
    Dataset<org.apache.spark.sql.Row> checked = KeepSilver.checkProjects(bronze(file).get(Kind.PROJECTS));
    DatasetAssert.assertRows(List.of(Arrays.asList(1L, null), Arrays.asList(2L, null),
            Arrays.asList(3L, "BAD_NUMBER"), Arrays.asList(4L, "BAD_DATE")),
        checked, "_source_row", Validation.REASON);
    Dataset<org.apache.spark.sql.Row> projects = KeepSilver.projectsFromExport(Validation.accepted(checked));
    assertEquals(1, projects.count(), "two lead-partner rows of one project merge into one project");
    org.apache.spark.sql.Row row = projects.first();
    assertEquals("\"Green\" Hub", row.getAs("acronym"));
    assertEquals("2014-2020", row.getAs("period"));
    assertEquals(new java.math.BigDecimal("1638511.09"), row.getAs("total_budget"));
    assertEquals(new java.math.BigDecimal("919094.31"), row.getAs("eu_funding"));
    assertEquals(java.sql.Date.valueOf("2015-10-27"), row.getAs("project_start"));
    assertEquals(List.of("Clustering and economic cooperation", "SME and entrepreneurship"), row.getList(row.fieldIndex("themes")));
    assertEquals(List.of("Lund University", "Region Skåne"), row.getList(row.fieldIndex("lead_partners")));
    assertEquals("A cluster\nof SMEs", row.getAs("description_en"));
  }

  @Test
  void currentKeepExportXlsxMapsToTheSameColumnsAsThe2019Export(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keep_export.xlsx");
    try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      CellStyle dateStyle = wb.createCellStyle();
      dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
      wb.createSheet("Search criteria").createRow(0).createCell(0).setCellValue("Programme period: 2014-2020");
      Sheet projects = wb.createSheet("Search results, projects");
      row(projects, 0, "Programme", "Project acronym", "Project name in English", "Theme 1", "Theme 2",
          "Description in English", "Project start", "Project end", "Project's total budget / expenditure",
          "Project's EU funding", "Lead partner");
      Row p = row(projects, 1, "2014 - 2020 INTERREG V-A Estonia - Latvia", "EST-LAT 1", "Wood cluster",
          "Clustering and economic cooperation", "SME and entrepreneurship", "Cross-border wood cluster", null, null, null,
          null, "Tartu Science Park");
      p.createCell(6).setCellValue(LocalDate.of(2016, 3, 1));
      p.getCell(6).setCellStyle(dateStyle);
      p.createCell(7).setCellValue(LocalDate.of(2018, 2, 28));
      p.getCell(7).setCellStyle(dateStyle);
      p.createCell(8).setCellValue(500000.5);
      p.createCell(9).setCellValue(425000.43000000005);
      Sheet partners = wb.createSheet("Search results, partners");
      row(partners, 0, "Programme", "Project acronym", "Organisation in English", "Lead partner", "Type of Organisation",
          "Country", "NUTS2 code (or equivalent)", "NUTS3 code (or equivalent)", "Participant Identification Code");
      row(partners, 1, "2014 - 2020 INTERREG V-A Estonia - Latvia", "EST-LAT 1", "Tartu Science Park", "Yes",
          "Private", "Estonia", "EE00", "EE001", "999999999");
      wb.write(out);
    }
    Map<Kind, Dataset<org.apache.spark.sql.Row>> bronze = bronze(file);
    assertEquals(0, bronze.get(Kind.CALLS).count());
    Dataset<org.apache.spark.sql.Row> projects = KeepSilver.projectsFromExport(
        Validation.accepted(KeepSilver.checkProjects(bronze.get(Kind.PROJECTS))));
    DatasetAssert.assertRows(List.of(Arrays.asList("EST-LAT 1", "Wood cluster", "2014-2020",
            java.sql.Date.valueOf("2016-03-01"), java.sql.Date.valueOf("2018-02-28"),
            new java.math.BigDecimal("500000.50"), new java.math.BigDecimal("425000.43"))),
        projects, "acronym", "title", "period", "project_start", "project_end", "total_budget", "eu_funding");
    Dataset<org.apache.spark.sql.Row> participations = KeepSilver.participations(
        Validation.accepted(checkPartners(bronze.get(Kind.PARTNERS))));
    DatasetAssert.assertRows(List.of(Arrays.asList("Tartu Science Park", true, "EE", "EE0", "EE00", "EE001", "private",
            projects.first().getAs("project_id"))),
        participations, "organisation", "is_lead", "country_code", "nuts1", "nuts2", "nuts3", "legal_status", "project_id");
    assertTrue(List.of(bronze.get(Kind.PARTNERS).columns()).contains("pic"), "unknown-to-silver columns stay in bronze");
  }

  private static Row row(Sheet sheet, int index, String... values) {
    Row row = sheet.createRow(index);
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        row.createCell(i).setCellValue(values[i]);
      }
    }
    return row;
  }

  @Test
  void realKeep2014To2020ExportsLoseNoRow() {
    Path partnersCsv = TestData.shared("keep/keep_closed_1420_Partnership.csv");
    Path projectsCsv = TestData.shared("keep/derived/keep_closed_1420.xlsx__Projects_lead_partners.csv");
    Map<Kind, Dataset<org.apache.spark.sql.Row>> bronze = bronze(partnersCsv, projectsCsv);
    Dataset<org.apache.spark.sql.Row> partners = bronze.get(Kind.PARTNERS);
    assertEquals(8_621, partners.count(), "SOURCE.md: 8,621 partner rows");
    Dataset<org.apache.spark.sql.Row> checkedProjects = KeepSilver.checkProjects(bronze.get(Kind.PROJECTS));
    assertEquals(1_891, checkedProjects.count(), "SOURCE.md: 1,891 project x lead partner rows");
    assertEquals(0, checkedProjects.filter(col(Validation.REASON).isNotNull()).count());
    Dataset<org.apache.spark.sql.Row> projects = KeepSilver.projectsFromExport(Validation.accepted(checkedProjects));
    assertEquals(1_852, projects.count(), "SOURCE.md: 1,852 distinct (Programme, Acronym) pairs");
    assertEquals(66, projects.select("programme_key").distinct().count(), "66 programmes");
    assertEquals(39, projects.filter(org.apache.spark.sql.functions.size(col("lead_partners")).gt(1)).count(),
        "1,891 - 1,852 = 39 projects have a second lead partner row");
  }
}
