package eu.iciatlas.common.output;

import eu.iciatlas.common.output.TableWriter.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Independent tables written through one {@link TableWriter} side by side, each in its own commit. */
public final class ConcurrentWrites {
  private ConcurrentWrites() {}

  /** One table to write: its rows are built when the write starts (so on the thread that writes it). */
  public record PendingWrite(String table, Supplier<Dataset<Row>> rows, Scope scope) {}

  /**
   * Writes independent tables three at a time (Spark runs jobs from several threads; a small
   * table's write is mostly driver latency, so they overlap even on 2 cores). Each table still gets
   * exactly one commit. Returns the rows committed per table, in the order given; fails with the
   * first failure after every started write has ended.
   */
  public static LinkedHashMap<String, Long> write(TableWriter writer, List<PendingWrite> writes) {
    ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
      Thread t = new Thread(r, "ici-atlas-writer");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Long>> futures = new ArrayList<>();
      // fail fast: after a failure the writes not yet started are skipped (the run is restored anyway)
      AtomicBoolean failed = new AtomicBoolean();
      for (PendingWrite w : writes) {
        futures.add(pool.submit(() -> {
          if (failed.get()) {
            return null;
          }
          try {
            return writer.write(w.table(), w.rows().get(), w.scope());
          } catch (RuntimeException e) {
            failed.set(true);
            throw e;
          }
        }));
      }
      LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
      RuntimeException failure = null;
      for (int i = 0; i < writes.size(); i++) {
        try {
          Long count = futures.get(i).get();
          if (count != null) {
            counts.put(writes.get(i).table(), count);
          }
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r
                : new IllegalStateException("writing " + writes.get(i).table() + " failed: " + e.getCause().getMessage(), e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing " + writes.get(i).table(), e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return counts;
    } finally {
      pool.shutdown();
    }
  }
}
