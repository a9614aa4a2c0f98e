package eu.iciatlas.common;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * The Datasets a job keeps (memory, spilling to disk) while it runs, released together when the
 * job ends, whether it succeeded or failed. A driver that runs more than one job (the CLI's
 * {@code run}, a notebook, a test JVM) would otherwise carry every failed job's cached blocks in
 * its storage memory, which the collector cannot free.
 */
public final class Persisted implements AutoCloseable {
  private final List<Dataset<?>> kept = new ArrayList<>();

  /** {@code rows} persisted at {@code level}, released by {@link #close}. */
  public synchronized <T> Dataset<T> keep(Dataset<T> rows, StorageLevel level) {
    Dataset<T> persisted = rows.persist(level);
    kept.add(persisted);
    return persisted;
  }

  /** Releases every Dataset still kept; one that cannot be released does not keep the others (the first failure is thrown after). */
  @Override
  public synchronized void close() {
    RuntimeException first = null;
    try {
      for (Dataset<?> rows : kept) {
        try {
          rows.unpersist();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          }
        }
      }
    } finally {
      kept.clear();
    }
    if (first != null) {
      throw first;
    }
  }
}
