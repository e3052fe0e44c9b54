package org.eventetl.load;

import java.util.Optional;

import org.eventetl.engine.StepStats;
import org.eventetl.storage.Location;

/**
 * Turns the engine's statistics into the reject count without a second parse of the JSON: the
 * extraction scans N non-blank lines and writes E rows; only when N > E can there be rejects, and
 * then the reject step keeps them verbatim and adds the field-less objects it finds as events.
 */
final class RejectCounter
{
    private final boolean scanCountsNonBlankLines;
    private long lines;
    private long extracted;
    private long fieldless;
    private long kept;
    private Location location;

    RejectCounter(boolean scanCountsNonBlankLines)
    {
        this.scanCountsNonBlankLines = scanCountsNonBlankLines;
    }

    void scanned(StepStats extraction)
    {
        lines = extraction.rowsScanned();
        extracted = extraction.rowsWritten();
    }

    boolean suspected()
    {
        // an engine that cannot count what its scan read cannot rule rejects out
        return lines < 0 || lines > extracted;
    }

    void located(StepStats rejectStep, Location rejectsLocation)
    {
        kept = rejectStep.rowsWritten();
        fieldless = rejectStep.rowsWrittenElsewhere();
        location = rejectsLocation;
    }

    Rejects result()
    {
        long events = extracted + fieldless;
        long rejects = scanCountsNonBlankLines && lines >= 0 ? Math.max(kept, lines - events) : kept;
        return new Rejects(events + rejects, events, rejects, rejects - kept, kept > 0 ? Optional.of(location) : Optional.empty());
    }
}
