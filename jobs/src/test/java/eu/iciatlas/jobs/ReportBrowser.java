package eu.iciatlas.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives the report in Debian's Chromium (installed by .ci/run) with playwright-core from npm
 * (jobs/src/test/browser/report.mjs, its version pinned by package-lock.json and installed into
 * jobs/target/browser on first use, so the working tree stays clean): the page at each width, another
 * period, a region chosen, three tooltips, console errors and requests. Screenshots go to
 * jobs/target/report-screenshots, which CI keeps.
 */
final class ReportBrowser {
  static final Path SCREENSHOTS = Path.of("target", "report-screenshots").toAbsolutePath();
  private static final Path SOURCES = Path.of("src", "test", "browser");
  private static final Path INSTALLED = Path.of("target", "browser").toAbsolutePath();

  private ReportBrowser() {}

  static Path chromium() {
    for (String candidate : List.of(System.getenv().getOrDefault("ICI_CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("no Chromium: install Debian's package (apt-get install chromium), as .ci/run does, "
        + "or point ICI_CHROMIUM at a Chromium binary");
  }

  /** The driver's JSON: {widths: {W: {initial, other, chosen, absent, barTooltip, mapTooltip, pointTooltip}}, errors, requests}. */
  static JsonNode drive(Path page, String otherPeriod, String region, String absentRegion, int... widths)
      throws IOException, InterruptedException {
    install();
    Files.createDirectories(SCREENSHOTS);
    List<String> command = new ArrayList<>(List.of("node", INSTALLED.resolve("report.mjs").toString(), page.toAbsolutePath().toString(),
        SCREENSHOTS.toString(), chromium().toString(), otherPeriod, region, absentRegion));
    for (int w : widths) {
      command.add(Integer.toString(w));
    }
    String out = run(command, INSTALLED, 300);
    String[] lines = out.strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }

  /** The driver and playwright-core in jobs/target/browser (npm ci from the committed lock file, once per clean build). */
  private static synchronized void install() throws IOException, InterruptedException {
    Files.createDirectories(INSTALLED);
    for (String f : List.of("package.json", "package-lock.json", "report.mjs")) {
      Files.copy(SOURCES.resolve(f), INSTALLED.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isDirectory(INSTALLED.resolve("node_modules/playwright-core"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), INSTALLED, 300);
    }
  }

  private static String run(List<String> command, Path dir, int seconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("report-browser", ".out");
    Path err = Files.createTempFile("report-browser", ".err");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(command.get(0) + " did not finish in " + seconds + " s: " + command);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed (exit " + p.exitValue() + "; needs node and npm, as .ci/run "
          + "installs):\n" + Files.readString(err));
    }
    return Files.readString(out);
  }
}
