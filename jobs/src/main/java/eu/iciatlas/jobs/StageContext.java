package eu.iciatlas.jobs;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.output.TableWriter;
import org.apache.spark.sql.SparkSession;

/**
 * What every stage of a job works with: the session, the run's one writer of the output folder, the
 * datasets the job persists until it ends (released then, whether it succeeded or failed, once the BI copies
 * queued so far are made) and the progress lines.
 */
record StageContext(SparkSession spark, TableWriter writer, Persisted persisted, Progress progress) {}
