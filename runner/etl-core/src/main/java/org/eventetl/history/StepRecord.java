package org.eventetl.history;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * One run of one step for one partition, as Flyway's schema history records a migration: which
 * template (and its checksum), what SQL it became (the rendered checksum), on which engine, how it
 * went. It says what a run did; whether its outputs are what readers see is the run's
 * {@link RunRecord}'s to say.
 */
public record StepRecord(
        String runId,
        String partition,
        int version,
        String step,
        String script,
        String checksum,
        String renderedChecksum,
        String engine,
        String target,
        Outcome outcome,
        Instant startedAt,
        double seconds,
        long rowsWritten,
        long rowsScanned,
        long bytesScanned,
        String message,
        String user,
        String host)
{
    public StepRecord
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

    /** How a step's run went. */
    public enum Outcome
    {
        /** Its statements ran and wrote its staged output. */
        APPLIED,
        /** Its condition did not hold, or its database was already set up: nothing ran, nothing was wrong. */
        SKIPPED,
        /** A statement failed; the message is the engine's. */
        FAILED,
    }
}
