package org.eventetl.history;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One run of one step for one partition, as Flyway's schema history records a migration: which
 * template (and its checksum), what SQL it became (the rendered checksum), on which engine, how it
 * went. A failed run is recorded too, with {@code success = false} and the engine's message.
 */
public record HistoryEntry(
        String runId,
        String partition,
        int version,
        String step,
        String script,
        String checksum,
        String renderedChecksum,
        String engine,
        String target,
        String outcome,
        Instant startedAt,
        double seconds,
        long rowsWritten,
        long rowsScanned,
        long bytesScanned,
        String message,
        String user,
        String host)
{
    public static final String APPLIED = "applied";
    public static final String FAILED = "failed";
    public static final String SKIPPED = "skipped";

    public HistoryEntry
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(step, "step is null");
        requireNonNull(script, "script is null");
        requireNonNull(checksum, "checksum is null");
        requireNonNull(renderedChecksum, "renderedChecksum is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(startedAt, "startedAt is null");
    }

    public boolean success()
    {
        return !outcome.equals(FAILED);
    }
}
