package eu.iciatlas.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens a local page in Debian's headless Chromium (installed by .ci/run) and returns what it
 * rendered: the DOM after scripts ran, a screenshot, and the console messages it logged. The
 * background-networking flags keep Chromium off the closed network of CI machines.
 */
final class HeadlessChromium {
  record Rendering(String dom, Path screenshot, List<String> consoleLines) {}

  private HeadlessChromium() {}

  static Path executable() {
    for (String candidate : List.of(System.getenv().getOrDefault("ICI_CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    throw new AssertionError("no Chromium: install Debian's package (apt-get install chromium), as .ci/run does, "
        + "or point ICI_CHROMIUM at a Chromium binary");
  }

  static Rendering render(Path page, Path screenshot, int width, int height) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("ici-chromium");
    List<String> common = new ArrayList<>(List.of(executable().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
        "--window-size=" + width + "," + height));
    List<String> dumpDom = new ArrayList<>(common);
    dumpDom.addAll(List.of("--dump-dom", page.toUri().toString()));
    Result dom = run(dumpDom);
    List<String> shot = new ArrayList<>(common);
    shot.addAll(List.of("--screenshot=" + screenshot, page.toUri().toString()));
    Result image = run(shot);
    List<String> console = new ArrayList<>();
    for (String line : (dom.stderr + "\n" + image.stderr).split("\n")) {
      if (line.contains("CONSOLE") || line.contains("Uncaught")) {
        console.add(line);
      }
    }
    return new Rendering(dom.stdout, screenshot, console);
  }

  private record Result(String stdout, String stderr) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("Chromium did not finish in 120 s: " + command);
    }
    return new Result(Files.readString(out), Files.readString(err));
  }
}
