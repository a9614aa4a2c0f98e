package eu.iciatlas.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** What the report's header and tables print, without a run. */
class ReportJobTest {
  @Test
  void aRunsTimeIsPrintedInUtcWhateverTheJvmsZone() {
    TimeZone before = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Europe/Helsinki"));
      assertEquals("2026-12-05 09:39:06 UTC", ReportJob.utc(Timestamp.from(Instant.parse("2026-12-05T09:39:06.760709Z"))));
    } finally {
      TimeZone.setDefault(before);
    }
    assertEquals("", ReportJob.utc(null));
  }

  @Test
  void regionKindsAreWords() {
    assertEquals("cross-border", ReportJob.regionKind("cross_border"));
    assertEquals("transnational", ReportJob.regionKind("transnational"));
  }
}
