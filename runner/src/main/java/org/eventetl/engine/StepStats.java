package org.eventetl.engine;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What an engine reports for one step.
 *
 * @param rowsScanned rows its scans produced (for the JSON scan: the non-blank lines), or -1 when the engine cannot tell
 * @param rowsWritten rows written to the step's own target
 * @param rowsWrittenElsewhere rows its other statements wrote (V3 adds field-less objects to event_details)
 * @param bytesScanned bytes read from storage, as the engine counts them
 */
public record StepStats(long rowsScanned, long rowsWritten, long rowsWrittenElsewhere, long bytesScanned, double seconds, List<String> notes)
{
    public StepStats
    {
        notes = List.copyOf(requireNonNull(notes, "notes is null"));
    }

    public static StepStats skipped()
    {
        return new StepStats(0, 0, 0, 0, 0, List.of());
    }
}
