package eu.iciatlas.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;

class PersistedTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void whatAJobKeptIsReleasedWhenTheJobEndsAlsoWhenItFails() {
    Persisted persisted = new Persisted();
    Dataset<Row> kept = persisted.keep(spark.range(10).toDF(), StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> onDisk = persisted.keep(spark.range(20).toDF(), StorageLevel.DISK_ONLY());
    assertEquals(10, kept.count());
    assertEquals(StorageLevel.MEMORY_AND_DISK(), kept.storageLevel());
    assertEquals(StorageLevel.DISK_ONLY(), onDisk.storageLevel());
    assertThrows(IllegalStateException.class, () -> {
      try (persisted) { // as a job's try-with-resources
        throw new IllegalStateException("the job fails");
      }
    });
    assertEquals(StorageLevel.NONE(), kept.storageLevel(), "released when the failed job ended");
    assertEquals(StorageLevel.NONE(), onDisk.storageLevel(), "every Dataset it kept");
  }
}
