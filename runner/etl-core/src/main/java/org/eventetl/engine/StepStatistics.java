package org.eventetl.engine;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an engine reports for one step.
 *
 * @param rowsScanned rows its scans produced, or -1 when the engine cannot tell
 * @param rowsWritten rows written to the step's own staged prefix
 * @param rowsWrittenElsewhere rows its statements wrote into another staged dataset of the run (an earlier step's)
 * @param bytesScanned bytes read from storage, as the engine counts them
 * @param seconds the step's wall-clock time, as the runner saw it
 * @param engineSeconds the time the engine says it spent executing (Athena's EngineExecutionTimeInMillis), 0 where it does not say
 * @param queueSeconds the time the step's queries waited for capacity (Athena's QueryQueueTimeInMillis), 0 where there is no queue
 * @param dollars what the step cost where the engine bills per query (Athena), else 0
 */
public record StepStatistics(long rowsScanned, long rowsWritten, long rowsWrittenElsewhere, long bytesScanned, double seconds, List<String> notes,
        double engineSeconds, double queueSeconds, double dollars)
{
    public StepStatistics
    {
        notes = List.copyOf(requireNonNull(notes, "notes is null"));
    }

    /** The statistics of an engine that neither queues nor bills per query. */
    public StepStatistics(long rowsScanned, long rowsWritten, long rowsWrittenElsewhere, long bytesScanned, double seconds, List<String> notes)
    {
        this(rowsScanned, rowsWritten, rowsWrittenElsewhere, bytesScanned, seconds, notes, 0, 0, 0);
    }

    public static StepStatistics skipped()
    {
        return new StepStatistics(0, 0, 0, 0, 0, List.of());
    }
}
