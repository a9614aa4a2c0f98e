package eu.iciatlas.jobs;

import java.nio.file.Path;
import java.util.List;

/**
 * What one ingestion run reads and writes. Paths may be local or on any Hadoop file system;
 * keep and eurostat entries may be files, folders or globs. settingOverrides are key=value pairs
 * over conf/pipeline.properties.
 */
public record IngestConfig(List<String> keep, List<String> eurostat, String nuts, List<String> periods,
    String output, Path confDir, List<String> settingOverrides, String runId) {}
