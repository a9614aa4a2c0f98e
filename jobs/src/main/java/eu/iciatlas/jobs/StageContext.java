package eu.iciatlas.jobs;

import eu.iciatlas.common.Persisted;
import eu.iciatlas.common.Progress;
import eu.iciatlas.common.output.TableWriter;
import org.apache.spark.sql.SparkSession;

/**
 * What every stage of a job works with: the session, the job's one writer of the output folder, the
 * datasets it persists until the job ends (released then, whether it succeeded or failed) and the
 * progress lines.
 */
record StageContext(SparkSession spark, TableWriter writer, Persisted persisted, Progress progress) {}
