package eu.iciatlas.common.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import eu.iciatlas.common.io.InputException;
import eu.iciatlas.common.io.InputSniffer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per output folder, and the journal that lets the next start repair a run that died.
 *
 * <p>{@code DIR/_ici_atlas_lock.json} is created atomically (O_EXCL on a local folder, a create
 * without overwrite on HDFS). It names the holder (run id, host, pid, when the process started,
 * since when it holds the folder) and, once the run knows them, the version of every table before
 * the run and the run's phase. A run that ends, well or badly but with its tables restored, deletes
 * it. A run killed with {@code kill -9} (or a lost machine) leaves it: the next start finds the
 * holder gone (same host, no such process) and takes the lock over with the journal of the dead
 * run, which {@link RunRecovery} uses to put the tables back. A holder on another host cannot be
 * checked from here, so it is refused with what to do. Readers take no lock.
 *
 * <p>On S3 (no atomic create-if-absent in the Hadoop version Spark ships) two runs starting in the
 * same second can both get the lock; run one writer per S3 output.
 */
public final class OutputLock implements AutoCloseable {
  public static final String FILE = "_ici_atlas_lock.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Phases a run journals: before its first write, while its BI copies are moved into place, after that. */
  public static final String RUNNING = "running";
  public static final String PUBLISHING = "publishing";
  public static final String PUBLISHED = "published";

  /** Who holds (or held) the folder, and what a recovery needs: the table versions before the run. */
  public record Holder(String runId, String host, long pid, String processStart, String since, String command,
      String phase, Map<String, Long> versionsBefore, Holder repairing) {
    Holder(String runId, String host, long pid, String processStart, String since, String command, String phase,
        Map<String, Long> versionsBefore) {
      this(runId, host, pid, processStart, since, command, phase, versionsBefore, null);
    }

    /** The journal a takeover must repair: the one this holder was itself still repairing when it died, else its own. */
    Holder toRepair() {
      return repairing != null ? repairing : this;
    }

    String describe() {
      return "run " + runId + " (host " + host + ", pid " + pid + ", since " + since + ")";
    }
  }

  private final Path file;
  private final Configuration conf;
  private final Holder interrupted;
  private Holder holder;
  private boolean keep;

  private OutputLock(Path file, Configuration conf, Holder holder, Holder interrupted) {
    this.file = file;
    this.conf = conf;
    this.holder = holder;
    this.interrupted = interrupted;
  }

