package org.eventetl.engine.duckdb;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * How the embedded engine may use the machine. The memory limit keeps the whole run under the 2 GB
 * target (DuckDB spills sorts to {@code spillFolder} beyond it).
 */
public record DuckDbSettings(int threads, int memoryLimitMegabytes, Path spillFolder)
{
    public static final int DEFAULT_MEMORY_LIMIT_MEGABYTES = 800;

    public DuckDbSettings
    {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
        if (memoryLimitMegabytes < 64) {
            throw new IllegalArgumentException("memory limit must be at least 64 MB");
        }
        requireNonNull(spillFolder, "spillFolder is null");
    }

    public static DuckDbSettings defaults()
    {
        return new DuckDbSettings(Runtime.getRuntime().availableProcessors(), DEFAULT_MEMORY_LIMIT_MEGABYTES,
                Path.of(System.getProperty("java.io.tmpdir"), "etl-duckdb-spill"));
    }
}
