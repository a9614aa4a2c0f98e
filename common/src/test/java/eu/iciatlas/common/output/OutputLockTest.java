package eu.iciatlas.common.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import eu.iciatlas.common.io.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {
  private final Configuration conf = new Configuration();

  @Test
  void aSecondWriterIsRefusedAtOnceWithWhoHoldsTheFolderAndTheLockGoesAtClose(@TempDir Path dir) {
    String out = dir.resolve("out").toUri().toString();
    try (OutputLock first = OutputLock.acquire(out, "run-a", "ici-atlas run --output out", conf)) {
      assertTrue(Files.exists(dir.resolve("out").resolve(OutputLock.FILE)));
      assertTrue(first.interrupted().isEmpty());
      InputException refused = assertThrows(InputException.class, () -> OutputLock.acquire(out, "run-b", "ici-atlas run", conf));
      assertTrue(refused.getMessage().contains("run run-a"), refused.getMessage());
      assertTrue(refused.getMessage().contains("pid " + ProcessHandle.current().pid()), refused.getMessage());
      assertTrue(refused.getMessage().contains("ici-atlas run --output out"), refused.getMessage());
    }
    assertFalse(Files.exists(dir.resolve("out").resolve(OutputLock.FILE)));
    try (OutputLock again = OutputLock.acquire(out, "run-c", "ici-atlas run", conf)) {
      assertTrue(again.interrupted().isEmpty());
    }
  }

  @Test
  void aLockLeftByAProcessThatIsGoneIsTakenOverWithItsJournal(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    OutputLock.Holder dead = new OutputLock.Holder("run-dead", OutputLock.hostName(), gone.pid(), null,
        Instant.now().toString(), "ici-atlas run --output out", OutputLock.RUNNING, Map.of("silver_projects", 3L));
    Files.write(dir.resolve(OutputLock.FILE), new ObjectMapper().writeValueAsBytes(dead));
    try (OutputLock lock = OutputLock.acquire(dir.toUri().toString(), "run-new", "ici-atlas ingest", conf)) {
      assertEquals("run-dead", lock.interrupted().orElseThrow().runId());
      assertEquals(Map.of("silver_projects", 3L), lock.interrupted().orElseThrow().versionsBefore());
      lock.journal(OutputLock.RUNNING, Map.of("gold_ici_share", 7L));
      OutputLock.Holder written = OutputLock.read(new org.apache.hadoop.fs.Path(dir.toUri().toString(), OutputLock.FILE), conf);
      assertEquals("run-new", written.runId());
      assertEquals(Map.of("gold_ici_share", 7L), written.versionsBefore());
      lock.keepForRecovery();
    }
    assertTrue(Files.exists(dir.resolve(OutputLock.FILE)), "a run that could not restore leaves its journal");
  }

  @Test
  void aRepairThatIsItselfKilledIsDoneAgainByTheNextStart(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    OutputLock.Holder dead = new OutputLock.Holder("run-dead", OutputLock.hostName(), gone.pid(), null,
        Instant.now().toString(), "ici-atlas run", OutputLock.RUNNING, Map.of("silver_projects", 3L));
    Files.write(dir.resolve(OutputLock.FILE), new ObjectMapper().writeValueAsBytes(dead));
    String out = dir.toUri().toString();
    OutputLock repairer = OutputLock.acquire(out, "recover-1", "ici-atlas recover", conf);
    OutputLock.Holder inFile = OutputLock.read(new org.apache.hadoop.fs.Path(out, OutputLock.FILE), conf);
    assertEquals("run-dead", inFile.repairing().runId(), "the lock carries the journal until the repair is done");
    // the repairer dies before repaired(): its lock names a gone process (rewritten with the dead pid)
    OutputLock.Holder diedRepairing = new OutputLock.Holder("recover-1", OutputLock.hostName(), gone.pid(), null,
        inFile.since(), inFile.command(), null, null, inFile.repairing());
    Files.write(dir.resolve(OutputLock.FILE), new ObjectMapper().writeValueAsBytes(diedRepairing));
    try (OutputLock next = OutputLock.acquire(out, "run-next", "ici-atlas run", conf)) {
      assertEquals("run-dead", next.interrupted().orElseThrow().runId());
      assertEquals(Map.of("silver_projects", 3L), next.interrupted().orElseThrow().versionsBefore());
      next.repaired();
      assertEquals(null, OutputLock.read(new org.apache.hadoop.fs.Path(out, OutputLock.FILE), conf).repairing());
    }
    repairer.keepForRecovery(); // its file was replaced above; nothing to delete
  }

  @Test
  void aLockHeldOnAnotherHostIsRefusedUnlessForced(@TempDir Path dir) throws Exception {
    OutputLock.Holder elsewhere = new OutputLock.Holder("run-far", "some-other-host", 1, null, Instant.now().toString(),
        "ici-atlas run", OutputLock.RUNNING, Map.of());
    Files.write(dir.resolve(OutputLock.FILE), new ObjectMapper().writeValueAsBytes(elsewhere));
    String out = dir.toUri().toString();
    InputException refused = assertThrows(InputException.class, () -> OutputLock.acquire(out, "run-b", "ici-atlas run", conf));
    assertTrue(refused.getMessage().contains("host some-other-host") && refused.getMessage().contains("recover --output"),
        refused.getMessage());
    try (OutputLock forced = OutputLock.acquireForcing(out, "recover-1", "ici-atlas recover --force", conf)) {
      assertEquals("run-far", forced.interrupted().orElseThrow().runId());
    }
  }

  @Test
  void anOutputThatIsAFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    InputException refused = assertThrows(InputException.class,
        () -> OutputLock.acquire(file.toUri().toString(), "run-a", "ici-atlas run", conf));
    assertTrue(refused.getMessage().contains("not-a-folder"), refused.getMessage());
  }
}