  /**
   * Takes the folder for run {@code runId}, or fails at once (an {@link InputException}) naming the
   * run that holds it. A lock left by a process that is gone is taken over; {@link #interrupted()}
   * then returns its journal.
   */
  public static OutputLock acquire(String outputDir, String runId, String command, Configuration conf) {
    Path file = new Path(outputDir, FILE);
    Holder me = new Holder(runId, hostName(), ProcessHandle.current().pid(), processStart(ProcessHandle.current()),
        Instant.now().toString(), command, null, null);
    Holder stale = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      // a takeover keeps the dead run's journal in the new lock until the repair is done, so a
      // repair that is itself killed is done again by the next start
      Holder mine = stale == null ? me : withRepairing(me, stale.toRepair());
      if (createNew(file, mine, conf)) {
        return new OutputLock(file, conf, mine, stale == null ? null : stale.toRepair());
      }
      Holder current = read(file, conf);
      if (current == null) {
        // being written by a run that is taking the folder this very moment
        sleep(200);
        current = read(file, conf);
        if (current == null) {
          throw new InputException("--output " + InputSniffer.display(outputDir) + ": " + FILE
              + " is there but unreadable. If no run is writing this folder, delete that file and start again.");
        }
      }
      if (!isGone(current)) {
        throw new InputException("--output " + InputSniffer.display(outputDir) + " is being written by " + current.describe()
            + ": " + current.command() + ". Wait for it to end (reading the folder is fine), or write to another folder."
            + (current.host().equals(hostName()) ? ""
                : " If that run is gone for good, run 'bin/ici-atlas recover --output " + outputDir + " --force'."));
      }
      // the holder is gone: move its lock aside (only one of two racing starts wins the rename) and take the folder
      if (renameAside(file, current, conf)) {
        stale = current;
      }
    }
    throw new InputException("--output " + InputSniffer.display(outputDir) + ": could not take " + FILE
        + " (another run keeps taking it). Start again in a moment.");
  }

  /** As {@link #acquire}, also taking over a lock held on another host (recover --force: the operator says it is gone). */
  public static OutputLock acquireForcing(String outputDir, String runId, String command, Configuration conf) {
    Path file = new Path(outputDir, FILE);
    Holder current = read(file, conf);
    if (current != null && !current.host().equals(hostName())) {
      Holder me = new Holder(runId, hostName(), ProcessHandle.current().pid(), processStart(ProcessHandle.current()),
          Instant.now().toString(), command, null, null, current.toRepair());
      if (renameAside(file, current, conf) && createNew(file, me, conf)) {
        return new OutputLock(file, conf, me, current.toRepair());
      }
    }
    return acquire(outputDir, runId, command, conf);
  }

  /** The journal of a run that died holding this folder, if the lock was taken over from one. */
  public Optional<Holder> interrupted() {
    return Optional.ofNullable(interrupted);
  }

  /** The repair of the interrupted run is done: the lock no longer carries its journal. */
  public void repaired() {
    journal(holder.phase(), null);
  }

  /** Records the run's phase and the table versions it started from (so a recovery can restore them). */
  public void journal(String phase, Map<String, Long> versionsBefore) {
    holder = new Holder(holder.runId(), holder.host(), holder.pid(), holder.processStart(), holder.since(), holder.command(),
        phase, versionsBefore == null ? holder.versionsBefore() : new TreeMap<>(versionsBefore), null);
    Path tmp = new Path(file.getParent(), FILE + ".tmp-" + holder.pid());
    try {
      if ("file".equals(file.toUri().getScheme())) {
        java.nio.file.Path target = java.nio.file.Path.of(file.toUri());
        java.nio.file.Path local = java.nio.file.Path.of(tmp.toUri());
        Files.write(local, JSON.writeValueAsBytes(holder));
        Files.move(local, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        FileSystem fs = file.getFileSystem(conf);
        try (OutputStream out = fs.create(tmp, true)) {
          out.write(JSON.writeValueAsBytes(holder));
        }
        fs.delete(file, false);
        fs.rename(tmp, file);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the run journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Leaves the lock file in place at close (the tables could not all be restored: the next start repairs them). */
  public void keepForRecovery() {
    keep = true;
  }

  public Holder holder() {
    return holder;
  }

  @Override
  public void close() {
    if (keep) {
      return;
    }
    try {
      file.getFileSystem(conf).delete(file, false);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** The lock file's holder, or null when there is none (or it cannot be parsed yet). */
  public static Holder read(Path file, Configuration conf) {
    try {
      FileSystem fs = file.getFileSystem(conf);
      if (!fs.exists(file)) {
        return null;
      }
      try (var in = fs.open(file)) {
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? null : JSON.readValue(bytes, Holder.class);
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Same host and no such process (or the pid now belongs to a process started later): the holder is gone. */
  static boolean isGone(Holder h) {
    if (!h.host().equals(hostName())) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(h.pid());
    return process.isEmpty() || !process.get().isAlive()
        || (h.processStart() != null && !h.processStart().equals(processStart(process.get())));
  }

  private static Holder withRepairing(Holder h, Holder repairing) {
    return new Holder(h.runId(), h.host(), h.pid(), h.processStart(), h.since(), h.command(), h.phase(), h.versionsBefore(), repairing);
  }

  private static boolean createNew(Path file, Holder me, Configuration conf) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(me);
      if ("file".equals(file.toUri().getScheme())) {
        java.nio.file.Path local = java.nio.file.Path.of(file.toUri());
        Files.createDirectories(local.getParent());
        try (OutputStream out = Files.newOutputStream(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          out.write(bytes);
        }
      } else {
        try (OutputStream out = file.getFileSystem(conf).create(file, false)) {
          out.write(bytes);
        }
      }
      return true;
    } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("already exists")) {
        return false;
      }
      throw new InputException("--output " + InputSniffer.display(file.getParent().toString()) + ": cannot write there ("
          + describe(e) + "). Choose a folder you can write to.", e);
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e instanceof java.nio.file.AccessDeniedException ? "permission denied" : m;
  }

  private static boolean renameAside(Path file, Holder current, Configuration conf) {
    Path aside = new Path(file.getParent(), FILE + ".interrupted-" + current.pid() + "-" + System.nanoTime());
    try {
      if ("file".equals(file.toUri().getScheme())) {
        Files.move(java.nio.file.Path.of(file.toUri()), java.nio.file.Path.of(aside.toUri()), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(java.nio.file.Path.of(aside.toUri()));
        return true;
      }
      FileSystem fs = file.getFileSystem(conf);
      boolean moved = fs.rename(file, aside);
      fs.delete(aside, false);
      return moved;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot take over " + file + ": " + e.getMessage(), e);
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  private static String processStart(ProcessHandle p) {
    return p.info().startInstant().map(Instant::toString).orElse(null);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
